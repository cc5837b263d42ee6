"""Mentor slots: a workplace mentor (company) or a volunteer (civil society)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, utcnow
from models.enums import SlotStatus
from models.geo import Postcode
from models.organisation import Organisation
from models.user import User


class MentorSlot(Base):
    __tablename__ = "mentor_slot"
    __table_args__ = (
        sa.CheckConstraint("capacity BETWEEN 1 AND 50", name="capacity_range"),
        sa.CheckConstraint("max_distance_km BETWEEN 1 AND 200", name="distance_range"),
        sa.CheckConstraint(
            "available_until IS NULL OR available_from IS NULL "
            "OR available_until >= available_from",
            name="availability_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    mentor: Mapped[User | None] = relationship()
    postcode_ref: Mapped[Postcode] = relationship()

    @property
    def held_for_review(self) -> bool:
        """Flagged wording waits for a partnership admin (models/ad_review.py)."""
        return any(r.kind == "flagged" and r.status == "pending" for r in self.reviews)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<MentorSlot {self.id} {self.title!r}>"
