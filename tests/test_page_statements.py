"""The review queue and the company dashboard read a page in a fixed number of statements.

Each page is requested with N rows and again with 2N rows (every row with its own young
person, target, organisation and town, so nothing is shared through the identity map); the
number of SQL statements must be the same. A lazy load per card or per table row (an N+1)
adds statements with the rows and fails here. Issue #18, "Performance, round two".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import cycle
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from models.base import utcnow
from models.enums import Role, SuggestionStatus

N = 5  # 2N stays on one page (25 per page)
# Towns of the reference data: each target gets its own (the card shows the town's name).
POSTCODES = cycle(["2200", "2300", "2400", "2500", "2600", "2700", "2800", "2900", "3000"])


def statements(connection: sa.Connection, client: Any, path: str) -> tuple[list[str], str]:
    """The SQL statements one GET of ``path`` runs, and the page."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 200
    return seen, response.text


def grows(
    connection: sa.Connection, client: Any, path: str, add_rows: Callable[[], None]
) -> Iterator[tuple[list[str], str]]:
    client.get(path)  # anything a process does once (caches) is not counted
    for _ in range(2):
        add_rows()
        yield statements(connection, client, path)


@pytest.mark.parametrize("query", ["", "?group=1", "?sort=waiting&days=14"])
def test_review_queue_statements_do_not_grow_with_the_cards(
    connection,
    client,
    login_as,
    make_user,
    make_youth,
    make_opening,
    make_slot,
    make_suggestion,
    query,
):
    caseworker = login_as(make_user(Role.CASEWORKER, municipality_code=101))
    made: list[int] = []

    def add_rows() -> None:
        for n in range(N):
            youth = make_youth(caseworker)
            youth.active_since = utcnow() - timedelta(days=40 + n)
            if n % 2:
                target = make_opening(postcode=next(POSTCODES), title=f"Opslag {len(made)}")
                # An earlier approval: the card counts days from it (the last-approval lookup).
                make_suggestion(
                    youth,
                    make_opening(postcode=next(POSTCODES)),
                    status=SuggestionStatus.APPROVED,
                    decided_at=utcnow() - timedelta(days=20),
                )
            else:
                target = make_slot(postcode=next(POSTCODES), title=f"Mentor {len(made)}")
            made.append(make_suggestion(youth, target, score=0.5 + len(made) / 100).id)

    (few, few_page), (many, many_page) = grows(
        connection, client, "/caseworker/queue" + query, add_rows
    )
    assert len(re.findall(r'<article class="card suggestion', few_page)) == N
    assert len(re.findall(r'<article class="card suggestion', many_page)) == 2 * N
    assert len(many) == len(few), "\n".join(many)


def test_company_dashboard_statements_do_not_grow_with_the_rows(
    connection, client, login_as, make_user, make_youth, make_opening, make_slot, make_suggestion
):
    company = login_as(make_user(Role.COMPANY))
    caseworker = make_user(Role.CASEWORKER)
    made: list[int] = []

    def add_rows() -> None:
        for _ in range(N):
            opening = make_opening(company, postcode=next(POSTCODES), title=f"Opslag {len(made)}")
            slot = make_slot(company, postcode=next(POSTCODES), title=f"Mentor {len(made)}")
            for target in (opening, slot):
                # Approved, waiting for the company's answer: the pending counts.
                make_suggestion(
                    make_youth(caseworker),
                    target,
                    status=SuggestionStatus.APPROVED,
                    decided_at=utcnow(),
                    decided_by_id=caseworker.id,
                )
            made.append(opening.id)

    (few, few_page), (many, many_page) = grows(connection, client, "/company/", add_rows)
    # The pending total (openings) is the link to the proposals, in either language.
    assert f'href="/company/proposals">{N} ' in few_page
    assert f'href="/company/proposals">{2 * N} ' in many_page
    assert all(f"Opslag {n}<" in many_page for n in range(2 * N))
    assert all(f"Mentor {n}<" in many_page for n in range(2 * N))
    assert len(many) == len(few), "\n".join(many)
