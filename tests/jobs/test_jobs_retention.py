"""GDPR housekeeping: reconfirmation flags only the untouched; retention erases only the old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from jobs.retention import run_reconfirm, run_retention
from jobs.settings import JobSettings
from models.audit import AuditEvent
from models.enums import ProfileStatus
from models.notification import Notification
from models.suggestion import Suggestion
from models.youth import YouthProfile

NOW = datetime.now(UTC)
SETTINGS = JobSettings(reconfirm_days=90, retention_days=365, audit_retention_days=183)


def _age(db, profile, days, **extra):
    then = NOW - timedelta(days=days)
    db.execute(
        update(YouthProfile)
        .where(YouthProfile.id == profile.id)
        .values(last_activity_at=then, updated_at=then, **extra)
    )
    db.expire_all()


def test_reconfirmation_flags_only_the_untouched_and_tells_once(db, make_user, make_youth):
    from models.enums import Role

    caseworker = make_user(Role.CASEWORKER)
    untouched = make_youth(caseworker)
    recent = make_youth(caseworker)
    closed = make_youth(caseworker)
    _age(db, untouched, 91)
    _age(db, recent, 89)
    _age(db, closed, 200, status=ProfileStatus.CLOSED, closed_at=NOW - timedelta(days=200))

    run = run_reconfirm(db, NOW, SETTINGS)
    assert run.status == "succeeded" and run.counts == {"flagged": 1, "mails": 1}
    db.expire_all()
    assert untouched.reconfirm_requested_at is not None
    assert recent.reconfirm_requested_at is None and closed.reconfirm_requested_at is None
    assert untouched.updated_at < NOW - timedelta(days=90)  # flagging is not "touching"
    mail = db.scalars(select(Notification).where(Notification.kind == "profile.reconfirm")).one()
    assert mail.recipient_id == caseworker.id
    assert mail.payload["pseudonyms"] == [untouched.pseudonym]

    again = run_reconfirm(db, NOW + timedelta(days=1), SETTINGS)
    assert again.counts == {"flagged": 0, "mails": 0}


def test_retention_erases_what_it_should_and_nothing_else(
    db, make_user, make_youth, make_opening, make_suggestion
):
    opening = make_opening()
    old_closed = make_youth()
    young_closed = make_youth()
    forgotten = make_youth()
    alive = make_youth()
    for profile in (old_closed, young_closed, forgotten, alive):
        make_suggestion(profile, opening)
    _age(db, old_closed, 400, status=ProfileStatus.CLOSED, closed_at=NOW - timedelta(days=366))
    _age(db, young_closed, 400, status=ProfileStatus.CLOSED, closed_at=NOW - timedelta(days=30))
    db.execute(
        update(YouthProfile).where(YouthProfile.id == young_closed.id).values(updated_at=NOW)
    )
    _age(db, forgotten, 366)
    _age(db, alive, 10)
    old_event = AuditEvent(action="profile.read", at=NOW - timedelta(days=184))
    kept_event = AuditEvent(action="profile.read", at=NOW - timedelta(days=182))
    db.add_all([old_event, kept_event])
    db.flush()
    ids = {p.id for p in (old_closed, young_closed, forgotten, alive)}

    run = run_retention(db, NOW, SETTINGS)
    assert run.status == "succeeded"
    assert run.counts["profiles_erased"] == 2
    assert run.counts["suggestions_erased"] == 2
    assert run.counts["profiles_erased_by_status"] == {"active": 1, "closed": 1}
    assert run.counts["audit_events_deleted"] >= 1
    assert "pseudonym" not in str(run.counts)
    left = set(db.scalars(select(YouthProfile.id).where(YouthProfile.id.in_(ids))))
    assert left == {young_closed.id, alive.id}
    assert set(db.scalars(select(Suggestion.youth_id).where(Suggestion.youth_id.in_(ids)))) == left
    assert db.get(AuditEvent, kept_event.id) is not None
    assert db.scalar(select(func.count()).where(AuditEvent.id == old_event.id)) == 0
    erased = db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.erase")).one()
    assert erased.details["profiles_erased"] == 2
