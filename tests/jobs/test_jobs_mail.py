"""Every mail kind renders in Danish and English, with a link and no data it must not carry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jobs.mail import Undeliverable, render
from jobs.settings import JobSettings
from models.enums import Role
from models.notification import Notification
from models.operations.suggestions import answer_as_company, answer_as_mentor, approve_suggestion

SETTINGS = JobSettings(base_url="https://match.example.dk")


def _mails(db, recipient, kind):
    db.flush()
    return db.scalars(
        select(Notification).where(
            Notification.recipient_id == recipient.id, Notification.kind == kind
        )
    ).all()


@pytest.mark.parametrize("locale", ["da", "en"])
def test_event_mails_render_without_youth_data_for_partners(
    db, locale, make_user, make_youth, make_opening, make_slot, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER, locale=locale)
    company = make_user(Role.COMPANY, locale=locale)
    mentor = make_user(Role.MENTOR, locale=locale)
    youth = make_youth(caseworker, support_notes="Har brug for ro")
    opening = make_opening(company, title="Lagermedarbejder")
    slot = make_slot(mentor, title="Fodboldmentor")
    job = make_suggestion(youth, opening)
    mentoring = make_suggestion(youth, slot)
    approve_suggestion(db, caseworker, job, "Stabil og mødevillig")
    approve_suggestion(db, caseworker, mentoring, "")
    answer_as_company(db, company, job, True, "Kom til samtale")
    answer_as_mentor(db, mentor, mentoring, False, "Ingen tid")

    for recipient, kind, expected in [
        (company, "proposal.new", "Lagermedarbejder"),
        (mentor, "proposal.new", "Fodboldmentor"),
        (caseworker, "proposal.answered", youth.pseudonym),
        (caseworker, "mentoring.answered", youth.pseudonym),
    ]:
        (note,) = _mails(db, recipient, kind)
        mail = render(db, note, SETTINGS)
        assert expected in mail.subject + mail.text
        assert "https://match.example.dk/" in mail.text and 'href="https://match' in mail.html
        assert "Har brug for ro" not in mail.text + mail.html
        assert str(youth.birth_year) not in mail.text
        if recipient is not caseworker:
            assert youth.pseudonym not in mail.text + mail.html + mail.subject
        danish = any(w in mail.text for w in ("Hej", "Åbn"))
        assert danish is (locale == "da")


def test_digest_and_reconfirm_mails_render_and_escape_html(db, make_user):
    caseworker = make_user(Role.CASEWORKER)
    note = Notification(
        recipient_id=caseworker.id,
        recipient_email=caseworker.email,
        kind="digest.caseworker",
        locale="da",
        idempotency_key="x",
        payload={
            "new": 1,
            "waiting": 3,
            "run_date": "2026-11-28",
            "best": [{"pseudonym": "U-AAAA-BB", "title": "<b>Lager</b>", "kind": "opening"}],
        },
    )
    mail = render(db, note, SETTINGS)
    assert mail.subject == "1 nyt forslag venter"
    assert "I alt venter 3 forslag" in mail.text and "U-AAAA-BB" in mail.text
    assert "&lt;b&gt;Lager&lt;/b&gt;" in mail.html and "<b>Lager</b>" in mail.text
    note.kind, note.payload = (
        "profile.reconfirm",
        {"new": 2, "days": 90, "pseudonyms": ["U-1", "U-2"]},
    )
    mail = render(db, note, SETTINGS)
    assert mail.subject == "2 profiler skal bekræftes igen" and "90 dage" in mail.text


def test_a_mail_about_an_erased_suggestion_is_undeliverable(db, make_user):
    user = make_user(Role.COMPANY)
    note = Notification(
        recipient_id=user.id,
        recipient_email=user.email,
        kind="proposal.new",
        locale="da",
        idempotency_key="y",
        payload={"suggestion_id": 987654321},
    )
    with pytest.raises(Undeliverable):
        render(db, note, SETTINGS)
