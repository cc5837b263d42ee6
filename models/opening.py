"""Job openings posted by companies."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, utcnow
from models.enums import OpeningKind, OpeningStatus
from models.geo import Postcode
from models.occupation import Occupation
from models.organisation import Organisation


class JobOpening(Base):
    __tablename__ = "job_opening"
    __table_args__ = (
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("hours_min BETWEEN 1 AND 37", name="hours_min_range"),
        sa.CheckConstraint("hours_max BETWEEN 1 AND 37", name="hours_max_range"),
        sa.CheckConstraint("hours_min <= hours_max", name="hours_order"),
        sa.CheckConstraint("min_age BETWEEN 13 AND 30", name="min_age_range"),
        sa.CheckConstraint(
            "expires IS NULL OR start_date IS NULL OR expires >= start_date",
            name="expires_after_start",
        ),
        sa.Index("ix_job_opening_status_postcode", "status", "postcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    occupation_uri: Mapped[str | None] = mapped_column(sa.ForeignKey("occupation.uri"))
    kind: Mapped[OpeningKind] = mapped_column(
        enum_column(OpeningKind, "opening_kind"), default=OpeningKind.JOB
    )
    required_skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    nice_skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    postcode: Mapped[str] = mapped_column(sa.ForeignKey("postcode.code"))
    hours_min: Mapped[int] = mapped_column(default=37)
    hours_max: Mapped[int] = mapped_column(default=37)
    seats: Mapped[int] = mapped_column(default=1)
    min_age: Mapped[int] = mapped_column(default=15)
    driving_licence_required: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["da"])
    mentor_at_workplace: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None]
    expires: Mapped[date | None]
    status: Mapped[OpeningStatus] = mapped_column(
        enum_column(OpeningStatus, "opening_status"), default=OpeningStatus.DRAFT
    )
    unpublished_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    occupation: Mapped[Occupation | None] = relationship()
    postcode_ref: Mapped[Postcode] = relationship()

    @property
    def held_for_review(self) -> bool:
        """Flagged wording waits for a partnership admin (models/ad_review.py)."""
        return any(r.kind == "flagged" and r.status == "pending" for r in self.reviews)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<JobOpening {self.id} {self.title!r}>"
