"""Per partnership: the support contact shown in the help pages, and the identity provider
(OpenID Connect) its staff log in with."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.organisation import Partnership


class PartnershipSupport(Base):
    """Who new users of a partnership can ask (set by the admin; shown on the help pages)."""

    __tablename__ = "partnership_support"

    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    hours: Mapped[str | None] = mapped_column(sa.String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    partnership: Mapped[Partnership] = relationship()


class IdentityProvider(Base):
    """A partnership's OpenID Connect provider for single sign-on of its staff.

    ``user_claim`` names the ID-token claim matched against the account's e-mail address
    (``email``, or e.g. ``upn``/``preferred_username`` for Entra ID). With ``role_claim``
    set, the claim's values must include the one ``role_values`` gives for the account's role.
    """

    __tablename__ = "identity_provider"
    __table_args__ = (sa.UniqueConstraint("partnership_id", name="one_per_partnership"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnership.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    issuer: Mapped[str] = mapped_column(sa.String(300))
    client_id: Mapped[str] = mapped_column(sa.String(200))
    client_secret: Mapped[str] = mapped_column(sa.String(300))
    user_claim: Mapped[str] = mapped_column(sa.String(60), default="email")
    role_claim: Mapped[str | None] = mapped_column(sa.String(60))
    role_values: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partnership: Mapped[Partnership] = relationship()
