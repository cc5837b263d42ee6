"""Filters, sorts and grouping of the caseworker's review queue (new suggestions).

The queue is the scoped query of :mod:`models.scoping`; these narrow and order it:
by kind (job opening or mentor slot), by young person (pseudonym), by score band, by days
without an approved proposal (IPS rapid search), best first, longest waiting first or
newest first; grouping by young person orders the cards by youth so that a page shows one
header per young person with their suggestions beneath.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select

from models.caseload import last_approval_subquery, searching_since
from models.enums import TargetKind
from models.suggestion import Suggestion
from models.youth import YouthProfile

KINDS = ("opening", "mentor_slot")
# Score bands as shown on the cards (score × 100): lower bound inclusive, upper exclusive.
BANDS = {"high": (0.8, 1.01), "medium": (0.6, 0.8), "low": (0.0, 0.6)}
DAYS = (14, 30, 60)
SORTS = ("score", "waiting", "newest")


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    youth: str = ""
    band: str = ""
    days: int = 0
    sort: str = "score"
    group: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """Read from a query string; anything unknown falls back to "all"."""
        days = args.get("days", "")
        return cls(
            kind=args.get("kind", "") if args.get("kind") in KINDS else "",
            youth=(args.get("youth", "") or "").strip()[:20],
            band=args.get("band", "") if args.get("band") in BANDS else "",
            days=int(days) if days.isdigit() and int(days) in DAYS else 0,
            sort=args.get("sort", "") if args.get("sort") in SORTS else "score",
            group=args.get("group") == "1",
        )

    def as_args(self) -> dict[str, str]:
        """The query-string form of the filters that differ from the default."""
        defaults = asdict(QueueFilters())
        args = {}
        for key, value in asdict(self).items():
            if value != defaults[key]:
                args[key] = "1" if value is True else str(value)
        return args

    @property
    def active(self) -> bool:
        return bool(self.kind or self.youth or self.band or self.days)


def apply(
    query: Select[Suggestion],
    filters: QueueFilters,
    now: datetime,
    youth_ids: Select[int] | None = None,
) -> Select[Suggestion]:
    """``query`` (suggestions joined to their youth) narrowed and ordered by ``filters``;
    ``youth_ids`` (the caseworker's young people) bounds the last-approval lookup."""
    if filters.kind:
        query = query.where(Suggestion.target_kind == TargetKind(filters.kind))
    if filters.youth:
        term = filters.youth.upper().replace("!", "!!").replace("%", "!%").replace("_", "!_")
        query = query.where(sa.func.upper(YouthProfile.pseudonym).like(f"%{term}%", escape="!"))
    if filters.band:
        low, high = BANDS[filters.band]
        query = query.where(Suggestion.score >= low, Suggestion.score < high)
    order: list[sa.ColumnElement[Any]] = []
    if filters.days or filters.sort == "waiting" or filters.group:
        approvals = last_approval_subquery(youth_ids)
        query = query.outerjoin(approvals, approvals.c.youth_id == YouthProfile.id)
        since = searching_since(approvals.c.last_approved_at)
        if filters.days:
            # days >= N  <=>  the search started before midnight after (today - N + 1)
            cutoff = datetime.combine(now.date() - timedelta(days=filters.days - 1), time.min, UTC)
            query = query.where(since < cutoff)
        if filters.group or filters.sort == "waiting":
            # Longest waiting first; grouped, each young person's suggestions together.
            order += [since.asc(), YouthProfile.id.asc()]
    if filters.sort == "newest":
        order += [Suggestion.created_at.desc(), Suggestion.id.desc()]
    order += [Suggestion.score.desc(), Suggestion.id.desc()]
    return query.order_by(*order)
