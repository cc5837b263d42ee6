"""The scheduler's job list and the CLI that runs each job by hand."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jobs.schedule import MISFIRE_GRACE_SECONDS, build_scheduler, job_list, parse_clock
from jobs.settings import JobSettings

CPH = ZoneInfo("Europe/Copenhagen")


def test_job_list_has_cron_triggers_in_copenhagen_with_safe_defaults():
    settings = JobSettings()
    scheduler = build_scheduler(lambda: None, settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"nightly", "outbox", "retention", "reconfirm", "learning"}
    for job in jobs.values():
        assert type(job.trigger).__name__ == "CronTrigger"
        assert str(job.trigger.timezone) == "Europe/Copenhagen"
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 3600
    nightly = jobs["nightly"].trigger
    # The next fire times through both daylight-saving changes stay at 01:30 local time,
    # outside the hour that is skipped (March) or repeated (October).
    start = datetime(2026, 3, 27, 12, tzinfo=CPH)
    fire = None
    for _ in range(220):
        fire = nightly.get_next_fire_time(fire, fire or start)
        local = fire.astimezone(CPH)
        assert (local.hour, local.minute) == (1, 30)
        fire = fire.replace(second=1)
    outbox = jobs["outbox"].trigger
    first = outbox.get_next_fire_time(None, start)
    assert (outbox.get_next_fire_time(first, first.replace(second=1)) - first).seconds == 60
    names = [job.name for job in job_list(settings)]
    assert names == ["nightly", "outbox", "retention", "reconfirm", "learning"]
    for job in job_list(settings):
        if "hour" in job.cron:
            assert int(job.cron["hour"]) != 2


@pytest.mark.parametrize("value", ["02:00", "02:30", "2:59"])
def test_the_daylight_saving_hour_is_refused(value):
    with pytest.raises(ValueError, match="daylight-saving"):
        parse_clock(value)
    with pytest.raises(ValueError):
        job_list(JobSettings(nightly_at=value))


def test_nightly_time_comes_from_config():
    settings = JobSettings.from_config({"NIGHTLY_AT": "00:45", "OUTBOX_MAX_ATTEMPTS": "3"})
    assert settings.outbox_max_attempts == 3
    assert job_list(settings)[0].cron == {"hour": "0", "minute": "45"}
    assert parse_clock("01:30") == (1, 30)
