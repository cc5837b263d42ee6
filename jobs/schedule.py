"""The scheduled jobs, declared in one list, and the scheduler process that runs them.

The scheduler is its own process (``ungeloeftet scheduler``), never inside web workers.
APScheduler 3 ``BlockingScheduler`` with cron triggers in Europe/Copenhagen; every job has
``coalesce`` (missed runs collapse into one), ``max_instances=1`` and a misfire grace time
of hours, so a scheduler that was down at 01:30 still runs the night when it comes back.
Several schedulers may run (two hosts): the jobs take a database lock and the nightly run
checks its run date (see :mod:`jobs.runs`), so a night is done once.

The nightly run defaults to 01:30 (``NIGHTLY_AT``). Times in 02:00–02:59 are refused: that
hour is skipped when summer time starts and repeated when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jobs.learning import run_learning
from jobs.nightly import run_nightly
from jobs.outbox import send_pending
from jobs.retention import run_reconfirm, run_retention
from jobs.runs import SessionSource
from jobs.settings import JobSettings

log = logging.getLogger("ungeloeftet.jobs")

MISFIRE_GRACE_SECONDS = 6 * 3600
DST_HOUR = 2  # Europe/Copenhagen changes clocks at 02:00/03:00 local time

JobFunction = Callable[[SessionSource, datetime, JobSettings], Any]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    function: JobFunction
    cron: dict[str, str] = field(default_factory=dict)
    description: str = ""


def parse_clock(value: str) -> tuple[int, int]:
    """``"HH:MM"`` → (hour, minute), refusing the hour that summer time skips or repeats."""
    try:
        hour_text, minute_text = value.strip().split(":")
        hour, minute = int(hour_text), int(minute_text)
    except ValueError as error:
        raise ValueError(f"NIGHTLY_AT must look like 01:30, not {value!r}") from error
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"NIGHTLY_AT {value!r} is not a time of day")
    if hour == DST_HOUR:
        raise ValueError(
            f"NIGHTLY_AT {value!r} is in 02:00–02:59, the hour daylight-saving time skips "
            "or repeats in Europe/Copenhagen; choose another time (default 01:30)"
        )
    return hour, minute


def _send_outbox(source: SessionSource, now: datetime, settings: JobSettings) -> Any:
    return send_pending(source, now, settings)


def job_list(settings: JobSettings) -> list[ScheduledJob]:
    """Every scheduled job; the CLI runs the same functions by name (``jobs run NAME``)."""
    hour, minute = parse_clock(settings.nightly_at)
    return [
        ScheduledJob(
            "nightly",
            run_nightly,
            {"hour": str(hour), "minute": str(minute)},
            "rank everyone, store suggestions, queue digests",
        ),
        ScheduledJob("outbox", _send_outbox, {"minute": "*"}, "send queued mails"),
        ScheduledJob(
            "retention",
            run_retention,
            {"hour": "4", "minute": "15"},
            "erase closed or untouched profiles; prune the audit trail",
        ),
        ScheduledJob(
            "reconfirm",
            run_reconfirm,
            {"hour": "4", "minute": "45"},
            "flag profiles untouched for RECONFIRM_DAYS",
        ),
        ScheduledJob(
            "learning",
            run_learning,
            {"day_of_week": "sun", "hour": "5", "minute": "15"},
            "weekly: learn weights from decisions, propose a config for the admin",
        ),
    ]


def jobs_by_name(settings: JobSettings) -> dict[str, ScheduledJob]:
    return {job.name: job for job in job_list(settings)}


def run_now(job: ScheduledJob, source: SessionSource, settings: JobSettings) -> Any:
    """What the scheduler calls: the job at the current time; errors are logged, not raised
    (the failure is recorded in ``JobRun``, and the next run starts afresh)."""
    try:
        result = job.function(source, datetime.now(UTC), settings)
    except Exception:
        log.exception("job %s failed", job.name)
        return None
    log.info("job %s: %s", job.name, _describe(result))
    return result


def _describe(result: Any) -> str:
    status = getattr(result, "status", None)
    if status is not None:
        return f"{status} {getattr(result, 'counts', '')}"
    return str(result)


def build_scheduler(source: SessionSource, settings: JobSettings) -> Any:
    """A ``BlockingScheduler`` with every job of :func:`job_list` (not started)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    from matcher.engine import import_dependencies

    import_dependencies()  # once, at start: not inside the first night's run
    timezone = ZoneInfo(settings.timezone)
    scheduler = BlockingScheduler(
        timezone=timezone,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    for job in job_list(settings):
        scheduler.add_job(
            run_now,
            CronTrigger(timezone=timezone, **job.cron),
            args=(job, source, settings),
            id=job.name,
            name=job.description or job.name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler
