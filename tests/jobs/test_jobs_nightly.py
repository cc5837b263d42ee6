"""The nightly run end to end: suggestions, digests, idempotency, one run at a time, crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import jobs.matching.store as store_module
from jobs import nightly
from jobs.nightly import run_nightly
from jobs.outbox import send_pending
from models.enums import SuggestionStatus
from models.jobrun import JobRun
from models.notification import Notification
from models.suggestion import Suggestion

# 01:30 in DK, and never ahead of the real clock: a decision taken in a test is stamped with
# the real time, and a digest counts the decisions taken since the previous run started (from
# 00:00 to 00:30 UTC, today's 00:30 would be later than a decision taken just now).
_HALF_PAST = datetime.now(UTC).replace(hour=0, minute=30, second=0, microsecond=0)
NOW = _HALF_PAST if _HALF_PAST <= datetime.now(UTC) else _HALF_PAST - timedelta(days=1)


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _state(factory):
    with factory() as s:
        return {
            "suggestions": sorted(
                s.execute(
                    select(Suggestion.youth_id, Suggestion.opening_id, Suggestion.mentor_slot_id)
                ).all(),
                key=str,
            ),
            "notifications": sorted(s.scalars(select(Notification.idempotency_key)).all()),
            "runs": sorted(s.scalars(select(JobRun.status).where(JobRun.name == "nightly"))),
        }


def test_nightly_stores_suggestions_and_queues_digests_once(population, job_settings, smtp_server):
    run = run_nightly(population.factory, NOW, job_settings)
    assert run.status == "succeeded"
    assert run.counts["new"] >= 5 and run.counts["seconds"]["rank"] >= 0
    with population.factory() as s:
        assert _count(s, Suggestion, Suggestion.run_id == run.id) == run.counts["new"]
        digests = s.scalars(select(Notification).order_by(Notification.id)).all()
        # One digest per caseworker with new suggestions (both have some); partners have no
        # approved proposals yet.
        assert sorted((n.kind, n.recipient_id) for n in digests) == sorted(
            ("digest.caseworker", cw) for cw in population.ids["caseworkers"]
        )
        assert all(n.subject is None for n in digests)  # rendered when sent
    first = _state(population.factory)

    # The same night again: skipped by its run date; nothing new.
    again = run_nightly(population.factory, NOW + timedelta(hours=2), job_settings)
    assert again.status == "skipped"
    # The next night with nothing changed: a run, but no new suggestion and no new mail.
    next_night = run_nightly(population.factory, NOW + timedelta(days=1), job_settings)
    assert next_night.status == "succeeded"
    assert next_night.counts["new"] == 0 and next_night.counts["updated"] == 0
    second = _state(population.factory)
    assert second["suggestions"] == first["suggestions"]
    assert second["notifications"] == first["notifications"]

    # The digests arrive by SMTP, in the recipient's language, with a link and no youth data
    # beyond the pseudonym.
    settings = type(job_settings)(**{**job_settings.__dict__, "smtp_url": smtp_server.url})
    assert send_pending(population.factory, datetime.now(UTC), settings)["sent"] == 2
    by_to = {m["To"]: m for m in smtp_server.handler.messages}
    danish = by_to["cw1@kk.dk"]
    english = by_to["cw2@kk.dk"]
    assert "nye forslag" in danish["Subject"] or "nyt forslag" in danish["Subject"]
    assert "suggestion" in english["Subject"]
    text = danish.get_payload()[0].get_payload(decode=True).decode()
    html = danish.get_payload()[1].get_payload(decode=True).decode()
    assert "https://match.example.dk/caseworker/" in text and "https://match.example.dk" in html
    with population.factory() as s:
        from models.youth import YouthProfile

        youth = s.get(YouthProfile, population.ids["youths"][0])
        assert youth.pseudonym in text
        assert str(youth.birth_year) not in text and youth.postcode not in text


def test_a_caseworkers_digest_lists_the_best_new_proposals_with_their_titles(
    population, job_settings
):
    """Each caseworker's digest names the nightly run's best proposals for their young people:
    by score, ties by id, at most ``digest_best``, each with the young person's pseudonym and
    the opening's or mentor slot's title."""
    from models.youth import YouthProfile

    run = run_nightly(population.factory, NOW, job_settings)
    with population.factory() as s:
        digests = s.scalars(
            select(Notification).where(Notification.kind == "digest.caseworker")
        ).all()
        assert digests
        for digest in digests:
            proposals = s.scalars(
                select(Suggestion)
                .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
                .where(
                    Suggestion.run_id == run.id,
                    Suggestion.status == SuggestionStatus.PROPOSED,
                    YouthProfile.caseworker_id == digest.recipient_id,
                )
            ).all()
            best = sorted(proposals, key=lambda p: (-p.score, p.id))[: job_settings.digest_best]
            assert len(best) == min(len(proposals), job_settings.digest_best) > 0
            assert digest.payload["best"] == [
                {
                    "pseudonym": p.youth.pseudonym,
                    "title": (p.opening or p.mentor_slot).title,
                    "kind": p.target_kind.value,
                }
                for p in best
            ]


def test_partner_digests_after_approval(population, job_settings):
    from models.operations.suggestions import approve_suggestion
    from models.user import User

    run_nightly(population.factory, NOW, job_settings)
    with population.factory() as s:
        cw = s.get(User, population.ids["caseworkers"][0])
        for suggestion in s.scalars(
            select(Suggestion).where(
                Suggestion.status == SuggestionStatus.PROPOSED,
                Suggestion.youth_id == population.ids["youths"][0],
            )
        ):
            approve_suggestion(s, cw, suggestion, "Mødestabil og glad for fodbold")
        s.commit()
        events = {n.kind for n in s.scalars(select(Notification))}
        assert "proposal.new" in events
    run = run_nightly(population.factory, NOW + timedelta(days=1), job_settings)
    assert run.counts["digests_partner"] >= 2  # the company users and the mentor
    with population.factory() as s:
        kinds = {n.kind: n for n in s.scalars(select(Notification))}
        assert {"digest.company", "digest.mentor"} <= set(kinds)
        company = kinds["digest.company"]
        assert company.payload["new"] >= 1
        assert "pseudonym" not in str(company.payload)
    sent = send_pending(population.factory, NOW + timedelta(days=1), job_settings)
    assert sent["dead"] == 0 and sent["sent"] == sent["claimed"]
    files = list(Path(job_settings.mail_dir).glob("*.eml"))
    assert len(files) == sent["sent"]
    body = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
    assert "Fodboldmentor" in body or "Lagermedarbejder" in body


@pytest.mark.parametrize("workers", [2])
def test_two_schedulers_at_once_run_the_night_once(population, job_settings, workers):
    barrier = threading.Barrier(workers)
    results: list[str] = []
    errors: list[BaseException] = []

    def start() -> None:
        from models.session import make_engine, make_session_factory

        engine = make_engine(population.url)  # its own engine, like another host
        try:
            barrier.wait()
            results.append(run_nightly(make_session_factory(engine), NOW, job_settings).status)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert sorted(results) == ["skipped", "succeeded"]
    with population.factory() as s:
        assert _count(s, JobRun, JobRun.name == "nightly", JobRun.status == "succeeded") == 1
        assert _count(s, Notification) == len(population.ids["caseworkers"])


def test_a_crash_between_stages_leaves_nothing_half_stored(population, job_settings, monkeypatch):
    def crash(stage: str) -> None:
        if stage == "stored":
            raise RuntimeError("power cut")

    monkeypatch.setattr(nightly, "checkpoint", crash)
    with pytest.raises(RuntimeError):
        run_nightly(population.factory, NOW, job_settings)
    with population.factory() as s:
        assert _count(s, Suggestion) == 0 and _count(s, Notification) == 0
        failed = s.scalars(select(JobRun).where(JobRun.name == "nightly")).one()
        assert failed.status == "failed" and "power cut" in failed.error
    monkeypatch.setattr(nightly, "checkpoint", lambda stage: None)
    run = run_nightly(population.factory, NOW, job_settings)
    assert run.status == "succeeded" and run.counts["new"] > 0


def test_a_failing_background_merge_fails_the_night_and_stores_nothing(
    population, job_settings, monkeypatch
):
    """The openings are merged in a thread of their own while the mentors are ranked: its
    failure reaches the run, which fails and stores nothing; the next run stores the night."""
    merge = store_module._Store.merge
    threads: list[str] = []

    def failing(self, kind, staged):
        threads.append(threading.current_thread().name)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(store_module._Store, "merge", failing)
    with pytest.raises(RuntimeError, match="went away"):
        run_nightly(population.factory, NOW, job_settings)
    assert len(threads) == 1 and threads[0].startswith("merge")  # not the main thread
    with population.factory() as s:
        assert _count(s, Suggestion) == 0 and _count(s, Notification) == 0
        failed = s.scalars(select(JobRun).where(JobRun.name == "nightly")).one()
        assert failed.status == "failed" and "went away" in failed.error
    monkeypatch.setattr(store_module._Store, "merge", merge)
    run = run_nightly(population.factory, NOW, job_settings)
    assert run.status == "succeeded" and run.counts["new"] > 0


def test_a_killed_process_leaves_nothing_half_stored(population, job_settings):
    script = f"""
