"""Local partnerships and the organisations (companies, civil society) that take part."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_column, utcnow
from models.enums import OrganisationKind
from models.geo import Municipality

partnership_municipality = sa.Table(
    "partnership_municipality",
    Base.metadata,
    sa.Column(
        "partnership_id", sa.ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("municipality_code", sa.ForeignKey("municipality.code"), primary_key=True),
)

organisation_partnership = sa.Table(
    "organisation_partnership",
    Base.metadata,
    sa.Column(
        "organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "partnership_id", sa.ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Partnership(Base):
    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=partnership_municipality, order_by=Municipality.name
    )
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=organisation_partnership, back_populates="partnerships"
    )


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'company' AND cvr IS NOT NULL) OR kind <> 'company'", name="company_has_cvr"
        ),
        sa.CheckConstraint("cvr IS NULL OR length(cvr) = 8", name="cvr_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "org_kind"))
    name: Mapped[str] = mapped_column(sa.String(200))
    cvr: Mapped[str | None] = mapped_column(sa.String(8), unique=True)
    postcode: Mapped[str | None] = mapped_column(sa.ForeignKey("postcode.code"))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partnerships: Mapped[list[Partnership]] = relationship(
        secondary=organisation_partnership, back_populates="organisations"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"
