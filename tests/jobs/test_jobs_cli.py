"""``ungeloeftet jobs run NAME`` runs each job by hand, as the scheduler would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from models.jobrun import JobRun
from models.suggestion import Suggestion


def test_jobs_run_each_job_by_hand(app, runner, db, make_youth, make_opening):
    make_youth()
    make_opening()
    db.commit()
    result = runner.invoke(args=["jobs", "run", "nightly"])
    assert result.exit_code == 0, result.output
    assert ": succeeded" in result.output and '"new":' in result.output
    assert db.scalar(select(func.count()).select_from(Suggestion)) >= 1

    again = runner.invoke(args=["jobs", "run", "nightly"])
    assert ": skipped" in again.output
    forced = runner.invoke(args=["jobs", "run", "nightly", "--force"])
    assert ": succeeded" in forced.output and '"new": 0' in forced.output

    sent = runner.invoke(args=["jobs", "run", "outbox"])
    assert sent.exit_code == 0 and '"sent": 1' in sent.output  # the caseworker's digest
    assert list(Path(app.config["MAIL_DIR"]).glob("*.eml"))

    for name in ("retention", "reconfirm"):
        result = runner.invoke(args=["jobs", "run", name])
        assert result.exit_code == 0 and ": succeeded" in result.output, result.output
    statuses = db.scalars(select(JobRun.status).where(JobRun.name == "nightly")).all()
    assert sorted(statuses) == ["skipped", "succeeded", "succeeded"]


def test_unknown_job_and_scheduler_help(runner):
    assert runner.invoke(args=["jobs", "run", "bogus"]).exit_code != 0
    result = runner.invoke(args=["scheduler", "--help"])
    assert result.exit_code == 0 and "scheduler" in result.output