import os, signal
from datetime import datetime
from jobs import nightly
from jobs.settings import JobSettings
from models.session import make_engine, make_session_factory
nightly.checkpoint = lambda stage: stage == "queued" and os.kill(os.getpid(), signal.SIGKILL)
nightly.run_nightly(make_session_factory(make_engine({population.url!r})),
                    datetime.fromisoformat({NOW.isoformat()!r}), JobSettings())
"""
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run([sys.executable, "-c", script], env=env, timeout=180, check=False)
    assert done.returncode == -9
    with population.factory() as s:
        assert _count(s, Suggestion) == 0 and _count(s, Notification) == 0
        assert s.scalars(select(JobRun.status)).all() == ["running"]
    run = run_nightly(population.factory, NOW, job_settings)
    assert run.status == "succeeded" and run.counts["new"] > 0
    with population.factory() as s:
        statuses = sorted(s.scalars(select(JobRun.status)).all())
        assert statuses == ["failed", "succeeded"]


def test_the_collector_is_paused_for_the_nights_work_and_back_after(
    population, job_settings, monkeypatch
):
    """The cyclic garbage collector is off while the night matches, counts and queues
    (matcher/collector.py), and on again afterwards, also when the night fails."""
    import gc

    seen: list[bool] = []
    real = nightly.run_matching

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(nightly, "run_matching", watched)
    assert run_nightly(population.factory, NOW, job_settings).status == "succeeded"
    assert seen == [False] and gc.isenabled()

    def failing(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        raise RuntimeError("the night fails")

    monkeypatch.setattr(nightly, "run_matching", failing)
    with pytest.raises(RuntimeError, match="the night fails"):
        run_nightly(population.factory, NOW + timedelta(days=1), job_settings)
    assert seen == [False, False] and gc.isenabled()
