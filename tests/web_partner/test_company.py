"""Company pages: openings (form, autocomplete, wording check), proposals as anonymous cards."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.enums import OpeningStatus, Role, SuggestionStatus
from models.notification import Notification
from models.opening import JobOpening

TODAY = date.today()


def opening_form(**overrides):
    data = {
        "title": "Lagermedarbejder",
        "occupation": "lagerarbejder",
        "kind": "job",
        "required_skills": "truckcertifikat, pakning",
        "nice_skills": "",
        "description": "Pakning og plukning af varer på vores lager i Valby.",
        "postcode": "2500",
        "hours_min": "20",
        "hours_max": "30",
        "seats": "2",
        "min_age": "18",
        "languages": "da",
        "start_date": (TODAY + timedelta(days=14)).isoformat(),
        "expires": (TODAY + timedelta(days=60)).isoformat(),
        "action": "publish",
    }
    data.update(overrides)
    return data


def post_opening_form(client, db, company_user, **overrides):
    """Post the new-opening form (with ``overrides``): the redirect and the one opening made."""
    response = client.post("/company/openings/new", data=opening_form(**overrides))
    assert response.status_code == 302
    opening = db.scalars(
        select(JobOpening).where(JobOpening.organisation_id == company_user.organisation_id)
    ).one()
    return response, opening


def test_dashboard_lists_own_openings_with_pending_count(
    client, company_user, make_opening, make_youth, approved
):
    mine = make_opening(company_user, title="Butiksassistent")
    approved(make_youth(), mine)
    other = make_opening(title="Fremmed opslag")
    response = client.get("/company/")
    assert response.status_code == 200
    assert "Butiksassistent" in response.text
    assert "Fremmed opslag" not in response.text
    assert "Slået op" in response.text  # status in Danish
    assert "1 forslag venter på dit svar" in response.text
    assert other.id != mine.id


def test_dashboard_is_paginated(client, company_user, make_opening):
    for n in range(27):
        make_opening(company_user, title=f"Opslag {n:02d}")
    first = client.get("/company/")
    assert "Side 1 af 2" in first.text
    second = client.get("/company/?page=2")
    assert len(re.findall(r'href="/company/openings/\d+"', second.text)) == 2


def test_post_opening_publishes_and_resolves_typed_occupation(db, client, company_user):
    response, opening = post_opening_form(client, db, company_user, occupation="lagerarbjder")
    assert opening.status is OpeningStatus.OPEN
    assert opening.occupation.label_da == "lagerarbejder"
    assert opening.required_skills == ["truckcertifikat", "pakning"]
    assert opening.hours_min == 20 and opening.seats == 2 and opening.min_age == 18
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "opening.publish"))
    page = client.get(response.headers["Location"])
    assert "Opslaget er slået op." in page.text


def test_save_as_draft(db, client, company_user):
    _response, opening = post_opening_form(client, db, company_user, action="save")
    assert opening.status is OpeningStatus.DRAFT


def test_validation_errors_are_danish_and_keep_the_input(client, company_user):
    response = client.post(
        "/company/openings/new",
        data=opening_form(
            postcode="9999", hours_min="30", hours_max="20", title="Kok til kantinen"
        ),
    )
    assert response.status_code == 422
    assert "Ukendt postnummer." in response.text
    assert 'value="Kok til kantinen"' in response.text
    assert "Pakning og plukning af varer" in response.text
    assert 'value="truckcertifikat, pakning"' in response.text


def test_unknown_occupation_is_a_clear_error(client, company_user):
    response = client.post("/company/openings/new", data=opening_form(occupation="xqzzyv"))
    assert response.status_code == 422
    assert "Vi kunne ikke finde dette erhverv" in response.text
    assert 'value="xqzzyv"' in response.text


def test_missing_fields_are_marked_in_danish(client, company_user):
    response = client.post("/company/openings/new", data=opening_form(title="", hours_min=""))
    assert response.status_code == 422
    assert "Skriv en titel." in response.text
    assert "Skriv et tal." in response.text


@pytest.mark.parametrize(
    "locale,expected",
    [
        ("da", "Skriv ikke en højeste alder"),
        ("en", "Do not ask for a maximum age"),
    ],
)
def test_discriminating_wording_keeps_a_draft_and_says_what_to_change(
    db, client, company_user, locale, expected
):
    company_user.locale = locale
    db.flush()
    response, opening = post_opening_form(
        client, db, company_user, description="Vi søger en ung og frisk medarbejder, max 25 år."
    )
    assert opening.status is OpeningStatus.DRAFT
    assert "max 25 år" in opening.description
    page = client.get(response.headers["Location"])
    assert expected in page.text
    assert "ung og frisk" in page.text
    assert "Vi søger en ung og frisk medarbejder, max 25 år." in page.text  # input kept


def test_publishing_a_draft_with_bad_wording_is_refused(db, client, company_user, make_opening):
    opening = make_opening(company_user, publish=False, description="Kun danskere, gerne en pige.")
    response = client.post(f"/company/openings/{opening.id}/status", data={"action": "publish"})
    assert response.status_code == 302
    db.refresh(opening)
    assert opening.status is OpeningStatus.DRAFT
    page = client.get(response.headers["Location"])
    assert "Spørg ikke efter en bestemt etnisk oprindelse" in page.text


def test_editing_a_published_opening_into_bad_wording_is_refused(
    db, client, company_user, make_opening
):
    opening = make_opening(company_user, description="Godt lagerjob.")
    response = client.post(
        f"/company/openings/{opening.id}/edit",
        data=opening_form(description="Han skal være etnisk dansk."),
    )
    assert response.status_code == 422
    assert "Han skal være etnisk dansk." in response.text
    db.refresh(opening)
    assert opening.description == "Godt lagerjob."
    assert opening.status is OpeningStatus.OPEN


def test_edit_pause_and_close(db, client, company_user, make_opening):
    opening = make_opening(company_user)
    page = client.get(f"/company/openings/{opening.id}/edit")
    assert page.status_code == 200
    assert 'value="Lagermedarbejder"' in page.text
    assert 'data-autocomplete-url="/occupations/search"' in page.text
    assert "<script" in page.text and "occupation-autocomplete.js" in page.text
    assert "<script>" not in page.text  # no inline script
    response = client.post(
        f"/company/openings/{opening.id}/edit", data=opening_form(title="Lagerhjælper")
    )
    assert response.status_code == 302
    db.refresh(opening)
    assert opening.title == "Lagerhjælper"
    client.post(f"/company/openings/{opening.id}/status", data={"action": "pause"})
    db.refresh(opening)
    assert opening.status is OpeningStatus.PAUSED
    client.post(f"/company/openings/{opening.id}/status", data={"action": "close"})
    db.refresh(opening)
    assert opening.status is OpeningStatus.CLOSED


def test_foreign_opening_answers_404(db, client, company_user, make_opening):
    foreign = make_opening()
    assert client.get(f"/company/openings/{foreign.id}").status_code == 404
    assert client.get(f"/company/openings/{foreign.id}/edit").status_code == 404
    assert (
        client.post(f"/company/openings/{foreign.id}/edit", data=opening_form()).status_code == 404
    )
    assert (
        client.post(f"/company/openings/{foreign.id}/status", data={"action": "close"}).status_code
        == 404
    )
    db.refresh(foreign)
    assert foreign.status is OpeningStatus.OPEN


def test_other_roles_get_403(client, make_user, login_as):
    login_as(make_user(Role.MENTOR))
    assert client.get("/company/").status_code == 403
    assert client.get("/company/openings/new").status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/company/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_proposal_card_is_anonymous(client, company_user, make_opening, make_youth, approved):
    opening = make_opening(company_user)
    youth = make_youth(
        birth_year=TODAY.year - 19,
        postcode="2200",
        skills=["kundeservice", "kasseekspedition"],
        interests=["fodbold"],
        support_notes="Hemmelig note om angst",
        hours_min=15,
        hours_max=30,
        languages=["da", "ar"],
        driving_licence=True,
    )
    approved(youth, opening, pitch="Stabil og venlig.")
    response = client.get(f"/company/openings/{opening.id}")
    html = response.text
    assert "18–20 år" in html
    assert "København" in html  # municipality of 2200
    assert "kasseekspedition" in html and "fodbold" in html and "Stabil og venlig." in html
    assert "15–30" in html
    assert youth.pseudonym not in html
    assert str(youth.birth_year) not in html
    assert "2200" not in html
    assert "Hemmelig note" not in html


def test_proposals_not_approved_are_invisible(
    client, company_user, make_opening, make_youth, make_suggestion
):
    opening = make_opening(company_user)
    make_suggestion(make_youth(skills=["hemmeligt-forslag"]), opening)  # only proposed
    assert "hemmeligt-forslag" not in client.get(f"/company/openings/{opening.id}").text
    assert "hemmeligt-forslag" not in client.get("/company/proposals").text


@pytest.mark.parametrize("answer,status", [("interested", "interested"), ("not_now", "declined")])
def test_answer_a_proposal_notifies_the_caseworker(
    db, client, company_user, make_opening, make_youth, approved, answer, status
):
    opening = make_opening(company_user)
    suggestion = approved(make_youth(), opening)
    response = client.post(
        f"/company/proposals/{suggestion.id}/answer",
        data={"answer": answer, "message": "Ring gerne til os"},
    )
    assert response.status_code == 302
    db.refresh(suggestion)
    assert suggestion.status is SuggestionStatus(status)
    assert suggestion.response_message == "Ring gerne til os"
    mail = db.scalars(
        select(Notification).where(Notification.recipient_id == suggestion.youth.caseworker_id)
    ).all()
    assert [m.kind for m in mail] == ["proposal.answered"]
    assert "Tak" in client.get(response.headers["Location"]).text


def test_answer_to_a_foreign_proposal_is_404(
    db, client, company_user, make_opening, make_youth, approved
):
    foreign = approved(make_youth(), make_opening())
    response = client.post(f"/company/proposals/{foreign.id}/answer", data={"answer": "interested"})
    assert response.status_code == 404
    db.refresh(foreign)
    assert foreign.status is SuggestionStatus.APPROVED


def test_proposals_page_lists_waiting_cards(
    client, company_user, make_opening, make_youth, approved
):
    opening = make_opening(company_user, title="Kantinemedhjælper")
    approved(make_youth(skills=["opvask"]), opening)
    response = client.get("/company/proposals")
    assert response.status_code == 200
    assert "Kantinemedhjælper" in response.text and "opvask" in response.text


def test_unpublished_reason_is_shown_to_the_company(db, client, company_user, make_opening):
    from models.operations.openings import unpublish_opening

    opening = make_opening(company_user)
    unpublish_opening(db, company_user, opening, "Teksten nævner alder.")
    page = client.get(f"/company/openings/{opening.id}")
    assert "Teksten nævner alder." in page.text


def test_publishing_computes_suggestions_at_once(db, client, company_user, make_youth):
    from models.suggestion import Suggestion

    youth = make_youth(
        birth_year=TODAY.year - 22,
        postcode="2500",
        skills=["pakning", "truckcertifikat"],
        wished_occupations=["lagerarbejder"],
        hours_min=20,
        hours_max=37,
    )
    _response, opening = post_opening_form(client, db, company_user)
    found = db.scalars(select(Suggestion).where(Suggestion.opening_id == opening.id)).all()
    assert [s.youth_id for s in found] == [youth.id]
    assert found[0].status is SuggestionStatus.PROPOSED
