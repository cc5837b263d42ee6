"""Job openings posted by companies."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import spec
from models.base import (
    Base,
    PostedAd,
    Timestamped,
    enum_column,
    in_range,
    user_reference,
    weekly_hours_constraints,
)
from models.enums import OpeningKind, OpeningStatus
from models.geo import Postcode
from models.occupation import Occupation
from models.organisation import Organisation


class JobOpening(PostedAd, Timestamped, Base):
    __tablename__ = "job_opening"
    __table_args__ = (
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        *weekly_hours_constraints(),
        in_range("min_age", spec.OPENING_MIN_AGE, "min_age_range"),
        sa.CheckConstraint(
            "expires IS NULL OR start_date IS NULL OR expires >= start_date",
            name="expires_after_start",
        ),
        sa.Index("ix_job_opening_status_postcode", "status", "postcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int | None] = user_reference()
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

    organisation: Mapped[Organisation] = relationship()
    occupation: Mapped[Occupation | None] = relationship()
    postcode_ref: Mapped[Postcode] = relationship()
