"""The nightly matching run: load, rank, store, queue digests — one transaction.

Stages are separated by :func:`checkpoint` calls (a no-op; tests replace it to inject a
fault between stages). Everything is committed together with the ``succeeded`` record, so a
run killed at any point leaves no half-stored result and the next run completes normally.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from jobs.digests import queue_caseworker_digests, queue_partner_digests
from jobs.fairness import check_fairness
from jobs.matching import run_matching
from jobs.runs import SessionSource, last_succeeded, run_daily
from jobs.settings import JobSettings
from matcher.collector import collector_paused
from models.jobrun import JobRun
from models.operations.figures import record_active_youth, roll_up_figures, sweep_suggestions

NAME = "nightly"


def checkpoint(stage: str) -> None:
    """Between stages; replaced in tests to simulate a crash (see tests/jobs)."""


STAGES = ("matching", "digests")


def _no_progress(_stage: str) -> None:
    """The default progress callback: nothing to show."""


def nightly_work(
    session: Session,
    run: JobRun,
    now: datetime,
    settings: JobSettings,
    progress: Callable[[str], None] = _no_progress,
) -> dict[str, Any]:
    # The collector is paused for the whole night's work (matcher/collector.py): its passes
    # over the population and the night's matches took 1.8 s of a national first night.
    with collector_paused():
        return _nightly_work(session, run, now, settings, progress)


def _nightly_work(
    session: Session,
    run: JobRun,
    now: datetime,
    settings: JobSettings,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    timings: dict[str, float] = {}
    counts: dict[str, Any] = dict(run_matching(session, now, run, timings=timings))
    counts["figures_suggestions"] = sweep_suggestions(session, now)
    counts["figures_active_youth"] = record_active_youth(session, now)
    counts["figures_rolled_up"] = roll_up_figures(session, now)
    checkpoint("stored")
    progress("matching")
    clock = time.perf_counter()
    previous = last_succeeded(session, NAME, before_id=run.id)
    since = previous.started_at if previous is not None else None
    counts["digests_caseworker"] = queue_caseworker_digests(session, run, settings.digest_best)
    counts["digests_partner"] = queue_partner_digests(session, run, since)
    counts["fairness_flags_new"] = check_fairness(session, run, now)
    session.flush()
    timings["queue"] = time.perf_counter() - clock
    checkpoint("queued")
    progress("digests")
    counts["seconds"] = {k: round(v, 3) for k, v in timings.items()}
    return counts


def run_nightly(
    source: SessionSource,
    now: datetime,
    settings: JobSettings | None = None,
    *,
    force: bool = False,
    progress: Callable[[str], None] = _no_progress,
) -> JobRun:
    """Run the nightly matching once for the local calendar day of ``now``.

    ``progress(stage)`` is called after each of ``STAGES`` (the CLI's progress bar).
    """

    def work(session: Session, run: JobRun, now: datetime, settings: JobSettings) -> dict[str, Any]:
        return nightly_work(session, run, now, settings, progress)

    return run_daily(source, NAME, work, now, settings, force=force)
