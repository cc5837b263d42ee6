"""The nightly matching run: load, rank, store, queue digests — one transaction.

Stages are separated by :func:`checkpoint` calls (a no-op; tests replace it to inject a
fault between stages). Everything is committed together with the ``succeeded`` record, so a
run killed at any point leaves no half-stored result and the next run completes normally.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from jobs.digests import queue_caseworker_digests, queue_partner_digests
from jobs.matching import run_matching
from jobs.runs import SessionSource, last_succeeded, run_daily
from jobs.settings import JobSettings
from models.jobrun import JobRun

NAME = "nightly"


def checkpoint(stage: str) -> None:
    """Between stages; replaced in tests to simulate a crash (see tests/jobs)."""


def nightly_work(
    session: Session, run: JobRun, now: datetime, settings: JobSettings
) -> dict[str, Any]:
    timings: dict[str, float] = {}
    counts: dict[str, Any] = dict(run_matching(session, now, run, timings=timings))
    checkpoint("stored")
    clock = time.perf_counter()
    previous = last_succeeded(session, NAME, before_id=run.id)
    since = previous.started_at if previous is not None else None
    counts["digests_caseworker"] = queue_caseworker_digests(session, run, settings.digest_best)
    counts["digests_partner"] = queue_partner_digests(session, run, since)
    session.flush()
    timings["queue"] = time.perf_counter() - clock
    checkpoint("queued")
    counts["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    return counts


def run_nightly(
    source: SessionSource,
    now: datetime,
    settings: JobSettings | None = None,
    *,
    force: bool = False,
) -> JobRun:
    """Run the nightly matching once for the local calendar day of ``now``."""
    return run_daily(source, NAME, nightly_work, now, settings, force=force)
