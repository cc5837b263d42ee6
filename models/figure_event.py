"""Figure events: one row per countable moment, with no personal data.

Figures (models/figures.py) are counted from this table only, never from profiles or
suggestions, so they stay true after retention or erasure removes those rows. A row holds
what a chart needs and nothing that points at a person: no youth id, no pseudonym, no user,
no free text; and no foreign keys, so nothing that is erased can take a row with it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class FigureKind(enum.StrEnum):
    OPENING_POSTED = "opening_posted"  # amount: seats; opening_kind
    SLOT_POSTED = "slot_posted"  # amount: mentor places (capacity)
    PROFILE_CREATED = "profile_created"
    PROFILE_ACTIVATED = "profile_activated"  # created or made active again
    SUGGESTION_MADE = "suggestion_made"  # detail: target kind; amount: suggestions
    SUGGESTION_APPROVED = "suggestion_approved"  # detail: target kind
    COMPANY_ANSWERED = "company_answered"  # detail: interested | declined
    MENTOR_ANSWERED = "mentor_answered"  # detail: accepted | declined
    MENTOR_ASSIGNED = "mentor_assigned"
    PLACED_JOB = "placed_job"  # detail: outcome (job, apprenticeship, internship)
    PLACED_EDUCATION = "placed_education"
    FOLLOW_UP = "follow_up"  # detail: "30:<status>" or "90:<status>"
    FIRST_APPROVAL = "first_approval"  # days: from profile creation to first approval
    YOUTH_ACTIVE = "youth_active"  # nightly snapshot: amount = active profiles that day


# Kinds counted by how many happened; the others are read in their own way (a histogram of
# days, a daily snapshot of a stock).
FLOW_KINDS = tuple(
    k for k in FigureKind if k not in (FigureKind.FIRST_APPROVAL, FigureKind.YOUTH_ACTIVE)
)


_CARRIED = ["opening_kind", "detail", "amount", "days", "municipality_code"]


class FigureEvent(Base):
    __tablename__ = "figure_event"
    __table_args__ = (
        # A chart reads one scope's kinds over a period: (scope, kind, day) finds the rows,
        # (kind, day) for the nation. On PostgreSQL the indexes carry what the grouped
        # queries read (INCLUDE), so they are answered by index-only scans.
        sa.Index("ix_figure_event_kind_day", "kind", "day", postgresql_include=_CARRIED),
        sa.Index(
            "ix_figure_event_municipality_kind_day",
            "municipality_code",
            "kind",
            "day",
            postgresql_include=_CARRIED[:-1],
        ),
        sa.Index(
            "ix_figure_event_partnership_kind_day",
            "partnership_id",
            "kind",
            "day",
            postgresql_include=_CARRIED[:-1],
        ),
        sa.CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    day: Mapped[date]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    partnership_id: Mapped[int | None]
    municipality_code: Mapped[int | None]
    opening_kind: Mapped[str | None] = mapped_column(sa.String(20))
    detail: Mapped[str | None] = mapped_column(sa.String(30))
    days: Mapped[int | None]
    amount: Mapped[int] = mapped_column(default=1)


class FigureCursor(Base):
    """Until when a sweep has counted a table that others fill in bulk (e.g. suggestions)."""

    __tablename__ = "figure_cursor"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    swept_until: Mapped[datetime | None]


class FigureDay(Base):
    """Figure events rolled up per day for the nation, each partnership and each
    municipality (the nightly run adds the finished days; see models/operations/figures.py).

    Charts read whole days from here and only the last day or two from figure_event, so a
    national year is a few thousand rows, however many events it had. Never deleted either.
    """

    __tablename__ = "figure_day"
    __table_args__ = (
        sa.Index(
            "ix_figure_day_scope_kind_day",
            "level",
            "scope_id",
            "kind",
            "day",
            postgresql_include=["opening_kind", "detail", "days", "amount", "events"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    level: Mapped[str] = mapped_column(sa.String(12))  # nation | partnership | municipality
    scope_id: Mapped[int]  # 0 for the nation
    kind: Mapped[str] = mapped_column(sa.String(30))
    opening_kind: Mapped[str | None] = mapped_column(sa.String(20))
    detail: Mapped[str | None] = mapped_column(sa.String(30))
    days: Mapped[int | None]
    amount: Mapped[int]  # sum of the events' amounts
    events: Mapped[int]  # how many events
