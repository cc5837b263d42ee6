"""What a partnership shows of itself: contact persons, invitations, inspiration notes.

Staff data only (work names, titles, work e-mail and phone); never youth data.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, user_reference, utcnow
from models.enums import OrganisationKind
from models.geo import Municipality
from models.organisation import Organisation, Partnership


class ContactPerson(Base):
    """A municipality's contact person for the secretariat (one per municipality and
    partnership)."""

    __tablename__ = "contact_person"
    __table_args__ = (
        sa.UniqueConstraint("partnership_id", "municipality_code", name="uq_contact_person_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    municipality_code: Mapped[int] = mapped_column(sa.ForeignKey("municipality.code"))
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(30), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    partnership: Mapped[Partnership] = relationship()
    municipality: Mapped[Municipality] = relationship()


class PartnershipInvitation(Base):
    """An invitation for an organisation to join a partnership, sent as a link by e-mail.

    Only the SHA-256 of the link's secret is stored. Accepted by a logged-in company or
    mentor user (their organisation joins) or by creating the account (the organisation is
    created from what the invitation names, unless it names an existing one).
    """

    __tablename__ = "partnership_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    organisation_kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "invitation_org_kind")
    )
    organisation_name: Mapped[str] = mapped_column(sa.String(200))
    cvr: Mapped[str | None] = mapped_column(sa.String(8))
    email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = user_reference()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    partnership: Mapped[Partnership] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class InspirationNote(Base):
    """A short best-practice note from the secretariat; partnership users see it on their
    start page. An optional attachment is stored here and served by the app."""

    __tablename__ = "inspiration_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = user_reference()
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attachment_name: Mapped[str | None] = mapped_column(sa.String(200))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(100))
    attachment: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
