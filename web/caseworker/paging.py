"""A page of results for the ``pagination`` macro in _macros.html."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @classmethod
    def from_request(cls, total_hint: int | None = None) -> Page:
        number = request.args.get("page", 1, type=int) or 1
        return cls(max(1, number), int(current_app.config.get("PER_PAGE", 25)), total_hint or 0)

    def with_total(self, total: int) -> Page:
        return Page(self.number, self.per_page, total)

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
