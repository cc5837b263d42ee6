"""Reviews of job openings and mentor slots by a partnership admin (equal-treatment law).

An ad whose wording the check flags (:mod:`models.wording`) is **held** instead of published:
a ``flagged`` review waits for an admin, who may publish it with a recorded justification
(a lawful minimum age, a genuine occupational requirement) or keep it unpublished with a
reason. A caseworker may **report** any published ad: a ``reported`` review waits for an
admin, who dismisses the report or takes the ad off the service. The justification is kept
for the text it was given for (``text_digest``): a changed text is checked again.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from models.base import Base, ad_reference, user_reference, utcnow
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.user import User

FLAGGED, REPORTED = "flagged", "reported"
PENDING, PUBLISHED, DECLINED, DISMISSED, UNPUBLISHED = (
    "pending",
    "published",
    "declined",
    "dismissed",
    "unpublished",
)


class AdReview(Base):
    __tablename__ = "ad_review"
    __table_args__ = (
        sa.CheckConstraint(
            "(opening_id IS NOT NULL AND mentor_slot_id IS NULL) OR "
            "(opening_id IS NULL AND mentor_slot_id IS NOT NULL)",
            name="one_ad",
        ),
        sa.CheckConstraint("kind IN ('flagged', 'reported')", name="kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'published', 'declined', 'dismissed', 'unpublished')",
            name="status",
        ),
        sa.Index("ix_ad_review_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int | None] = ad_reference("job_opening")
    mentor_slot_id: Mapped[int | None] = ad_reference("mentor_slot")
    kind: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(12), default=PENDING)
    # The grounds (models.wording categories) and the phrases the check found.
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    text_digest: Mapped[str] = mapped_column(sa.String(64))
    # Who flagged it (the ad's author) or reported it (a caseworker), and why.
    created_by_id: Mapped[int | None] = user_reference()
    report_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The admin's decision and its justification (shown to the ad's owner when declined).
    decided_by_id: Mapped[int | None] = user_reference()
    decided_at: Mapped[datetime | None]
    justification: Mapped[str | None] = mapped_column(sa.Text)

    opening: Mapped[JobOpening | None] = relationship(
        backref=backref("reviews", passive_deletes=True, order_by="AdReview.id")
    )
    mentor_slot: Mapped[MentorSlot | None] = relationship(
        backref=backref("reviews", passive_deletes=True, order_by="AdReview.id")
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def ad(self) -> JobOpening | MentorSlot:
        ad = self.opening if self.opening_id is not None else self.mentor_slot
        assert ad is not None
        return ad

    def __repr__(self) -> str:
        return f"<AdReview {self.id} {self.kind} {self.status}>"
