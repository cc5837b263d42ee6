"""Discriminating ads are held for a partnership admin's review instead of being published;
the admin publishes with a recorded justification or keeps them unpublished; caseworkers
report published ads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobs.outbox import send_pending
from jobs.settings import JobSettings
from models.ad_review import AdReview
from models.audit import AuditEvent
from models.enums import OpeningStatus, Role, SlotStatus
from models.errors import Conflict, ValidationError
from models.notification import Notification
from models.opening import JobOpening
from models.operations.ad_reviews import pending_reviews, publish_with_justification, report_ad
from models.operations.openings import (
    DiscriminatingWording,
    OpeningInput,
    publish_opening,
    update_opening,
)
from tests.web_partner.test_company import opening_form


def _events(db, action):
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize(
    "text",
    [
        "Ingen kvinder.",
        "Du skal være ung.",
        "Gerne ugift og ikke gravid.",
        "Maks. 25 år.",
        "No women",
    ],
)
def test_flagged_opening_is_held_not_published(db, make_user, make_opening, text):
    company = make_user(Role.COMPANY)
    opening = make_opening(company, description=text)
    assert opening.status is OpeningStatus.DRAFT
    assert opening.held_for_review
    review = db.scalars(select(AdReview).where(AdReview.opening_id == opening.id)).one()
    assert review.kind == "flagged" and review.status == "pending" and review.categories
    assert _events(db, "ad.held_for_review")


def test_company_is_told_in_danish_and_admin_publishes_with_justification(
    db, client, make_user, login_as
):
    company = login_as(make_user(Role.COMPANY))
    response = client.post(
        "/company/openings/new",
        data=opening_form(description="Du skal være fyldt 18 år. Max 25 år."),
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "partnerskabsadministrator" in page.text and "Alder" in page.text
    opening = db.scalars(
        select(JobOpening).where(JobOpening.organisation_id == company.organisation_id)
    ).one()
    assert opening.status is OpeningStatus.DRAFT
    detail = client.get(f"/company/openings/{opening.id}")
    assert "En partnerskabsadministrator gennemgår formuleringen" in detail.text

    client.post("/logout")
    login_as(make_user(Role.ADMIN))
    listing = client.get("/admin/reviews")
    assert "Max 25 år" in listing.text
    review = opening.reviews[0]
    short = client.post(
        f"/admin/reviews/{review.id}/publish",
        data={"justification": "ok"},
        headers={"Referer": "http://localhost/admin/reviews"},  # as the browser sends it
    )
    assert short.status_code == 303 and short.headers["Location"] == "/admin/reviews"
    assert "Skriv, hvorfor formuleringen er lovlig her" in client.get("/admin/reviews").text
    db.refresh(opening)
    assert opening.status is OpeningStatus.DRAFT  # a justification needs words
    done = client.post(
        f"/admin/reviews/{review.id}/publish",
        data={"justification": "Ungdomsløn op til 25 år efter overenskomsten; lovligt."},
    )
    assert done.status_code == 302
    db.refresh(opening)
    db.refresh(review)
    assert opening.status is OpeningStatus.OPEN and not opening.held_for_review
    assert review.status == "published" and review.decided_by_id is not None
    event = _events(db, "ad.published_with_justification")[-1]
    assert event.details["justification"].startswith("Ungdomsløn")
    # The same text may be saved again; a new discriminating text may not.
    fields = {k: getattr(opening, k) for k in OpeningInput.__dataclass_fields__}
    update_opening(db, company, opening, OpeningInput(**fields))
    with pytest.raises(DiscriminatingWording):
        update_opening(db, company, opening, OpeningInput(**{**fields, "description": "Kun mænd"}))


def test_admin_keeps_it_unpublished_with_a_reason(db, client, make_user, make_opening, login_as):
    opening = make_opening(description="No women")
    login_as(make_user(Role.ADMIN))
    review = opening.reviews[0]
    client.post(
        f"/admin/reviews/{review.id}/keep",
        data={"reason": "Annoncen udelukker kvinder; skriv opgaverne i stedet."},
    )
    db.expire_all()
    assert opening.status is OpeningStatus.DRAFT
    assert opening.unpublished_reason.startswith("Annoncen udelukker")
    assert not opening.held_for_review


def test_only_admins_decide(db, client, make_user, make_opening, login_as):
    opening = make_opening(description="Ingen kvinder.")
    caseworker = make_user(Role.CASEWORKER)
    with pytest.raises(Conflict):
        publish_with_justification(db, caseworker, opening.reviews[0], "Det er fint, tro mig.")
    login_as(make_user(Role.COMPANY))
    assert client.get("/admin/reviews").status_code == 403
    response = client.post(
        f"/admin/reviews/{opening.reviews[0].id}/publish", data={"justification": "x" * 20}
    )
    assert response.status_code == 403


def test_flagged_mentor_slot_is_held(db, client, make_user, make_slot, login_as):
    slot = make_slot(description="Du skal være ung og single.")
    assert slot.status is SlotStatus.PAUSED and slot.held_for_review
    mentor = login_as(slot.mentor)
    response = client.post(f"/mentor/slots/{slot.id}/status", data={"action": "open"})
    assert response.status_code == 302
    db.refresh(slot)
    assert slot.status is SlotStatus.PAUSED
    assert len(slot.reviews) == 1  # one hold, refreshed
    assert mentor.id == slot.mentor_id


def _mailed(db, smtp_server):
    """Send the outbox through the real SMTP server; the mails it received."""
    settings = JobSettings(smtp_url=smtp_server.url, base_url="https://match.example.dk")
    send_pending(db, datetime.now(UTC) + timedelta(minutes=1), settings)
    return smtp_server.handler.messages


def test_report_records_the_review_audits_and_mails_the_admins(
    db, make_user, make_opening, make_slot, smtp_server
):
    caseworker = make_user(Role.CASEWORKER)
    admin = make_user(Role.ADMIN, email="sekretariat@partnerskab.dk")
    make_user(Role.ADMIN).active = False
    opening = make_opening(title="Lagerjob")
    review = report_ad(db, caseworker, opening, "  Kræver 'dansk som modersmål'.  ")
    assert (review.kind, review.status, review.opening_id) == ("reported", "pending", opening.id)
    assert review.report_reason == "Kræver 'dansk som modersmål'."
    assert review.created_by_id == caseworker.id
    assert review in pending_reviews(db)
    (event,) = _events(db, "ad.report")
    assert (event.object_type, event.object_id) == ("JobOpening", opening.id)
    assert event.details["review_id"] == review.id
    assert event.details["reason"] == "Kræver 'dansk som modersmål'."
    (mail,) = _mailed(db, smtp_server)
    assert mail["To"] == "sekretariat@partnerskab.dk"
    body = mail.get_payload()[0].get_payload(decode=True).decode()
    assert "Lagerjob" in body and "Kræver 'dansk som modersmål'." in body
    assert "https://match.example.dk/admin/reviews" in body
    slot_review = report_ad(db, caseworker, make_slot(), "Ikke et rigtigt tilbud")
    assert slot_review.mentor_slot_id is not None and slot_review.opening_id is None
    assert _events(db, "ad.report")[-1].object_type == "MentorSlot"
    assert admin.active


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", "Say what is wrong with the ad (at least 10 characters)."),
        ("For kort", "Say what is wrong with the ad (at least 10 characters)."),
        ("x" * 2001, "Write at most 2000 characters."),
    ],
)
def test_a_report_needs_a_reason_of_10_to_2000_characters(
    db, make_user, make_opening, reason, message
):
    make_user(Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        report_ad(db, make_user(Role.CASEWORKER), make_opening(), reason)
    assert (refused.value.field, refused.value.message) == ("reason", message)
    assert db.scalars(select(AdReview)).all() == [] and _events(db, "ad.report") == []
    assert db.scalars(select(Notification)).all() == []


def test_a_report_refuses_identifiers(db, make_user, make_opening):
    with pytest.raises(ValidationError) as refused:
        report_ad(
            db, make_user(Role.CASEWORKER), make_opening(), "Ring til mig på 20 30 40 50 om det."
        )
    assert refused.value.field == "reason"


def test_caseworker_reports_from_the_card_and_admin_takes_it_off(
    db, client, make_user, make_opening, login_as, smtp_server
):
    opening = make_opening(description="Godt lagerjob, gerne med truckcertifikat.")
    assert opening.status is OpeningStatus.OPEN
    admin = make_user(Role.ADMIN)
    caseworker = login_as(make_user(Role.CASEWORKER))
    form = client.get(f"/caseworker/ads/opening/{opening.id}/report")
    assert form.status_code == 200 and "Anmeld annoncen" in form.text
    short = client.post(f"/caseworker/ads/opening/{opening.id}/report", data={"reason": "Drenge"})
    assert short.status_code == 422 and "mindst 10 tegn" in short.text
    response = client.post(
        f"/caseworker/ads/opening/{opening.id}/report",
        data={"reason": "Virksomheden sagde i telefonen, at de kun vil have drenge."},
    )
    assert response.status_code == 302
    review = db.scalars(select(AdReview).where(AdReview.kind == "reported")).one()
    assert review.created_by_id == caseworker.id and review.status == "pending"
    assert _events(db, "ad.report")[0].details["review_id"] == review.id
    (mail,) = _mailed(db, smtp_server)
    assert mail["To"] == admin.email

    client.post("/logout")
    login_as(admin)
    assert "kun vil have drenge" in client.get("/admin/reviews").text
    client.post(
        f"/admin/reviews/{review.id}/settle",
        data={"outcome": "unpublish", "note": "Bekræftet af sekretariatet; taget af."},
    )
    db.refresh(opening)
    db.refresh(review)
    assert opening.status is OpeningStatus.DRAFT
    assert review.status == "unpublished"


def test_report_needs_a_published_ad_and_a_caseworker(db, make_user, make_opening):
    draft = make_opening(publish=False)
    with pytest.raises(Conflict):
        report_ad(db, make_user(Role.CASEWORKER), draft, "Dette er diskriminerende tekst.")
    with pytest.raises(Conflict):
        report_ad(db, make_user(Role.COMPANY), make_opening(), "Dette er diskriminerende tekst.")


def test_api_create_returns_the_held_opening(db, api, make_user, token_for):
    company = make_user(Role.COMPANY)
    response = api(
        "POST",
        "/openings",
        token_for(company),
        json={"title": "Lager", "postcode": "2300", "description": "Ingen kvinder."},
    )
    assert response.status_code == 201, response.text
    assert response.json["status"] == "draft"
    assert response.json["held_for_review"] is True


def test_changing_the_wording_withdraws_the_hold(db, make_user, make_opening):
    company = make_user(Role.COMPANY)
    opening = make_opening(company, description="Kun mænd.")
    assert opening.held_for_review
    fields = {k: getattr(opening, k) for k in OpeningInput.__dataclass_fields__}
    update_opening(
        db, company, opening, OpeningInput(**{**fields, "description": "Alle er velkomne."})
    )
    publish_opening(db, company, opening)
    assert opening.status is OpeningStatus.OPEN and not opening.held_for_review
    assert opening.reviews[0].status == "dismissed"
