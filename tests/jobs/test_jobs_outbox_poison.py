"""A mail that cannot be built is dead-lettered alone; the rest of the run goes on (finding 4).

The probe's poison was an opening title with a line feed: ``build_message`` raised
``ValueError: Header values may not contain linefeed`` and the whole outbox run crashed,
so every later mail waited behind it. Against a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from jobs.outbox import send_pending
from models.notification import Notification
from tests.jobs.test_jobs_outbox import _queue


def _rows(population):
    with population.factory() as s:
        return {n.id: n for n in s.scalars(select(Notification))}


def test_one_poison_mail_is_dead_lettered_and_the_others_are_sent(
    population, job_settings, smtp_server
):
    ids = _queue(population, 5)
    poison, injected = ids[1], ids[3]
    with population.factory() as s:
        # Unbuildable: a recipient address with a line feed (a header injection).
        s.execute(
            update(Notification)
            .where(Notification.id == poison)
            .values(recipient_email="cw1@kk.dk\nBcc: victim@evil.example")
        )
        # A pre-rendered subject with CR/LF (an old row, queued before titles were checked).
        s.execute(
            update(Notification)
            .where(Notification.id == injected)
            .values(subject="Ny stilling\r\nBcc: victim@evil.example", body_text="Hej")
        )
        s.commit()
    settings = replace(job_settings, smtp_url=smtp_server.url)
    counts = send_pending(population.factory, datetime.now(UTC) + timedelta(seconds=1), settings)
    assert counts == {"claimed": 5, "sent": 4, "retry": 0, "dead": 1}
    rows = _rows(population)
    assert rows[poison].status == "dead"
    assert "linefeed" in rows[poison].last_error or "line" in rows[poison].last_error.lower()
    assert {rows[i].status for i in ids if i != poison} == {"sent"}
    assert sorted(smtp_server.handler.ids()) == sorted(str(i) for i in ids if i != poison)
    for message in smtp_server.handler.messages:
        assert message["Bcc"] is None
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    sent = {m["X-Ungeloeftet-Notification"]: m for m in smtp_server.handler.messages}
    assert sent[str(injected)]["Subject"] == "Ny stilling Bcc: victim@evil.example"
    # A later run does not try the dead one again.
    later = datetime.now(UTC) + timedelta(hours=12)
    assert send_pending(population.factory, later, settings)["claimed"] == 0


def test_a_claim_takes_at_most_its_batch(population):
    """The limit holds on PostgreSQL too (a LIMIT ... FOR UPDATE SKIP LOCKED subquery inside
    IN (...) may be run more than once by the planner and claim more than the batch)."""
    from jobs.outbox import claim

    ids = _queue(population, 30)
    with population.factory() as s:
        for batch in range(5):
            claimed = claim(s, datetime.now(UTC) + timedelta(seconds=1), 4, f"worker-{batch}")
            assert len(claimed) == 4, (batch, claimed)
        left = s.scalar(
            select(func.count()).select_from(Notification).where(Notification.status == "pending")
        )
    assert left == len(ids) - 20
