"""The decision log (who approved, rejected or answered, and when) is kept at least six
months: retention never deletes younger audit events, erasure does not remove them, the
configuration refuses less, and the documents say so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from jobs.retention import retention_work
from jobs.settings import JobSettings
from models.audit import AuditEvent
from models.enums import Role
from models.jobrun import JobRun
from models.operations.data_rights import erase_profile
from models.operations.suggestions import approve_suggestion

NOW = datetime.now(UTC)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_configuration_refuses_less_than_six_months():
    with pytest.raises(ValueError, match="183"):
        JobSettings.from_config({"AUDIT_RETENTION_DAYS": 100})
    assert JobSettings.from_config({"AUDIT_RETENTION_DAYS": 183}).audit_retention_days == 183


def test_retention_keeps_decisions_younger_than_six_months_whatever_the_setting(
    db, make_youth, make_opening, make_suggestion
):
    youth = make_youth()
    suggestion = make_suggestion(youth, make_opening())
    approve_suggestion(db, youth.caseworker, suggestion, "Mødestabil.")
    decision = db.scalars(select(AuditEvent).where(AuditEvent.action == "suggestion.approve")).one()
    old = AuditEvent(action="suggestion.reject", object_type="Suggestion", object_id=0)
    db.add(old)
    db.flush()
    decision_id, old_id = decision.id, old.id
    db.execute(
        update(AuditEvent).where(AuditEvent.id == decision.id).values(at=NOW - timedelta(days=182))
    )
    db.execute(
        update(AuditEvent).where(AuditEvent.id == old.id).values(at=NOW - timedelta(days=200))
    )
    run = JobRun(name="retention", run_date=NOW.date(), status="running", started_at=NOW)
    db.add(run)
    db.flush()
    # A setting below the floor (bypassing from_config) still keeps six months.
    counts = retention_work(db, run, NOW, JobSettings(audit_retention_days=30))
    db.expire_all()
    assert db.get(AuditEvent, decision_id) is not None
    assert db.get(AuditEvent, old_id) is None
    assert counts["audit_events_deleted"] >= 1


def test_erasure_keeps_the_decision_log_without_content(
    db, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    youth = make_youth(caseworker)
    suggestion = make_suggestion(youth, make_opening())
    approve_suggestion(db, caseworker, suggestion, "Mødestabil og glad for lagerarbejde.")
    suggestion_id = suggestion.id
    erase_profile(db, caseworker, youth)
    decision = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "suggestion.approve", AuditEvent.object_id == suggestion_id
        )
    ).one()
    assert decision.actor_id == caseworker.id and decision.at is not None
    assert "Mødestabil" not in str(decision.details)


def test_retention_of_the_decision_log_is_stated():
    for name in ("DPIA.md", "MODEL_CARD.md", "FRIA.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        assert "six months" in text, name
    assert "183" in (DOCS / "DPIA.md").read_text(encoding="utf-8")
