"""Engine configurations: the weights the nightly run scores with, versioned and reviewed.

A row is a complete set of opening and mentor-slot weights with a ``version`` (1, 2, ...).
Exactly one row is ``active``: the nightly run and the web's fast paths score with it and
stamp every suggestion with :func:`engine_label` (``"0.1.0+w3"``: the engine's code version
and the config's version), so each suggestion row names the weights it was scored with.
The learning job (:mod:`jobs.learning`) writes ``proposed`` rows with their held-out figures;
an admin adopts one (it becomes ``active``, the previous active row ``retired``) or rejects
it. Rows are never deleted: the history of what the engine did stays readable.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, user_reference, utcnow
from models.user import User

CONFIG_STATUSES = ("proposed", "active", "retired", "rejected")
_LABEL = re.compile(r"\+w(\d+)$")


def engine_label(engine_version: str, config_version: int) -> str:
    """What a suggestion's ``engine_version`` holds: code version and config version."""
    return f"{engine_version}+w{config_version}"


def config_version_of(label: str | None) -> int | None:
    """The config version in a suggestion's ``engine_version`` (None for older rows)."""
    found = _LABEL.search(label or "")
    return int(found.group(1)) if found else None


class EngineConfigRow(Base):
    __tablename__ = "engine_config"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('proposed', 'active', 'retired', 'rejected')", name="status"
        ),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        # At most one active config (a partial unique index on both databases).
        sa.Index(
            "uq_engine_config_one_active",
            "status",
            unique=True,
            postgresql_where=sa.text("status = 'active'"),
            sqlite_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="proposed")
    opening_weights: Mapped[dict[str, float]] = mapped_column(sa.JSON)
    mentor_weights: Mapped[dict[str, float]] = mapped_column(sa.JSON)
    # "defaults", "learned" or "restored" (a return to an earlier version).
    source: Mapped[str] = mapped_column(sa.String(20), default="learned")
    based_on_version: Mapped[int | None]
    # Held-out evaluation and per-partnership fits (see jobs/learning.py for the keys).
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = user_reference()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    adopted_by_id: Mapped[int | None] = user_reference()
    adopted_at: Mapped[datetime | None]
    rejected_by_id: Mapped[int | None] = user_reference()
    rejected_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    adopted_by: Mapped[User | None] = relationship(foreign_keys=[adopted_by_id])
    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])

    def __repr__(self) -> str:
        return f"<EngineConfigRow v{self.version} {self.status}>"


class FairnessFlag(Base):
    """A group whose rate ratio left 0.8–1.25 with enough data; kept so that the nightly
    check tells the admins about a flag once, when it first appears."""

    __tablename__ = "fairness_flag"
    __table_args__ = (
        sa.UniqueConstraint("stage", "attribute", "group_key", name="uq_fairness_flag_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(sa.String(20))
    attribute: Mapped[str] = mapped_column(sa.String(30))
    group_key: Mapped[str] = mapped_column(sa.String(80))
    ratio: Mapped[float]
    n: Mapped[int]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]
