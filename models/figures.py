"""Figures for the nation, a partnership and a municipality: aggregates only, never a profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import OpeningKind
from models.figure_event import FLOW_KINDS, FigureCursor, FigureDay, FigureEvent, FigureKind
from models.geo import Municipality

# --- figures over time, from the event table (models/figure_event.py) ----------------------
#
# Everything below counts FigureEvent rows only, so it stays true after retention or erasure
# removed profiles and suggestions. Aggregation happens in SQL: one GROUP BY over the
# (scope, kind, day) index for a scope and period, bucketed by week or month in SQL.

SUPPRESS_BELOW = 5  # counts 1-4 are not shown to the secretariat or in exports


@dataclass(frozen=True)
class Scope:
    """Whose figures: the nation, one partnership or one municipality."""

    level: str  # "nation" | "partnership" | "municipality"
    id: int | None = None

    def condition(self) -> sa.ColumnElement[bool]:
        if self.level == "partnership":
            return FigureEvent.partnership_id == self.id
        if self.level == "municipality":
            return FigureEvent.municipality_code == self.id
        return sa.true()

    @property
    def key(self) -> str:
        return self.level if self.id is None else f"{self.level}:{self.id}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    grain: str = "week"  # "week" | "month"

    def buckets(self) -> list[date]:
        first = bucket_of(self.start, self.grain)
        out = []
        while first <= self.end:
            out.append(first)
            if self.grain == "month":
                first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            else:
                first += timedelta(days=7)
        return out


def bucket_of(day: date, grain: str) -> date:
    if grain == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _bucket_sql(session: Session, grain: str, day: Any) -> sa.ColumnElement[Any]:
    """The first day of a row's week (Monday) or month, computed by the database."""
    if grain == "day":
        return day
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(func.date_trunc(grain, day), sa.Date)
    if grain == "month":
        return func.date(day, "start of month")
    # SQLite: strftime('%w') is 0 for Sunday; back up to Monday.
    shift = (sa.cast(func.strftime("%w", day), sa.Integer) + 6) % 7
    return func.date(day, sa.literal("-") + sa.cast(shift, sa.String) + sa.literal(" days"))


ROLLUP_CURSOR = "rollup"


def rolled_up_until(session: Session) -> date | None:
    """The last day whose events are in figure_day (None: nothing rolled up yet)."""
    until = session.scalar(
        select(FigureCursor.swept_until).where(FigureCursor.name == ROLLUP_CURSOR)
    )
    return until.date() if until is not None else None


def _grouped(
    session: Session,
    scope: Scope | None,
    start: date,
    end: date,
    kinds: list[str],
    by: str,
) -> list[tuple[Any, str, str | None, str | None, int | None, int, int]]:
    """Sums of the events of ``kinds`` in a scope (None: per municipality) and period, by
    ``by`` (a grain: week, month, day; or "municipality"):
    ``(by, kind, opening kind, detail, days, sum of amounts, number of events)``.

    Whole days rolled up in figure_day are read from there, the days after from
    figure_event; both are grouped by the database."""
    rows: list[tuple[Any, str, str | None, str | None, int | None, int, int]] = []
    rolled = rolled_up_until(session)
    if rolled is not None and start <= rolled:
        level = scope.level if scope is not None else "municipality"
        dim = (
            FigureDay.scope_id if by == "municipality" else _bucket_sql(session, by, FigureDay.day)
        )
        where = [
            FigureDay.level == level,
            FigureDay.kind.in_(kinds),
            FigureDay.day >= start,
            FigureDay.day <= min(end, rolled),
        ]
        if scope is not None:
            where.append(FigureDay.scope_id == (scope.id or 0))
        columns = (dim, FigureDay.kind, FigureDay.opening_kind, FigureDay.detail, FigureDay.days)
        rows += session.execute(
            select(*columns, func.sum(FigureDay.amount), func.sum(FigureDay.events))
            .where(*where)
            .group_by(*columns)
        ).all()
        start = rolled + timedelta(days=1)
    if start <= end:
        event_dim = (
            FigureEvent.municipality_code
            if by == "municipality"
            else _bucket_sql(session, by, FigureEvent.day)
        )
        where = [FigureEvent.kind.in_(kinds), FigureEvent.day >= start, FigureEvent.day <= end]
        where.append(
            scope.condition() if scope is not None else FigureEvent.municipality_code.is_not(None)
        )
        event_columns = (
            event_dim,
            FigureEvent.kind,
            FigureEvent.opening_kind,
            FigureEvent.detail,
            FigureEvent.days,
        )
        rows += session.execute(
            select(*event_columns, func.sum(FigureEvent.amount), func.count())
            .where(*where)
            .group_by(*event_columns)
        ).all()
    return [
        (dim_value, kind, ok, detail, days, int(amount or 0), int(n or 0))
        for dim_value, kind, ok, detail, days, amount, n in rows
    ]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Line:
    """One line or bar series of a chart: a kind of event, optionally narrowed."""

    key: str
    kind: FigureKind
    opening_kind: str | None = None
    detail: str | None = None


