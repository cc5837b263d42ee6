"""Reference geography: municipalities and postcodes (loaded from shipped CSVs)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base
from models.errors import ValidationError
from models.i18n import N_


class Municipality(Base):
    __tablename__ = "municipality"

    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    region: Mapped[str] = mapped_column(sa.String(80))
    lat: Mapped[float]
    lon: Mapped[float]

    postcodes: Mapped[list[Postcode]] = relationship(back_populates="municipality")

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


class Postcode(Base):
    __tablename__ = "postcode"
    __table_args__ = (sa.CheckConstraint("length(code) = 4", name="four_digits"),)

    code: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    lat: Mapped[float]
    lon: Mapped[float]
    municipality_code: Mapped[int] = mapped_column(sa.ForeignKey("municipality.code"), index=True)

    municipality: Mapped[Municipality] = relationship(back_populates="postcodes")

    def __repr__(self) -> str:
        return f"<Postcode {self.code} {self.name}>"


def known_postcode(session: Session, code: str | None) -> str:
    """``code`` stripped; refused unless it is a postcode of the reference data."""
    code = (code or "").strip()
    if session.get(Postcode, code) is None:
        raise ValidationError("postcode", N_("Unknown postcode."))
    return code
