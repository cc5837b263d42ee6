"""Every link in every mail template opens, for the recipient of the mail, a page that
answers 200: walk all mail kinds for every role that receives them."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from jobs.mail import TEMPLATES, render
from jobs.settings import JobSettings
from models.base import utcnow
from models.enums import Outcome, Role
from models.notification import Notification
from models.operations.ad_reviews import report_ad
from models.operations.suggestions import (
    answer_as_company,
    answer_as_mentor,
    approve_suggestion,
    record_outcome,
)
from tests.conftest import PASSWORD

BASE = "https://match.example.dk"
LINK = re.compile(re.escape(BASE) + r"(/[^\s\"'<>)]*)")


def _digest(db, user, kind, payload):
    note = Notification(
        recipient_id=user.id,
        recipient_email=user.email,
        kind=kind,
        locale=user.locale,
        payload=payload,
        idempotency_key=f"walk:{user.id}:{kind}",
    )
    db.add(note)
    return note


def test_every_mail_link_answers_200_for_its_recipient(
    app, db, make_user, make_youth, make_opening, make_slot, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    company = make_user(Role.COMPANY)
    mentor = make_user(Role.MENTOR)
    admin = make_user(Role.ADMIN)  # receives ad reports and the fairness monitor's flags
    opening = make_opening(company, title="Kasseassistent", seats=1)
    other_opening = make_opening(company, title="Lager")
    volunteer_slot = make_slot(mentor, title="Fodboldmentor")
    workplace_slot = make_slot(company, title="Mentor på lageret")  # a company's own slot
    youths = [make_youth(caseworker, needs_mentor=True) for _ in range(4)]
    job = make_suggestion(youths[0], opening)
    waiting = make_suggestion(youths[1], opening)
    mentoring = make_suggestion(youths[2], volunteer_slot)
    workplace = make_suggestion(youths[3], workplace_slot)
    later = make_suggestion(youths[3], other_opening)
    for s in (job, waiting, mentoring, workplace, later):
        approve_suggestion(db, caseworker, s, "Stabil")
    answer_as_company(db, company, job, True)
    answer_as_mentor(db, mentor, mentoring, False, "Ingen tid")
    answer_as_mentor(db, company, workplace, True)
    record_outcome(db, caseworker, job, Outcome.JOB)  # fills the opening: a notice
    report_ad(db, caseworker, other_opening, "Mærkelig tekst")
    report_ad(db, caseworker, volunteer_slot, "Ikke et rigtigt tilbud")
    youths[0].follow_up_on = utcnow().date()
    _digest(
        db,
        caseworker,
        "digest.caseworker",
        {
            "new": 1,
            "waiting": 2,
            "best": [{"pseudonym": youths[1].pseudonym, "title": "Lager", "kind": "opening"}],
            "follow_ups": [{"pseudonym": youths[0].pseudonym, "due": utcnow().date().isoformat()}],
        },
    )
    _digest(
        db,
        caseworker,
        "profile.reconfirm",
        {"new": 1, "days": 90, "pseudonyms": [youths[1].pseudonym]},
    )
    _digest(
        db,
        company,
        "digest.company",
        {"new": 1, "waiting": 1, "titles": [{"title": "Lager", "new": 1}]},
    )
    _digest(
        db,
        mentor,
        "digest.mentor",
        {"new": 1, "waiting": 1, "titles": [{"title": "Fodboldmentor", "new": 1}]},
    )
    _digest(
        db,
        company,
        "digest.mentor",
        {"new": 1, "waiting": 1, "titles": [{"title": "Mentor på lageret", "new": 1}]},
    )
    _digest(
        db,
        admin,
        "digest.fairness",
        {
            "new": 1,
            "flags": [
                {
                    "stage": "approved",
                    "attribute": "age_band",
                    "group": "15-17",
                    "ratio": 0.7,
                    "n": 40,
                }
            ],
            "run_date": utcnow().date().isoformat(),
        },
    )
    db.flush()

    notes = list(db.scalars(select(Notification).order_by(Notification.id)))
    walked: set[tuple[str, str]] = set()
    settings = JobSettings(base_url=BASE)
    for note in notes:
        mail = render(db, note, settings)
        if note.kind == "proposal.answered":  # who to call: the company's work contact
            assert company.email in mail.text and company.email in mail.html
        paths = set(LINK.findall(mail.text)) | set(LINK.findall(mail.html))
        assert paths, f"{note.kind} to {note.recipient.role}: no link"
        client = app.test_client()
        login = client.post("/login", data={"email": note.recipient.email, "password": PASSWORD})
        assert login.status_code == 302
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (
                note.kind,
                str(note.recipient.role),
                path,
                response.status_code,
            )
        walked.add((note.kind, str(note.recipient.role)))

    templates = {
        p.stem.replace("_", ".", 1)
        for p in Path(TEMPLATES, "mail").glob("*.txt")
        if not p.stem.startswith("_")
    }
    assert {kind for kind, _role in walked} == templates
    assert {
        ("proposal.new", "company"),
        ("proposal.new", "mentor"),
        ("digest.mentor", "company"),
        ("digest.mentor", "mentor"),
        ("ad.reported", "admin"),
        ("opening.filled", "company"),
        ("digest.fairness", "admin"),
    } <= walked
