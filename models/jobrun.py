"""A record of each scheduled job's run (who ran, when, what it did)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'skipped')", name="status"
        ),
        sa.Index("ix_job_run_name_run_date", "name", "run_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    # The local calendar day (models/clock.py) the run is for: decides whether a night was done.
    run_date: Mapped[date]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(10), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    host: Mapped[str | None] = mapped_column(sa.String(120))
