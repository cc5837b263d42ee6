"""Command line for the scheduled jobs: ``ungeloeftet scheduler`` and ``ungeloeftet jobs run``.

The scheduler is its own process (never inside web workers). ``jobs run NAME`` runs one job
by hand, exactly as the scheduler would — for operators and tests.
"""

from __future__ import annotations

import json
import logging
import signal
from datetime import UTC, datetime
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from jobs.schedule import build_scheduler, job_list, jobs_by_name
from jobs.settings import JobSettings
from models.session import make_engine, make_session_factory

JOB_NAMES = ("nightly", "outbox", "retention", "reconfirm", "learning")


def _settings() -> JobSettings:
    return JobSettings.from_config(current_app.config)


def _session_factory() -> Any:
    factory = current_app.config.get("DB_SESSION_FACTORY")
    if factory is not None:
        return factory
    return make_session_factory(make_engine(current_app.config["DATABASE_URL"]))


@click.command("scheduler", help="Run the job scheduler (its own process; Ctrl+C stops).")
@with_appcontext
def scheduler_command() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Our jobs' results at INFO; APScheduler's own bookkeeping (adding, running, executed) only
    # when something goes wrong.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    settings = _settings()
    scheduler = build_scheduler(_session_factory(), settings)
    for job in job_list(settings):
        click.echo(f"  {job.name:<10} cron {job.cron}  {job.description}")
    click.echo(f"Scheduler running ({settings.timezone}); Ctrl+C stops.")

    def stop(_signum: int, _frame: Any) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


@click.group("jobs", help="Scheduled jobs: run one by hand.")
def jobs_group() -> None:
    pass


@jobs_group.command("run")
@click.argument("name", type=click.Choice(JOB_NAMES))
@click.option("--force", is_flag=True, help="Run even if this day's run is done already.")
@click.option("--now", "now_text", default=None, help="Pretend it is this time (ISO 8601).")
@with_appcontext
def run_command(name: str, force: bool, now_text: str | None) -> None:
    """Run one job now: nightly, outbox, retention, reconfirm or learning."""
    settings = _settings()
    now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    job = jobs_by_name(settings)[name]
    factory = _session_factory()
    if name == "outbox":
        result = job.function(factory, now, settings)
        click.echo(f"outbox: {json.dumps(result)}")
        return
    try:
        if name == "nightly":
            from jobs.nightly import STAGES
            from web.progress import stage_bar

            with stage_bar("Nightly run", STAGES) as step:
                run = job.function(factory, now, settings, force=force, progress=step)  # type: ignore[call-arg]
        else:
            run = job.function(factory, now, settings, force=force)  # type: ignore[call-arg]
    except Exception as error:  # recorded as a failed JobRun; the next run starts afresh
        raise click.ClickException(f"{name} failed: {type(error).__name__}: {error}") from error
    click.echo(f"{name} {run.run_date}: {run.status} {json.dumps(run.counts, default=str)}")


def register(app: Flask) -> None:
    app.cli.add_command(scheduler_command)
    app.cli.add_command(jobs_group)
