"""Suggestions: an engine's proposal of one opening or mentor slot for one young person.

Status flow (docs/ARCHITECTURE.md, "Data model in brief"): ``proposed → approved |
rejected``; ``approved → interested | declined`` (company) or ``accepted | declined``
(mentor); then ``placed`` / ``ended``, or ``expired`` by the expiry rule
(models/operations/expiry.py), ``withdrawn`` when another mentor offer for the same young
person was accepted first or the young person stopped looking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, ad_reference, enum_column, user_reference, utcnow
from models.enums import Outcome, SuggestionStatus, TargetKind
from models.jobrun import JobRun
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.user import User
from models.youth import YouthProfile


def target_predicate(column: str) -> str:
    """The predicate of the partial indexes on a target column (``opening_id`` or
    ``mentor_slot_id``): the rows of that target kind."""
    return f"{column} IS NOT NULL"


#: The predicate of the partial index of decided suggestions.
DECIDED_PREDICATE = "decided_at IS NOT NULL"


def _target_indexes(column: str, unique_name: str) -> tuple[sa.Index, sa.Index]:
    """The unique (youth, target) index and the target's own index, both partial."""
    where = sa.text(target_predicate(column))
    return (
        sa.Index(
            unique_name,
            "youth_id",
            column,
            unique=True,
            postgresql_where=where,
            sqlite_where=where,
        ),
        sa.Index(f"ix_suggestion_{column}", column, postgresql_where=where, sqlite_where=where),
    )


class Suggestion(Base):
    __tablename__ = "suggestion"
    __table_args__ = (
        sa.CheckConstraint(
            "(target_kind = 'opening' AND opening_id IS NOT NULL AND mentor_slot_id IS NULL) OR "
            "(target_kind = 'mentor_slot' AND mentor_slot_id IS NOT NULL AND opening_id IS NULL)",
            name="one_target",
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        # One suggestion per (youth, target), and the target's suggestions: partial indexes,
        # each over the rows of its own target kind only (the other kind's column is NULL).
        # A nightly insert then writes two index entries fewer per row; the storage rules'
        # ON CONFLICT names the predicate (jobs/matching/store.py).
        *_target_indexes("opening_id", "uq_suggestion_youth_opening"),
        *_target_indexes("mentor_slot_id", "uq_suggestion_youth_mentor_slot"),
        # The review queue, best first: walked backwards, (score, id) is its order exactly, so
        # the first page is read without sorting the municipality's suggestions.
        sa.Index("ix_suggestion_status_score_id", "status", "score", "id"),
        # A youth's suggestions in one status (the review queue, its count, the caseload's
        # "new suggestions" filter); also serves plain youth_id lookups.
        sa.Index("ix_suggestion_youth_status", "youth_id", "status"),
        # Decided suggestions only (a small part of the table): the last approval per youth,
        # which the caseload sorts by ("days without an approved proposal").
        sa.Index(
            "ix_suggestion_decided",
            "youth_id",
            "decided_at",
            postgresql_where=sa.text(DECIDED_PREDICATE),
            sqlite_where=sa.text(DECIDED_PREDICATE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    youth_id: Mapped[int] = mapped_column(sa.ForeignKey("youth_profile.id", ondelete="CASCADE"))
    target_kind: Mapped[TargetKind] = mapped_column(enum_column(TargetKind, "target_kind"))
    opening_id: Mapped[int | None] = ad_reference("job_opening", index=False)
    mentor_slot_id: Mapped[int | None] = ad_reference("mentor_slot", index=False)
    score: Mapped[float]
    components: Mapped[dict[str, float]] = mapped_column(sa.JSON, default=dict)
    # [{"code": ..., **params}] — the engine's explanation, put into words in the
    # reader's language when shown (web/caseworker/labels.reason_text). Rows stored before
    # 2026-12 hold {"code", "da", "en"} texts instead, shown as they are.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    distance_km: Mapped[float | None]
    engine_version: Mapped[str] = mapped_column(sa.String(40))
    run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("job_run.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus, "suggestion_status"), default=SuggestionStatus.PROPOSED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The caseworker's decision.
    decided_by_id: Mapped[int | None] = user_reference()
    decided_at: Mapped[datetime | None]
    reason_code: Mapped[str | None] = mapped_column(sa.String(40))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    pitch: Mapped[str | None] = mapped_column(sa.Text)
    # The company's or mentor's answer.
    responded_by_id: Mapped[int | None] = user_reference()
    responded_at: Mapped[datetime | None]
    response_message: Mapped[str | None] = mapped_column(sa.Text)
    # What came of it.
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    outcome_recorded_at: Mapped[datetime | None]
    outcome_recorded_by_id: Mapped[int | None] = user_reference()

    youth: Mapped[YouthProfile] = relationship()
    opening: Mapped[JobOpening | None] = relationship()
    mentor_slot: Mapped[MentorSlot | None] = relationship()
    run: Mapped[JobRun | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])

    @property
    def target(self) -> JobOpening | MentorSlot | None:
        return self.opening if self.target_kind is TargetKind.OPENING else self.mentor_slot

    def __repr__(self) -> str:
        return f"<Suggestion {self.id} {self.status}>"
