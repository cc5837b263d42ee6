"""Declarative base with a naming convention, and small column helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

from models.spec import HOURS, Bounds

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum stored as its value, guarded by a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),  # type: ignore[misc]
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def user_reference(*, index: bool = False) -> MappedColumn[int | None]:
    """Who did something: a user account, kept as NULL when the account is deleted."""
    foreign_key = sa.ForeignKey("user_account.id", ondelete="SET NULL")
    return mapped_column(foreign_key, index=True) if index else mapped_column(foreign_key)


def ad_reference(table: str, *, index: bool = True) -> MappedColumn[int | None]:
    """One job opening or mentor slot (``table``); the row goes with the ad. ``index=False``
    where the table declares its own (partial) index on the column."""
    return mapped_column(sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), index=index)


def in_range(column: str, bounds: Bounds, name: str) -> sa.CheckConstraint:
    """The database's CHECK for a limit of models/spec.py, the one the forms and the API
    read: ``column BETWEEN minimum AND maximum``."""
    return sa.CheckConstraint(f"{column} BETWEEN {bounds.minimum} AND {bounds.maximum}", name=name)


def weekly_hours_constraints() -> tuple[sa.CheckConstraint, ...]:
    """Weekly hours within spec.HOURS, the minimum at most the maximum (profiles, openings)."""
    return (
        in_range("hours_min", HOURS, "hours_min_range"),
        in_range("hours_max", HOURS, "hours_max_range"),
        sa.CheckConstraint("hours_min <= hours_max", name="hours_order"),
    )


class Timestamped:
    """When a row was created and last changed; declared last, so they end the table."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PostedAd:
    """What a job opening and a mentor slot share as ads: a title, and reviews of their
    wording by a partnership admin (``reviews``, the backref of models/ad_review.py)."""

    if TYPE_CHECKING:
        id: int
        title: str
        reviews: list[Any]

    @property
    def held_for_review(self) -> bool:
        """Flagged wording waits for a partnership admin (models/ad_review.py)."""
        return any(r.kind == "flagged" and r.status == "pending" for r in self.reviews)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.title!r}>"
