"""ESCO occupations and ISCO-08 groups (reference data, see reference_data/PROVENANCE.md)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class IscoGroup(Base):
    __tablename__ = "isco_group"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    code: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    level: Mapped[int]
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("isco_group.code"))
    label_da: Mapped[str] = mapped_column(sa.String(250))
    label_en: Mapped[str] = mapped_column(sa.String(250))


class Occupation(Base):
    __tablename__ = "occupation"

    uri: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    esco_code: Mapped[str] = mapped_column(sa.String(40))
    isco_code: Mapped[str] = mapped_column(sa.ForeignKey("isco_group.code"), index=True)
    # ESCO v1.0.8 Danish label; for the 102 occupations added after v1.0.8 the English label
    # stands in and ``label_da_is_esco`` is false (shown as such in the interface).
    label_da: Mapped[str] = mapped_column(sa.String(250))
    label_da_is_esco: Mapped[bool] = mapped_column(default=True)
    alt_labels_da: Mapped[str] = mapped_column(sa.Text, default="")
    label_en: Mapped[str] = mapped_column(sa.String(250))

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_da
