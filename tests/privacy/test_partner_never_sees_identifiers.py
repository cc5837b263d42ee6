"""The anonymous card, checked field by field for companies and mentors, in pages, the API
and mails: identifiers planted in every free-text field are refused on every channel (web
form, API, operations), and what partners do get holds the card's fields only — never the
support notes, the rejection reason, the pseudonym or the birth year."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from jobs.outbox import send_pending
from jobs.settings import JobSettings
from models.enums import Role, SuggestionStatus
from models.notification import Notification
from models.operations.suggestions import approve_suggestion, reject_suggestion
from models.suggestion import Suggestion
from models.youth import YouthProfile
from tests.privacy.corpus import CARD_KEYS

PLANTED = {
    "name": "Mads Jensen",
    "address": "Valby Langgade 112",
    "birthdate": "født 12. marts 2006",
    "social": "Instagram @madsj03",
    "plate": "AB 12 345",
    "cpr": "010203-1234",
    "email": "mads.j@gmail.com",
    "phone": "20 30 40 50",
}
PROFILE_FIELDS = ("skills", "interests", "wished_occupations", "support_notes")


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_identifiers_are_refused_in_every_field_on_every_channel(
    db,
    client,
    api,
    token_for,
    make_user,
    make_youth,
    make_opening,
    make_slot,
    make_suggestion,
    login_as,
    kind,
):
    text = PLANTED[kind]
    caseworker = make_user(Role.CASEWORKER)
    token = token_for(caseworker)
    before = db.scalar(select(func.count()).select_from(YouthProfile))
    for field in PROFILE_FIELDS:
        value = text if field == "support_notes" else ["lager", text]
        body = {"birth_year": datetime.now().year - 20, "postcode": "2200", field: value}
        response = api("POST", "/profiles", token, json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json["errors"], response.json
    login_as(caseworker)
    for field in PROFILE_FIELDS:
        form = {
            "birth_year": str(datetime.now().year - 20),
            "postcode": "2200",
            "max_commute_km": "20",
            "education_level": "primary",
            "hours_min": "10",
            "hours_max": "37",
            "languages": "da",
            "consent": "y",
            field: text,
        }
        response = client.post("/caseworker/profiles/new", data=form)
        assert response.status_code == 422, field
        assert f'id="{field}-error"' in response.text
    assert db.scalar(select(func.count()).select_from(YouthProfile)) == before

    youth = make_youth(caseworker)
    proposal = make_suggestion(youth, make_opening())
    response = api("POST", f"/suggestions/{proposal.id}/approve", token, json={"pitch": text})
    assert response.status_code == 422, response.text
    response = api(
        "POST",
        f"/suggestions/{proposal.id}/reject",
        token,
        json={"reason_code": "other", "reason": text},
    )
    assert response.status_code == 422, response.text

    company = make_user(Role.COMPANY)
    offer_to_company = make_suggestion(
        youth, make_opening(company), status=SuggestionStatus.APPROVED
    )
    response = api(
        "POST",
        f"/proposals/{offer_to_company.id}/answer",
        token_for(company),
        json={"interested": True, "message": text},
    )
    assert response.status_code == 422, response.text
    slot = make_slot()
    offer_to_mentor = make_suggestion(youth, slot, status=SuggestionStatus.APPROVED)
    response = api(
        "POST",
        f"/offers/{offer_to_mentor.id}/answer",
        token_for(slot.mentor),
        json={"accept": False, "reason": text},
    )
    assert response.status_code == 422, response.text
    db.expire_all()
    for suggestion in (proposal, offer_to_company, offer_to_mentor):
        assert suggestion.pitch is None and suggestion.reason is None
        assert suggestion.response_message is None


def _mail_texts(mail_dir: Path, ids: list[int]) -> list[str]:
    texts = []
    for mail_id in ids:
        message = message_from_bytes((mail_dir / f"{mail_id}.eml").read_bytes())
        parts = message.walk() if message.is_multipart() else [message]
        texts.append(
            "\n".join(
                p.get_payload(decode=True).decode("utf-8")
                for p in parts
                if p.get_content_maintype() == "text"
            )
            + str(message["Subject"])
        )
    return texts


def test_partners_see_the_card_fields_only(
    db,
    app,
    client,
    api,
    token_for,
    make_user,
    make_youth,
    make_opening,
    make_slot,
    make_suggestion,
    login_as,
):
    caseworker = make_user(Role.CASEWORKER)
    youth = make_youth(
        caseworker,
        skills=["zebrapasning"],
        interests=["kvastbinding"],
        wished_occupations=["lagerarbejder"],
        support_notes="Hemmelig note om sorgforløb",
        needs_mentor=True,
    )
    company = make_user(Role.COMPANY)
    opening = make_opening(company)
    slot = make_slot(interests=["kvastbinding"])
    to_company = make_suggestion(youth, opening)
    to_mentor = make_suggestion(youth, slot)
    rejected = make_suggestion(youth, make_opening(company))
    approve_suggestion(db, caseworker, to_company, "Mødestabil, god til lager.")
    approve_suggestion(db, caseworker, to_mentor, "Vil gerne have en voksen at tale med.")
    reject_suggestion(db, caseworker, rejected, "other", "Afvist fordi hemmelig grund")
    mail_dir = Path(app.config["MAIL_DIR"])
    send_pending(db, datetime.now(UTC) + timedelta(minutes=1), JobSettings(mail_dir=str(mail_dir)))
    partner_mails = [
        n.id
        for n in db.scalars(select(Notification))
        if n.recipient_id in (company.id, slot.mentor_id)
    ]
    assert len(partner_mails) == 2

    outputs: dict[str, str] = {}
    login_as(company)
    outputs["company proposals page"] = client.get("/company/proposals").text
    outputs["company opening page"] = client.get(f"/company/openings/{opening.id}").text
    client.post("/logout")
    login_as(slot.mentor)
    outputs["mentor offer page"] = client.get(f"/mentor/offers/{to_mentor.id}").text
    outputs["mentor start page"] = client.get("/mentor/").text
    company_token, mentor_token = token_for(company), token_for(slot.mentor)
    api_items = [
        api("GET", "/proposals", company_token).json["items"],
        [api("GET", f"/proposals/{to_company.id}", company_token).json],
        api("GET", "/offers", mentor_token).json["items"],
        [api("GET", f"/offers/{to_mentor.id}", mentor_token).json],
    ]
    for n, items in enumerate(api_items):
        assert items, n
        for item in items:
            assert set(item["card"]) == CARD_KEYS  # field by field: nothing else
            assert item["card"]["skills"] == ["zebrapasning"]
            assert item["card"]["interests"] == ["kvastbinding"]
        outputs[f"api {n}"] = json.dumps(items, ensure_ascii=False, default=str)
    for n, text in enumerate(_mail_texts(mail_dir, partner_mails)):
        outputs[f"mail {n}"] = text

    forbidden = [
        youth.pseudonym,
        "Hemmelig note",
        "hemmelig grund",
        "lagerarbejder",  # wished occupations stay with the caseworker
        *PLANTED.values(),
    ]
    for where, text in outputs.items():
        for secret in forbidden:
            assert secret not in text, (where, secret)
        assert "birth_year" not in text and str(youth.birth_year) not in text, where
    for where in ("company proposals page", "company opening page", "mentor offer page"):
        assert "zebrapasning" in outputs[where] and "kvastbinding" in outputs[where], where
    assert "Mødestabil, god til lager." in outputs["company opening page"]
    assert db.get(Suggestion, rejected.id).status is SuggestionStatus.REJECTED


def test_text_stored_before_the_guard_never_reaches_a_partner(
    db, client, api, token_for, make_user, make_youth, make_opening, make_suggestion, login_as
):
    """Defence in depth: rows written before the guard existed (or past it) are filtered on
    the card itself."""
    youth = make_youth(interests=["fodbold"])
    company = make_user(Role.COMPANY)
    opening = make_opening(company)
    suggestion = make_suggestion(youth, opening, status=SuggestionStatus.APPROVED)
    db.execute(
        update(YouthProfile)
        .where(YouthProfile.id == youth.id)
        .values(interests=["fodbold", "Mads Jensen fra Valby", "Instagram @madsj03"])
    )
    db.execute(
        update(Suggestion)
        .where(Suggestion.id == suggestion.id)
        .values(pitch="Mads bor på Valby Langgade 112")
    )
    db.expire_all()
    item = api("GET", f"/proposals/{suggestion.id}", token_for(company)).json
    assert item["card"]["interests"] == ["fodbold"] and item["card"]["pitch"] == ""
    login_as(company)
    page = client.get(f"/company/openings/{opening.id}").text
    assert "fodbold" in page
    for secret in ("Mads Jensen", "@madsj03", "Valby Langgade"):
        assert secret not in page
