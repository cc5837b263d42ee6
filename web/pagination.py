"""Paginating a SQLAlchemy ``Select`` for list pages (used with the ``pagination()`` macro)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


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
    per_page = per_page or current_app.config.get("PER_PAGE", 25)
    if page is None:
        page = request.args.get(arg, 1, type=int) or 1
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(1, page), max(1, -(-total // per_page)))
    limited = query.limit(per_page).offset((number - 1) * per_page)
    items = list(session.scalars(limited) if scalars else session.execute(limited))
    return Page(items=items, number=number, per_page=per_page, total=total)
