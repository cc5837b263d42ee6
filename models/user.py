"""Accounts: one role each, tied to a municipality (caseworker) or an organisation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, utcnow
from models.enums import Role
from models.geo import Municipality
from models.organisation import Organisation


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'caseworker' OR municipality_code IS NOT NULL", name="caseworker_municipality"
        ),
        sa.CheckConstraint(
            "role NOT IN ('company', 'mentor') OR organisation_id IS NOT NULL",
            name="partner_organisation",
        ),
        sa.CheckConstraint("locale IN ('da', 'en')", name="locale"),
        sa.CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    municipality_code: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipality.code"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id"), index=True
    )
    locale: Mapped[str] = mapped_column(sa.String(2), default="da")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change / deactivation / logout-everywhere, so old sessions die.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    # Flask-Login protocol, kept here so that models need no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
