"""Mentor slots: a workplace mentor (company) or a volunteer (civil society)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import spec
from models.base import Base, PostedAd, Timestamped, enum_column, in_range, user_reference
from models.enums import SlotStatus
from models.geo import Postcode
from models.organisation import Organisation
from models.user import User


class MentorSlot(PostedAd, Timestamped, Base):
    __tablename__ = "mentor_slot"
    __table_args__ = (
        in_range("capacity", spec.SLOT_CAPACITY, "capacity_range"),
        in_range("max_distance_km", spec.SLOT_DISTANCE_KM, "distance_range"),
        sa.CheckConstraint(
            "available_until IS NULL OR available_from IS NULL "
            "OR available_until >= available_from",
            name="availability_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    mentor_id: Mapped[int | None] = user_reference(index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["da"])
    postcode: Mapped[str] = mapped_column(sa.ForeignKey("postcode.code"))
    max_distance_km: Mapped[int] = mapped_column(default=25)
    capacity: Mapped[int] = mapped_column(default=1)
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    status: Mapped[SlotStatus] = mapped_column(
        enum_column(SlotStatus, "slot_status"), default=SlotStatus.OPEN
    )

    organisation: Mapped[Organisation] = relationship()
    mentor: Mapped[User | None] = relationship()
    postcode_ref: Mapped[Postcode] = relationship()
