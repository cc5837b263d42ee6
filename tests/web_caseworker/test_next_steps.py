"""After interest, who calls whom; reconfirmation and the follow-up as actions; the to-do
list on the caseworker's start page; due follow-ups in the digest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jobs.digests import due_follow_ups, queue_caseworker_digests
from jobs.mail import render
from jobs.settings import JobSettings
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import ProfileStatus, Role, SuggestionStatus
from models.jobrun import JobRun
from models.notification import Notification
from models.operations.profiles import set_profile_status


def _logout(client):
    client.post("/logout")


def test_interest_shows_each_side_the_other_ones_contact(
    client, db, caseworker, login_as, make_user, make_youth, make_opening, make_suggestion
):
    caseworker.phone = "+45 70 10 20 30"
    company = make_user(Role.COMPANY, name="Karen Købmand", phone="+45 11 22 33 44")
    opening = make_opening(company, title="Kasseassistent")
    youth = make_youth(caseworker)
    s = make_suggestion(youth, opening, status=SuggestionStatus.APPROVED, decided_at=utcnow())
    s.decided_by_id = caseworker.id
    db.flush()
    assert "Ring til" not in client.get("/caseworker/").text
    _logout(client)
    login_as(company)
    before = client.get(f"/company/openings/{opening.id}").text
    assert caseworker.email not in before and "Hvad sker der nu" not in before
    answer = client.post(f"/company/proposals/{s.id}/answer", data={"answer": "interested"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/company/openings/{opening.id}#proposal-{s.id}"
    after = client.get(answer.headers["Location"]).text
    card = after[after.index(f'id="proposal-{s.id}"') :]
    assert "Hvad sker der nu" in card and caseworker.email in card and "+45 70 10 20 30" in card
    assert "Sara Sagsbehandler" in card
    _logout(client)
    login_as(caseworker)
    start = client.get("/caseworker/").text
    todo = start[start.index('class="card todo"') :]
    assert "Ring til" in todo and youth.pseudonym in todo and company.email in todo
    assert "+45 11 22 33 44" in todo
    profile = client.get(f"/caseworker/profiles/{youth.id}").text
    assert "Næste skridt: ring til virksomheden" in profile and company.email in profile
    # Recording the outcome ends the task.
    client.post(f"/caseworker/suggestions/{s.id}/outcome", data={f"s{s.id}-outcome": "job"})
    assert (
        'class="card todo"' not in client.get("/caseworker/").text
        or youth.pseudonym
        not in (
            client.get("/caseworker/").text.split('class="card todo"')[1].split("</section>")[0]
        )
    )


def test_confirm_profile_button(client, db, caseworker, make_youth):
    youth = make_youth(caseworker)
    youth.reconfirm_requested_at = utcnow() - timedelta(days=1)
    db.flush()
    page = client.get(f"/caseworker/profiles/{youth.id}").text
    assert "Bekræft profil" in page and "Senest bekræftet" in page and "Aldrig" in page
    response = client.post(f"/caseworker/profiles/{youth.id}/confirm")
    assert response.status_code == 302
    db.refresh(youth)
    assert youth.reconfirm_requested_at is None and youth.confirmed_at is not None
    page = client.get(f"/caseworker/profiles/{youth.id}").text
    confirmed = page[page.index('class="confirmed-at"') :][:120]
    assert "Aldrig" not in confirmed and str(utcnow().year) in confirmed
    assert db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "profile.confirm", AuditEvent.object_id == youth.id
        )
    ).one()


def test_due_follow_up_on_the_start_page_with_an_outcome_form(client, db, caseworker, make_youth):
    youth = make_youth(caseworker)
    set_profile_status(db, caseworker, youth, ProfileStatus.PLACED)
    youth.follow_up_on = utcnow().date()
    db.flush()
    start = client.get("/caseworker/").text
    todo = start[start.index('class="card todo"') :]
    assert youth.pseudonym in todo and f"/caseworker/profiles/{youth.id}#follow-up" in todo
    page = client.get(f"/caseworker/profiles/{youth.id}").text
    assert 'id="follow-up"' in page and "Hvad viste opfølgningen?" in page
    past = (utcnow().date() - timedelta(days=3)).isoformat()
    refused = client.post(
        f"/caseworker/profiles/{youth.id}/follow-up",
        data={"result": "still_in_job", "next_follow_up_on": past},
    )
    assert refused.status_code == 422 and "fortiden" in refused.text
    later = utcnow().date() + timedelta(days=90)
    ok = client.post(
        f"/caseworker/profiles/{youth.id}/follow-up",
        data={"result": "still_in_job", "next_follow_up_on": later.isoformat()},
    )
    assert ok.status_code == 302
    db.refresh(youth)
    assert (youth.status, youth.follow_up_on) == (ProfileStatus.PLACED, later)
    assert youth.pseudonym not in client.get("/caseworker/").text.split("<table")[0]
    youth.follow_up_on = utcnow().date()
    db.flush()
    client.post(f"/caseworker/profiles/{youth.id}/follow-up", data={"result": "searching_again"})
    db.refresh(youth)
    assert youth.status is ProfileStatus.ACTIVE


def test_due_follow_ups_go_in_the_digest(db, caseworker, make_youth):
    youth = make_youth(caseworker)
    set_profile_status(db, caseworker, youth, ProfileStatus.PLACED)
    youth.follow_up_on = utcnow().date() - timedelta(days=1)
    not_due = make_youth(caseworker)
    set_profile_status(db, caseworker, not_due, ProfileStatus.PLACED)
    db.flush()
    due = due_follow_ups(db, utcnow().date())
    assert due == {
        caseworker.id: [{"pseudonym": youth.pseudonym, "due": youth.follow_up_on.isoformat()}]
    }
    note = Notification(
        recipient_id=caseworker.id,
        recipient_email=caseworker.email,
        kind="digest.caseworker",
        locale="da",
        idempotency_key="follow-up-digest",
        payload={"new": 0, "waiting": 0, "best": [], "follow_ups": due[caseworker.id]},
    )
    mail = render(db, note, JobSettings(base_url="https://match.example.dk"))
    assert mail.subject == "1 opfølgning er forfalden"
    assert youth.pseudonym in mail.text and "stadig i job eller uddannelse" in mail.text


def test_a_digest_goes_out_for_due_follow_ups_alone(db, caseworker, make_youth):
    youth = make_youth(caseworker)
    set_profile_status(db, caseworker, youth, ProfileStatus.PLACED)
    youth.follow_up_on = utcnow().date()
    run = JobRun(name="nightly", run_date=utcnow().date())
    db.add(run)
    db.flush()
    assert queue_caseworker_digests(db, run) == 1
    note = db.scalars(
        select(Notification).where(
            Notification.recipient_id == caseworker.id, Notification.kind == "digest.caseworker"
        )
    ).one()
    assert note.payload["new"] == 0
    assert note.payload["follow_ups"] == [
        {"pseudonym": youth.pseudonym, "due": utcnow().date().isoformat()}
    ]
    assert queue_caseworker_digests(db, run) == 0  # once per run
