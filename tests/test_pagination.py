"""web.pagination.page_of: the first page is read before it is counted, and a first page
with room to spare is not counted at all; every page is the one the count would give."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from models.geo import Postcode
from web.pagination import page_of


def _expected(db, query, number, per_page):  # type: ignore[no-untyped-def]
    """The page as counted first (what page_of did before)."""
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = list(db.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return number, total, items


@pytest.mark.parametrize("rows", [0, 3, 10, 11])
@pytest.mark.parametrize("number", [0, 1, 2, 3, 99])
def test_every_page_is_the_counted_one(db, rows, number):
    codes = list(db.scalars(select(Postcode.code).order_by(Postcode.code).limit(rows)))
    query = select(Postcode).where(Postcode.code.in_(codes)).order_by(Postcode.code)
    page = page_of(db, query, number, 5)
    assert (page.number, page.total, page.items) == _expected(db, query, number, 5)


def test_a_first_page_with_room_to_spare_is_not_counted(db):
    codes = list(db.scalars(select(Postcode.code).order_by(Postcode.code).limit(3)))
    query = select(Postcode).where(Postcode.code.in_(codes)).order_by(Postcode.code)
    seen: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    connection = db.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        page = page_of(db, query, 1, 25)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert (page.total, page.pages, len(page.items)) == (3, 1, 3)
    assert len(seen) == 1 and "count" not in seen[0].lower()