FOLLOW_UP_DETAILS = ("30:placed", "30:not_placed", "90:placed", "90:not_placed")

CHARTS: dict[str, tuple[Line, ...]] = {
    "posted": (
        *(
            Line(f"opening_{k.value}", FigureKind.OPENING_POSTED, opening_kind=k.value)
            for k in OpeningKind
        ),
        Line("mentor_places", FigureKind.SLOT_POSTED),
    ),
    "youth": (
        Line("youth_active", FigureKind.YOUTH_ACTIVE),
        Line("profiles_created", FigureKind.PROFILE_CREATED),
        Line("profiles_activated", FigureKind.PROFILE_ACTIVATED),
    ),
    "suggestions": (
        Line("suggestions", FigureKind.SUGGESTION_MADE),
        Line("approvals", FigureKind.SUGGESTION_APPROVED),
    ),
    "answers": (
        Line("company_interested", FigureKind.COMPANY_ANSWERED, detail="interested"),
        Line("company_declined", FigureKind.COMPANY_ANSWERED, detail="declined"),
        Line("mentor_accepted", FigureKind.MENTOR_ANSWERED, detail="accepted"),
        Line("mentor_declined", FigureKind.MENTOR_ANSWERED, detail="declined"),
    ),
    "placements": (
        Line("placed_job", FigureKind.PLACED_JOB),
        Line("placed_education", FigureKind.PLACED_EDUCATION),
    ),
    "follow_up": tuple(
        Line(f"follow_up_{d.replace(':', '_')}", FigureKind.FOLLOW_UP, detail=d)
        for d in FOLLOW_UP_DETAILS
    ),
    "mentors": (Line("mentor_assignments", FigureKind.MENTOR_ASSIGNED),),
    "rapid": (Line("median_days_to_first_approval", FigureKind.FIRST_APPROVAL),),
}


@dataclass
class Chart:
    key: str
    lines: tuple[Line, ...]
    buckets: list[date]
    values: dict[str, list[int | None]]  # line key -> one value per bucket
    totals: dict[str, int | None]

    def suppressed(self) -> Chart:
        """Counts 1-4 hidden (None), so that nobody can be singled out."""
        hide = _suppress if self.key != "rapid" else (lambda v: v)
        return Chart(
            self.key,
            self.lines,
            self.buckets,
            {k: [hide(v) for v in vs] for k, vs in self.values.items()},
            {k: hide(v) for k, v in self.totals.items()},
        )


def _suppress(value: int | None) -> int | None:
    if value is None or value == 0 or value >= SUPPRESS_BELOW:
        return value
    return None


