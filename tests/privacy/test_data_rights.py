"""Data rights: everything stored about a pseudonym (page and JSON), erasure on request
(profile, suggestions, answers, mails and their files), and retention that deletes the mail
files it reports deleted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from jobs.outbox import send_pending
from jobs.retention import retention_work
from jobs.settings import JobSettings
from models.audit import AuditEvent
from models.enums import Role
from models.jobrun import JobRun
from models.notification import Notification
from models.operations.outbox import enqueue
from models.operations.suggestions import answer_as_company, approve_suggestion
from models.suggestion import Suggestion
from models.youth import YouthProfile

NOW = datetime.now(UTC)


def _world(db, make_user, make_youth, make_opening, make_suggestion, caseworker):
    company = make_user(Role.COMPANY)
    youth = make_youth(caseworker, interests=["fodbold"], support_notes="Brug for ro.")
    opening = make_opening(company)
    suggestion = make_suggestion(
        youth,
        opening,
        components={"skills": 0.7, "distance": 0.9},
        score=0.81,
        reasons=[
            {"code": "test", "da": "Test-grund", "en": "Test reason"},  # stored as texts
            {"code": "distance", "km": 2.5, "max_km": 15.0},
        ],
    )
    approve_suggestion(db, caseworker, suggestion, "Mødestabil og glad for lagerarbejde.")
    answer_as_company(db, company, suggestion, True, "Vi vil gerne mødes med den unge.")
    enqueue(
        db,
        caseworker,
        "profile.reconfirm",
        "run:test",
        {"new": 1, "days": 90, "pseudonyms": [youth.pseudonym]},
    )
    db.flush()
    return company, youth, opening, suggestion


def test_export_holds_everything_stored(
    db, client, make_user, make_youth, make_opening, make_suggestion, login_as
):
    caseworker = login_as(make_user(Role.CASEWORKER, name="Sara Sagsbehandler"))
    company, youth, _opening, suggestion = _world(
        db, make_user, make_youth, make_opening, make_suggestion, caseworker
    )
    client.get(f"/caseworker/profiles/{youth.id}")  # an audited read
    response = client.get(f"/caseworker/profiles/{youth.id}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'{youth.pseudonym}.json"')
    data = json.loads(response.text)
    assert data["pseudonym"] == youth.pseudonym
    assert data["profile"]["support_notes"] == "Brug for ro."
    assert data["profile"]["interests"] == ["fodbold"]
    actions = [e["action"] for e in data["history"]]
    assert "profile.create" in actions and "profile.read" in actions
    (item,) = data["suggestions"]
    assert item["score"] == 0.81 and item["components"] == {"skills": 0.7, "distance": 0.9}
    assert item["reasons"][0]["da"] == "Test-grund"
    # Stored as code and parameters, and given its words in both languages.
    assert item["reasons"][1] == {
        "code": "distance",
        "km": 2.5,
        "max_km": 15.0,
        "da": "2,5 km fra hjemmet, maks. 15",
        "en": "2.5 km from home, max 15",
    }
    assert item["decision"]["by"]["name"] == "Sara Sagsbehandler" and item["decision"]["at"]
    assert item["decision"]["pitch"].startswith("Mødestabil")
    assert item["partner_answer"]["by"]["id"] == company.id
    assert item["partner_answer"]["message"] == "Vi vil gerne mødes med den unge."
    assert {e["action"] for e in data["suggestion_history"]} >= {
        "suggestion.approve",
        "proposal.answer",
    }
    assert {m["kind"] for m in data["mails"]} >= {"proposal.new", "profile.reconfirm"}

    page = client.get(f"/caseworker/profiles/{youth.id}/data")
    assert page.status_code == 200
    assert "Alt, der er gemt om" in page.text and "Vi vil gerne mødes med den unge." in page.text
    assert "Test-grund; 2,5 km fra hjemmet, maks. 15" in page.text
    exports = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "profile.export", AuditEvent.object_id == youth.id
        )
    ).all()
    assert len(exports) == 2 and exports[0].actor_id == caseworker.id


def test_other_municipalities_and_roles_cannot_export_or_erase(
    client, make_user, make_youth, login_as
):
    youth = make_youth()
    login_as(make_user(Role.CASEWORKER, municipality_code=147))
    assert client.get(f"/caseworker/profiles/{youth.id}/data.json").status_code == 404
    assert (
        client.post(
            f"/caseworker/profiles/{youth.id}/erase", data={"confirm": youth.pseudonym}
        ).status_code
        == 404
    )
    client.post("/logout")
    login_as(make_user(Role.COMPANY))
    assert client.get(f"/caseworker/profiles/{youth.id}/data").status_code == 403


def test_erasure_removes_profile_suggestions_answers_mails_and_files(
    db, app, client, make_user, make_youth, make_opening, make_suggestion, login_as
):
    caseworker = login_as(make_user(Role.CASEWORKER))
    _company, youth, _opening, suggestion = _world(
        db, make_user, make_youth, make_opening, make_suggestion, caseworker
    )
    other = make_youth(caseworker)
    enqueue(
        db,
        caseworker,
        "profile.reconfirm",
        "run:other",
        {"new": 1, "days": 90, "pseudonyms": [other.pseudonym]},
    )
    mail_dir = Path(app.config["MAIL_DIR"])
    assert (
        send_pending(
            db, datetime.now(UTC) + timedelta(minutes=1), JobSettings(mail_dir=str(mail_dir))
        )["sent"]
        >= 4
    )
    mails = {n.id: n for n in db.scalars(select(Notification))}
    assert all((mail_dir / f"{i}.eml").exists() for i in mails)
    about = [i for i, n in mails.items() if n.payload.get("suggestion_id") == suggestion.id]
    digest = next(i for i, n in mails.items() if youth.pseudonym in n.payload.get("pseudonyms", []))
    kept = next(i for i, n in mails.items() if other.pseudonym in n.payload.get("pseudonyms", []))
    assert len(about) == 2  # to the company, and the answer to the caseworker
    assert youth.pseudonym in (mail_dir / f"{digest}.eml").read_text()

    youth_id, pseudonym = youth.id, youth.pseudonym
    wrong = client.post(f"/caseworker/profiles/{youth_id}/erase", data={"confirm": "U-XXXX-XX"})
    assert wrong.status_code == 422
    response = client.post(
        f"/caseworker/profiles/{youth_id}/erase", data={"confirm": pseudonym.lower()}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(YouthProfile, youth_id) is None
    assert db.scalars(select(Suggestion).where(Suggestion.youth_id == youth_id)).all() == []
    assert all(db.get(Notification, i) is None for i in about)
    assert not any((mail_dir / f"{i}.eml").exists() for i in about)
    scrubbed = db.get(Notification, digest)
    assert pseudonym not in json.dumps(scrubbed.payload)
    assert not (mail_dir / f"{digest}.eml").exists()
    assert db.get(Notification, kept) is not None and (mail_dir / f"{kept}.eml").exists()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "profile.erase")).one()
    assert event.object_id == youth_id and event.actor_id == caseworker.id
    assert pseudonym not in json.dumps(event.details)
    assert event.details == {
        "suggestions": 1,
        "mails_deleted": 2,
        "mails_scrubbed": 1,
        "mail_files_deleted": 3,
    }


def test_retention_deletes_the_mail_files_it_reports_deleted(
    db, tmp_path, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    _world(db, make_user, make_youth, make_opening, make_suggestion, caseworker)
    settings = JobSettings(mail_dir=str(tmp_path / "mail"))
    send_pending(db, datetime.now(UTC) + timedelta(minutes=1), settings)
    ids = list(db.scalars(select(Notification.id)))
    old, recent = ids[:-1], ids[-1]
    db.execute(
        update(Notification)
        .where(Notification.id.in_(old))
        .values(created_at=NOW - timedelta(days=120))
    )
    run = JobRun(name="retention", run_date=NOW.date(), status="running", started_at=NOW)
    db.add(run)
    db.flush()
    counts = retention_work(db, run, NOW, settings)
    assert counts["mails_deleted"] == counts["mail_files_deleted"] == len(old)
    files = sorted(p.name for p in (tmp_path / "mail").iterdir())
    assert files == [f"{recent}.eml"]


def test_scan_lists_stored_text_with_identifiers_without_the_text(
    db, runner, make_youth, make_opening, make_suggestion
):
    youth = make_youth(interests=["fodbold"])
    clean = make_youth(interests=["musik"])
    make_suggestion(youth, make_opening(), pitch="Ring til Mads Jensen")
    db.execute(
        update(YouthProfile)
        .where(YouthProfile.id == youth.id)
        .values(interests=["fodbold", "Instagram @madsj03"])
    )
    db.flush()
    result = runner.invoke(args=["privacy", "scan"])
    assert result.exit_code == 0, result.output
    assert f"{youth.pseudonym}\tinterests\tsocial" in result.output
    assert f"{youth.pseudonym}\tpitch of suggestion" in result.output
    assert clean.pseudonym not in result.output
    assert "@madsj03" not in result.output and "Mads Jensen" not in result.output
