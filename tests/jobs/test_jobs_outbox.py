"""The outbox sender against a real SMTP server (aiosmtpd): retries, dead letters, claims."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from jobs.outbox import FileTransport, send_pending
from models.notification import Notification
from models.operations.outbox import enqueue
from models.user import User


def _queue(population, n: int = 3) -> list[int]:
    ids = []
    with population.factory() as s:
        user = s.get(User, population.ids["caseworkers"][0])
        for i in range(n):
            note = enqueue(
                s,
                user,
                "digest.caseworker",
                f"test:{i}",
                {
                    "new": 1,
                    "waiting": 1,
                    "best": [{"pseudonym": "U-TEST-01", "title": "Lager", "kind": "opening"}],
                    "run_date": "2026-01-01",
                },
            )
            ids.append(note.id)
        s.commit()
    return ids


def _rows(population):
    with population.factory() as s:
        return {n.id: n for n in s.scalars(select(Notification))}


def _later(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


def test_server_down_then_up_delivers_everything_exactly_once(
    population, job_settings, smtp_server
):
    ids = _queue(population)
    settings = replace(job_settings, smtp_url=smtp_server.url)
    smtp_server.stop()  # connection refused
    counts = send_pending(population.factory, _later(0), settings)
    assert counts == {"claimed": 3, "sent": 0, "retry": 3, "dead": 0}
    rows = _rows(population)
    for row in rows.values():
        assert row.status == "pending" and row.attempts == 1
        assert row.next_attempt_at > datetime.now(UTC)  # backed off
        assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    # Not due yet: nothing is tried.
    assert send_pending(population.factory, _later(0), settings)["claimed"] == 0

    smtp_server.start()
    smtp_server.handler.answers[:] = ["421 4.3.0 try later", "451 4.3.0 greylisted"]
    counts = send_pending(population.factory, _later(10), settings)
    assert counts["retry"] == 2 and counts["sent"] == 1
    counts = send_pending(population.factory, _later(60), settings)
    assert counts["sent"] == 2
    assert sorted(smtp_server.handler.ids()) == sorted(str(i) for i in ids)
    rows = _rows(population)
    assert {r.status for r in rows.values()} == {"sent"}
    # A later pass sends nothing again.
    assert send_pending(population.factory, _later(600), settings)["claimed"] == 0
    assert len(smtp_server.handler.messages) == 3


def test_550_dead_letters_and_max_attempts(population, job_settings, smtp_server):
    first, second = _queue(population, 2)
    settings = replace(job_settings, smtp_url=smtp_server.url, outbox_max_attempts=2)
    smtp_server.handler.answers[:] = ["550 5.1.1 no such mailbox", "451 later"]
    counts = send_pending(population.factory, _later(0), settings)
    assert counts == {"claimed": 2, "sent": 0, "retry": 1, "dead": 1}
    rows = _rows(population)
    assert rows[first].status == "dead" and "550" in rows[first].last_error
    smtp_server.handler.answers[:] = ["452 still later"]
    counts = send_pending(population.factory, _later(60), settings)
    assert counts["dead"] == 1
    rows = _rows(population)
    assert rows[second].status == "dead" and rows[second].attempts == 2
    assert smtp_server.handler.messages == []


def test_two_senders_never_send_the_same_mail(population, job_settings, smtp_server):
    ids = _queue(population, 12)
    settings = replace(job_settings, smtp_url=smtp_server.url, outbox_batch=5)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender() -> None:
        from models.session import make_engine, make_session_factory

        engine = make_engine(population.url)
        try:
            barrier.wait()
            for _ in range(4):
                send_pending(make_session_factory(engine), _later(1), settings)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(smtp_server.handler.ids()) == sorted(str(i) for i in ids)


def test_embedded_default_writes_eml_files(population, job_settings):
    ids = _queue(population, 2)
    counts = send_pending(population.factory, _later(0), job_settings)
    assert counts["sent"] == 2
    files = sorted(
        FileTransport(__import__("pathlib").Path(job_settings.mail_dir)).directory.glob("*.eml")
    )
    assert [f.stem for f in files] == sorted(str(i) for i in ids)
    content = files[0].read_text(encoding="utf-8", errors="replace")
    assert "Subject:" in content and "U-TEST-01" in content
