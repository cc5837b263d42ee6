"""The caseload pages: create, edit, read, status, list with search, filters and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import ProfileStatus, Role, SuggestionStatus
from models.youth import YouthProfile


def _events(db, action, object_id=None):
    query = select(AuditEvent).where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(db.scalars(query))


def test_create_profile_happy_path(client, db, caseworker, form_data):
    response = client.post("/caseworker/profiles/new", data=form_data())
    assert response.status_code == 302
    profile = db.scalars(
        select(YouthProfile).where(YouthProfile.caseworker_id == caseworker.id)
    ).one()
    assert response.location.endswith(f"/caseworker/profiles/{profile.id}")
    assert profile.municipality_code == 101
    assert profile.skills == ["kundeservice", "rengøring"]
    assert profile.wished_occupations == ["lagerarbejder", "butiksassistent"]
    assert profile.languages == ["da", "en"]
    assert (profile.hours_min, profile.hours_max, profile.max_commute_km) == (15, 30, 15)
    assert profile.consent_recorded_at is not None
    assert _events(db, "profile.create", profile.id)
    page = client.get(response.location)
    assert profile.pseudonym in page.text
    assert "Har brug for hjælp" in page.text  # support notes shown to the owner


def test_consent_is_required_on_create(client, db, caseworker, form_data):
    response = client.post("/caseworker/profiles/new", data=form_data(consent=None))
    assert response.status_code == 422
    assert "Bekræft, at den unge har givet samtykke." in response.text
    assert db.scalar(select(YouthProfile.id)) is None


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"birth_year": str(utcnow().year - 14)}, "birth_year", "15–29 år"),
        ({"birth_year": str(utcnow().year - 30)}, "birth_year", "15–29 år"),
        ({"birth_year": "nitten"}, "birth_year", "Skriv et helt tal."),
        ({"birth_year": ""}, "birth_year", "Skriv fødselsåret."),
        ({"postcode": "9999"}, "postcode", "Ukendt postnummer."),
        ({"hours_min": "30", "hours_max": "10"}, "hours_min", "Mindste antal timer"),
        ({"hours_max": "45"}, "hours_min", "mellem 1 og 37"),
        ({"max_commute_km": "500"}, "max_commute_km", "1–200 km"),
        ({"languages": "klingonsk"}, "languages", "Ukendt sprog »klingonsk«"),
        ({"available_from": "i morgen"}, "available_from", "åååå-mm-dd"),
        ({"skills": "kundeservice, ring 12345678"}, "skills", "telefonnummeret"),
        ({"interests": "fodbold, 010203-1234"}, "interests", "CPR-nummeret"),
        ({"wished_occupations": "lager, a@b.dk"}, "wished_occupations", "e-mailadressen"),
        ({"support_notes": "Mor: +45 12 34 56 78"}, "support_notes", "telefonnummeret"),
        ({"support_notes": "CPR 0102031234"}, "support_notes", "CPR-nummeret"),
    ],
)
def test_every_validation_error_is_shown_next_to_its_field_and_nothing_is_lost(
    client, db, caseworker, form_data, overrides, field, message
):
    data = form_data(**overrides)
    response = client.post("/caseworker/profiles/new", data=data)
    assert response.status_code == 422
    html = response.text
    # The message sits in the error element of that field, in Danish.
    error_start = html.index(f'id="{field}-error"')
    assert message in html[error_start : error_start + 300]
    # Everything typed is still there.
    for name in ("skills", "interests", "wished_occupations", "postcode"):
        assert f'value="{data[name]}"' in html
    for language in data["languages"].split(", "):  # the picker keeps the choice
        assert f'selected value="{language}"' in html
    assert data["support_notes"] in html
    assert db.scalar(select(YouthProfile.id)) is None


def test_validation_errors_in_english(client, caseworker, form_data):
    client.post("/language", data={"locale": "en", "next": "/"})
    response = client.post("/caseworker/profiles/new", data=form_data(skills="ring 12345678"))
    assert response.status_code == 422
    assert "Remove the phone number: profiles are anonymous." in response.text


def test_edit_profile_keeps_values_and_audits(client, db, caseworker, make_youth, form_data):
    profile = make_youth(caseworker)
    page = client.get(f"/caseworker/profiles/{profile.id}/edit")
    assert page.status_code == 200
    assert 'value="kundeservice"' in page.text
    assert _events(db, "profile.read", profile.id)
    response = client.post(
        f"/caseworker/profiles/{profile.id}/edit",
        data=form_data(consent=None, skills="kassebetjening", birth_year=str(profile.birth_year)),
    )
    assert response.status_code == 302
    db.refresh(profile)
    assert profile.skills == ["kassebetjening"]
    (event,) = _events(db, "profile.update", profile.id)
    assert "skills" in event.details["fields"]


def test_edit_refuses_pii_and_keeps_what_was_typed(client, db, caseworker, make_youth, form_data):
    profile = make_youth(caseworker)
    response = client.post(
        f"/caseworker/profiles/{profile.id}/edit",
        data=form_data(support_notes="skriv til ung@example.dk", skills="IT, truck"),
    )
    assert response.status_code == 422
    assert "Fjern e-mailadressen" in response.text
    assert 'value="IT, truck"' in response.text
    db.refresh(profile)
    assert profile.skills == ["kundeservice"]


def test_profile_page_is_audited_and_shows_history(client, db, caseworker, make_youth):
    profile = make_youth(caseworker)
    db.flush()
    response = client.get(f"/caseworker/profiles/{profile.id}")
    assert response.status_code == 200
    assert len(_events(db, "profile.read", profile.id)) == 1
    assert "Profil oprettet" in response.text  # the audit trail, translated


def test_status_changes(client, db, caseworker, make_youth):
    profile = make_youth(caseworker)
    url = f"/caseworker/profiles/{profile.id}/status"
    assert client.post(url, data={"status": "paused"}).status_code == 302
    db.refresh(profile)
    assert profile.status is ProfileStatus.PAUSED
    follow_up = (utcnow() + timedelta(days=14)).date()
    response = client.post(url, data={"status": "placed", "follow_up_on": follow_up.isoformat()})
    assert response.status_code == 302
    db.refresh(profile)
    assert (profile.status, profile.follow_up_on) == (ProfileStatus.PLACED, follow_up)
    assert client.post(url, data={"status": "closed"}).status_code == 302
    db.refresh(profile)
    assert profile.status is ProfileStatus.CLOSED and profile.closed_at is not None
    assert client.post(url, data={"status": "active"}).status_code == 302
    db.refresh(profile)
    assert profile.status is ProfileStatus.ACTIVE and profile.closed_at is None
    afters = [e.details["after"] for e in _events(db, "profile.status", profile.id)]
    assert afters == ["paused", "placed", "closed", "active"]


def test_placing_with_a_past_follow_up_date_is_refused(client, db, caseworker, make_youth):
    profile = make_youth(caseworker)
    past = (utcnow() - timedelta(days=1)).date().isoformat()
    response = client.post(
        f"/caseworker/profiles/{profile.id}/status",
        data={"status": "placed", "follow_up_on": past},
    )
    assert response.status_code == 422
    assert "Opfølgningsdatoen kan ikke ligge i fortiden." in response.text
    db.refresh(profile)
    assert profile.status is ProfileStatus.ACTIVE


def test_pausing_withdraws_pending_suggestions(
    client, db, caseworker, make_youth, make_opening, make_suggestion
):
    profile = make_youth(caseworker)
    suggestion = make_suggestion(profile, make_opening())
    client.post(f"/caseworker/profiles/{profile.id}/status", data={"status": "paused"})
    db.refresh(suggestion)
    assert suggestion.status is SuggestionStatus.WITHDRAWN


def test_support_notes_are_for_the_owning_municipality_only(
    client, db, make_user, make_youth, login_as
):
    owner = make_user(Role.CASEWORKER, municipality_code=751)
    profile = make_youth(owner, support_notes="Note om angst ved nye steder")
    login_as(make_user(Role.CASEWORKER, municipality_code=751))  # a colleague
    assert "Note om angst" in client.get(f"/caseworker/profiles/{profile.id}").text
    client.post("/logout")
    login_as(make_user(Role.CASEWORKER, municipality_code=101))  # another municipality
    response = client.get(f"/caseworker/profiles/{profile.id}")
    assert response.status_code == 404
    assert "Note om angst" not in response.text
