"""The one pagination helper: a :class:`Page` for the ``pagination()`` macro and the API.

* :func:`paginate` — one page of a SQLAlchemy ``Select`` (the page number from ``?page=``);
* :func:`paginate_rows` — one page of rows already in memory;
* :meth:`Page.from_request` / :meth:`Page.with_total` — for a view that runs its own query
  (the caseload and the queue count differently);
* :func:`page_of` — the API's page of a query with its links (``web/api/pagination.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from flask import current_app, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


def per_page_setting() -> int:
    return int(current_app.config.get("PER_PAGE", 25))


@dataclass(frozen=True)
class Page(Generic[T]):
    number: int
    per_page: int
    total: int
    items: list[T] = field(default_factory=list)

    @classmethod
    def from_request(cls, arg: str = "page", per_page: int | None = None) -> Page[T]:
        """The page asked for (``?page=``, at least 1); its total is set later."""
        number = request.args.get(arg, 1, type=int) or 1
        return cls(max(1, number), per_page or per_page_setting(), 0)

    def with_total(self, total: int) -> Page[T]:
        return replace(self, total=total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def page_of(
    session: Session, query: Select[Any], number: int, per_page: int, *, scalars: bool = True
) -> Page[Any]:
    """Page ``number`` of ``query`` (brought within the pages there are).

    The first page is read before anything is counted: with fewer rows than a page it is
    the only one and its rows are the total, so the count is not run (a dashboard with a few
    openings and no mentor slots reads no count at all). A full first page, or any other
    page, is counted first, and a page past the end shows the last.
    """
    if number <= 1:
        first = _rows(session, query.limit(per_page), scalars)
        if len(first) < per_page:
            return Page(1, per_page, len(first), first)
    total = count(session, query)
    page: Page[Any] = Page(1, per_page, total)
    if number <= 1:  # the full first page, read above
        return replace(page, items=first)
    page = replace(page, number=max(1, min(number, page.pages)))
    limited = query.limit(per_page).offset(page.offset)
    return replace(page, items=_rows(session, limited, scalars))


def _rows(session: Session, query: Select[Any], scalars: bool) -> list[Any]:
    return list(session.scalars(query) if scalars else session.execute(query))


def paginate(
    session: Session,
    query: Select[Any],
    *,
    page: int | None = None,
    per_page: int | None = None,
    arg: str = "page",
    scalars: bool = True,
) -> Page[Any]:
    """One page of ``query``; the page number comes from ``?page=`` unless given."""
    if page is None:
        page = request.args.get(arg, 1, type=int) or 1
    return page_of(session, query, page, per_page or per_page_setting(), scalars=scalars)


def paginate_rows(rows: Sequence[T], *, per_page: int | None = None) -> Page[T]:
    """One page of ``rows`` (the page number from ``?page=``)."""
    asked: Page[T] = Page.from_request(per_page=per_page)
    start = asked.offset
    return replace(asked, total=len(rows), items=list(rows[start : start + asked.per_page]))
