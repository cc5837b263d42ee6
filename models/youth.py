"""Anonymised youth profiles.

A profile never holds a name, CPR number, address, phone or e-mail: only a random
pseudonym and what matching needs (docs/ARCHITECTURE.md, "Privacy"). Free-text fields are
checked for obvious identifiers by :mod:`models.validation` before they are stored.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import spec
from models.base import (
    Base,
    Timestamped,
    enum_column,
    in_range,
    user_reference,
    utcnow,
    weekly_hours_constraints,
)
from models.enums import OpeningKind, ProfileStatus
from models.geo import Municipality, Postcode
from models.user import User

EDUCATION_LEVELS = ("none", "primary", "upper_secondary", "vocational", "higher")
# The kinds of opening a young person may prefer: every opening kind, and education places
# (the engine's matcher.types.OPENING_KINDS) even before openings of that kind exist here.
PREFERRED_KINDS: tuple[str, ...] = tuple(
    dict.fromkeys([*(k.value for k in OpeningKind), "education"])
)


class YouthProfile(Timestamped, Base):
    __tablename__ = "youth_profile"
    __table_args__ = (
        *weekly_hours_constraints(),
        in_range("max_commute_km", spec.COMMUTE_KM, "commute_range"),
        sa.CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_range"),
        sa.CheckConstraint(
            "education_level IN ('none', 'primary', 'upper_secondary', 'vocational', 'higher')",
            name="education_level",
        ),
        # With ``id`` the caseworkers' queries find a municipality's active youth from the
        # index alone (index-only scan), then their suggestions by youth.
        sa.Index("ix_youth_profile_municipality_status_id", "municipality_code", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(16), unique=True)
    municipality_code: Mapped[int] = mapped_column(sa.ForeignKey("municipality.code"))
    caseworker_id: Mapped[int | None] = user_reference(index=True)
    birth_year: Mapped[int]
    postcode: Mapped[str] = mapped_column(sa.ForeignKey("postcode.code"))
    max_commute_km: Mapped[int] = mapped_column(default=20)
    education_level: Mapped[str] = mapped_column(sa.String(20), default="primary")
    skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Free text as the young person said it and/or ESCO occupation URIs picked from the list.
    wished_occupations: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Former jobs as said (free text) or ESCO occupation URIs: experience the engine infers
    # possible occupations from (matcher.infer).
    former_jobs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Kinds of opening the young person prefers (PREFERRED_KINDS; empty = no preference).
    preferred_kinds: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    hours_min: Mapped[int] = mapped_column(default=10)
    hours_max: Mapped[int] = mapped_column(default=37)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["da"])
    driving_licence: Mapped[bool] = mapped_column(default=False)
    needs_mentor: Mapped[bool] = mapped_column(default=False)
    available_from: Mapped[date | None]
    status: Mapped[ProfileStatus] = mapped_column(
        enum_column(ProfileStatus, "profile_status"), default=ProfileStatus.ACTIVE
    )
    consent_recorded_at: Mapped[datetime]
    # Visible to the owning municipality's caseworkers only; never on a card or in a mail.
    support_notes: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up_on: Mapped[date | None]
    active_since: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reconfirm_requested_at: Mapped[datetime | None]
    # When a caseworker last confirmed with the young person that the profile still holds.
    confirmed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    municipality: Mapped[Municipality] = relationship()
    postcode_ref: Mapped[Postcode] = relationship()
    caseworker: Mapped[User | None] = relationship()

    def age_in(self, year: int) -> int:
        return year - self.birth_year

    def __repr__(self) -> str:
        return f"<YouthProfile {self.pseudonym}>"