def figure_charts(
    session: Session,
    scope: Scope,
    period: Period,
    *,
    suppress: bool = False,
    only: tuple[str, ...] | None = None,
) -> dict[str, Chart]:
    """The charts of a scope and period (``only`` some of them), from grouped queries over
    figure_day and figure_event: one for the counted kinds and the days to a first
    approval, one for the daily snapshots of active young people."""
    chosen = {key: CHARTS[key] for key in (only or tuple(CHARTS))}
    kinds = {line.kind for lines in chosen.values() for line in lines}
    # (kind, bucket) -> [(opening kind, detail, sum)]: few entries each, read per line.
    sums: dict[tuple[str, date], list[tuple[str | None, str | None, int]]] = defaultdict(list)
    # Days to the first approval: a histogram per bucket; medians are read from it.
    histograms: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    counted = [k.value for k in kinds if k is not FigureKind.YOUTH_ACTIVE]
    if counted:
        for when, kind, opening_kind, detail, days, amount, n in _grouped(
            session, scope, period.start, period.end, counted, period.grain
        ):
            if kind == FigureKind.FIRST_APPROVAL.value:
                histograms[_as_date(when)][int(days or 0)] += n
            else:
                sums[(kind, _as_date(when))].append((opening_kind, detail, amount))
    # Active young people: a stock, read from the last snapshot day of each bucket.
    per_day: dict[date, int] = defaultdict(int)
    if FigureKind.YOUTH_ACTIVE in kinds:
        for day, *_rest, amount, _n in _grouped(
            session, scope, period.start, period.end, [FigureKind.YOUTH_ACTIVE.value], "day"
        ):
            per_day[_as_date(day)] += amount
    stock: dict[date, tuple[date, int]] = {}
    for day, total in per_day.items():
        first = bucket_of(day, period.grain)
        if first not in stock or stock[first][0] < day:
            stock[first] = (day, total)

    buckets = period.buckets()
    charts: dict[str, Chart] = {}
    for key, lines in chosen.items():
        values: dict[str, list[int | None]] = {}
        totals: dict[str, int | None] = {}
        for line in lines:
            if line.kind is FigureKind.FIRST_APPROVAL:
                values[line.key] = [_median(histograms.get(b, {})) for b in buckets]
                overall: dict[int, int] = defaultdict(int)
                for histogram in histograms.values():
                    for days, n in histogram.items():
                        overall[days] += n
                totals[line.key] = _median(overall)
                continue
            if line.kind is FigureKind.YOUTH_ACTIVE:
                values[line.key] = [stock[b][1] if b in stock else 0 for b in buckets]
                latest = max(stock.values(), default=None)
                totals[line.key] = latest[1] if latest else 0  # at the end of the period
                continue
            per_bucket = [_line_sum(line, sums.get((line.kind.value, b), ())) for b in buckets]
            values[line.key] = list(per_bucket)
            totals[line.key] = sum(per_bucket)
        chart = Chart(key, lines, buckets, values, totals)
        charts[key] = chart.suppressed() if suppress else chart
    return charts


def _line_sum(line: Line, entries: Any) -> int:
    return sum(
        n
        for opening_kind, detail, n in entries
        if (line.opening_kind is None or opening_kind == line.opening_kind)
        and (line.detail is None or detail == line.detail)
    )


def _median(histogram: dict[int, int]) -> int | None:
    """The median of a histogram {value: count}; None below SUPPRESS_BELOW observations."""
    n = sum(histogram.values())
    if n < SUPPRESS_BELOW:
        return None
    seen = 0
    ordered = sorted(histogram.items())
    for value, count_ in ordered:
        seen += count_
        if seen * 2 > n:
            return value
        if seen * 2 == n:
            following = next(v for v, c in ordered if v > value and c)
            return round((value + following) / 2)
    return None


def municipality_totals(
    session: Session, period: Period, *, suppress: bool = False
) -> list[tuple[int, str, dict[str, int | None]]]:
    """Per municipality, the period's totals of each line (grouped by the database)."""
    lines = [line for chart in CHARTS.values() for line in chart if line.kind in FLOW_KINDS]
    sums: dict[int, dict[str, list[tuple[str | None, str | None, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for code, kind, opening_kind, detail, _days, amount, _n in _grouped(
        session, None, period.start, period.end, [k.value for k in FLOW_KINDS], "municipality"
    ):
        sums[int(code)][kind].append((opening_kind, detail, amount))
    names = dict(
        session.execute(
            select(Municipality.code, Municipality.name).where(Municipality.code.in_(sums))
        ).all()
    )
    rows = []
    for code, by_key in sums.items():
        row: dict[str, int | None] = {}
        for line in lines:
            value = _line_sum(line, by_key.get(line.kind.value, ()))
            row[line.key] = _suppress(value) if suppress else value
        rows.append((code, names.get(code, str(code)), row))
    return sorted(rows, key=lambda r: r[1])
