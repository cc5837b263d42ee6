"""What API clients get: pages, filters, anonymous cards, problem details, audit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Role, SuggestionStatus
from models.operations.accounts import deactivate_user
from models.operations.tokens import revoke_token
from models.token import ApiToken
from tests.privacy.corpus import CARD_KEYS


def test_lists_are_paginated_with_total_and_links(api, world, token_for, make_opening):
    company = world.users["company"]
    for n in range(11):
        make_opening(company, title=f"Job {n}")
    token = token_for(company)
    response = api("GET", "/openings?per_page=5&page=2", token)
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["per_page"], body["total"]) == (2, 5, 12)
    assert len(body["items"]) == 5
    assert body["links"]["prev"].endswith("page=1&per_page=5")
    assert "page=3" in body["links"]["next"]
    assert "page=3" in body["links"]["last"]
    last = api("GET", "/openings?per_page=5&page=3", token).json
    assert len(last["items"]) == 2 and last["links"]["next"] is None
    assert not {i["id"] for i in last["items"]} & {i["id"] for i in body["items"]}


def test_per_page_above_100_and_bad_filters_are_refused_by_name(api, world, token_for):
    token = token_for(world.users["company"])
    response = api("GET", "/openings?per_page=101", token)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {"per_page"}
    response = api("GET", "/openings?status=nonsense&page=0", token)
    assert set(response.json["errors"]) == {"status", "page"}


def test_lists_filter_by_status(api, world, token_for, make_opening):
    company = world.users["company"]
    draft = make_opening(company, publish=False)
    token = token_for(company)
    drafts = api("GET", "/openings?status=draft", token).json
    assert [i["id"] for i in drafts["items"]] == [draft.id]
    assert "status=draft" in drafts["links"]["self"]
    offers = api("GET", "/offers?status=accepted", token_for(world.users["mentor"])).json
    assert offers["total"] == 0


def test_company_sees_only_the_anonymous_card(api, world, token_for):
    response = api("GET", f"/proposals/{world.proposal_a.id}", token_for(world.users["company"]))
    assert response.status_code == 200
    card = response.json["card"]
    assert set(card) == CARD_KEYS
    youth = world.proposal_a.youth
    assert card["municipality"] == "København"
    assert card["pitch"] == "Mødestabil og glad for kunder"
    low, high = (int(x) for x in card["age_band"].split("–"))
    assert low <= utcnow().year - youth.birth_year <= high
    text = response.text
    for secret in (youth.pseudonym, str(youth.birth_year), '"postcode"', "support_notes"):
        assert secret not in text


def test_mentor_offers_are_cards_too_and_a_mentor_can_accept(api, world, token_for):
    token = token_for(world.users["mentor"])
    listing = api("GET", "/offers", token).json
    assert [i["id"] for i in listing["items"]] == [world.offer_a.id]
    assert set(listing["items"][0]["card"]) == CARD_KEYS
    assert world.youth_a.support_notes not in str(listing)
    response = api("POST", f"/offers/{world.offer_a.id}/answer", token, json={"accept": True})
    assert response.json["status"] == "accepted"
    no_reason = api("POST", f"/offers/{world.offer_a.id}/answer", token, json={"accept": False})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    again = api(
        "POST",
        f"/offers/{world.offer_a.id}/answer",
        token,
        json={"accept": False, "reason": "Har ikke tid"},
    )
    assert again.status_code == 409
    assert again.json["type"].endswith("conflict")


def test_caseworker_approves_and_the_company_then_sees_it(api, world, token_for, db):
    token = token_for(world.users["caseworker"])
    path = f"/suggestions/{world.suggestion_a.id}/approve"
    response = api("POST", path, token, json={"pitch": "Stabil og nysgerrig"})
    assert response.status_code == 200, response.text
    assert response.json["status"] == "approved"
    db.refresh(world.suggestion_a)
    assert world.suggestion_a.decided_by_id == world.users["caseworker"].id
    company = token_for(world.users["company"])
    ids = {i["id"] for i in api("GET", "/proposals", company).json["items"]}
    assert world.suggestion_a.id in ids
    answered = api(
        "POST", f"/proposals/{world.suggestion_a.id}/answer", company, json={"interested": False}
    )
    assert answered.json["status"] == str(SuggestionStatus.DECLINED)


def test_reject_needs_a_reason_from_the_list(api, world, token_for):
    token = token_for(world.users["caseworker"])
    path = f"/suggestions/{world.suggestion_a.id}/reject"
    response = api("POST", path, token, json={"reason_code": "because"})
    assert response.status_code == 422
    assert "reason_code" in response.json["errors"]
    response = api("POST", path, token, json={"reason_code": "other", "reason": "Ring 12345678"})
    assert response.status_code == 422
    assert (
        "phone"
        in api(
            "POST",
            path,
            token,
            json={"reason_code": "other", "reason": "Ring 12345678"},
            headers={"Accept-Language": "en"},
        ).json["errors"]["reason"]
    )


def test_problems_speak_danish_by_default_and_english_on_request(api, world, token_for):
    token = token_for(world.users["company"])
    body = {"title": "Kok", "postcode": "0000"}
    danish = api("POST", "/openings", token, json=body)
    assert danish.status_code == 422
    assert danish.json["errors"] == {"postcode": "Ukendt postnummer."}
    assert danish.json["title"] == "Ugyldige oplysninger"
    english = api("POST", "/openings", token, json=body, headers={"Accept-Language": "en"})
    assert english.json["errors"] == {"postcode": "Unknown postcode."}
    assert english.json["title"] == "Invalid input"
    missing = api("POST", "/openings", token, json={"postcode": "2300"})
    assert missing.json["errors"] == {"title": "Feltet skal udfyldes."}


def test_the_token_users_locale_decides_without_accept_language(api, make_user, token_for):
    user = make_user(Role.COMPANY, locale="en")
    response = api("POST", "/openings", token_for(user), json={"title": "Cook", "seats": -1})
    assert response.status_code == 422
    assert response.json["errors"]["seats"] == "Give a number from 1 to 500."
    assert response.json["errors"]["postcode"] == "This field is required."


def test_reading_profiles_through_the_api_is_audited(api, world, token_for, db):
    caseworker = world.users["caseworker"]
    token = token_for(caseworker)
    assert api("GET", f"/profiles/{world.youth_a.id}", token).status_code == 200
    listing = api("GET", "/profiles", token).json
    events = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "profile.read", AuditEvent.actor_id == caseworker.id
        )
    ).all()
    read_ids = [e.object_id for e in events]
    assert read_ids.count(world.youth_a.id) == 2
    assert {i["id"] for i in listing["items"]} <= set(read_ids)
    assert world.youth_b.id not in read_ids


def test_profile_create_and_patch_use_the_domain_rules(api, world, token_for):
    token = token_for(world.users["caseworker"])
    year = utcnow().year
    created = api("POST", "/profiles", token, json={"birth_year": year - 40, "postcode": "2200"})
    assert created.status_code == 422
    assert set(created.json["errors"]) == {"birth_year"}
    created = api("POST", "/profiles", token, json={"birth_year": year - 18, "postcode": "2200"})
    assert created.status_code == 201
    assert created.json["municipality_code"] == 101
    profile_id = created.json["id"]
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"support_notes": "a@b.dk"})
    assert patched.status_code == 422 and "support_notes" in patched.json["errors"]
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"hours_max": 20})
    assert patched.json["hours_max"] == 20 and patched.json["birth_year"] == year - 18
    # A changed birth year is held to the same range as a new profile's.
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"birth_year": year - 40})
    assert patched.status_code == 422 and set(patched.json["errors"]) == {"birth_year"}
    assert api("GET", f"/profiles/{profile_id}", token).json["birth_year"] == year - 18
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"birth_year": year - 19})
    assert patched.status_code == 200 and patched.json["birth_year"] == year - 19


def test_bad_tokens_answer_401(api, world, token_for, db):
    user = world.users["company"]
    for bad in ("ugm_nonsense", "", "Basic abc"):
        headers = {"Authorization": bad if bad.startswith("Basic") else f"Bearer {bad}"}
        assert api("GET", "/me", headers=headers).status_code == 401
    expired = token_for(user)
    token = db.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.flush()
    assert api("GET", "/me", expired).status_code == 401
    revoked = token_for(user)
    revoke_token(db, user, db.scalar(select(ApiToken).order_by(ApiToken.id.desc())))
    db.flush()
    assert api("GET", "/me", revoked).status_code == 401
    good = token_for(user)
    assert api("GET", "/me", good).json["role"] == "company"
    deactivate_user(user)
    db.flush()
    assert api("GET", "/me", good).status_code == 401


def test_token_use_is_audited_at_most_once_a_minute(api, world, token_for, db):
    user = world.users["mentor"]
    token = token_for(user)
    for _ in range(3):
        assert api("GET", "/me", token).status_code == 200
    uses = db.scalars(select(AuditEvent).where(AuditEvent.action == "token.use")).all()
    assert len(uses) == 1 and uses[0].actor_id == user.id
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    row.last_used_at = utcnow() - timedelta(minutes=2)
    db.flush()
    api("GET", "/me", token)
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "token.use")).all()) == 2


def test_token_requests_set_no_session_cookie(api, world, token_for):
    response = api("GET", "/me", token_for(world.users["admin"]))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_huge_ids_and_unknown_paths_answer_404_problems(api, world, token_for):
    token = token_for(world.users["company"])
    for path in ("/openings/99999999999999999999", "/openings/0", "/nothing-here"):
        response = api("GET", path, token)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"


def test_profile_former_jobs_and_preferred_kinds_through_the_api(api, world, token_for):
    token = token_for(world.users["caseworker"])
    body = {
        "birth_year": utcnow().year - 18,
        "postcode": "2200",
        "former_jobs": ["opvasker"],
        "preferred_kinds": ["education", "job"],
    }
    created = api("POST", "/profiles", token, json=body)
    assert created.status_code == 201
    assert created.json["former_jobs"] == ["opvasker"]
    assert created.json["preferred_kinds"] == ["job", "education"]
    profile_id = created.json["id"]
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"preferred_kinds": ["boss"]})
    assert patched.status_code == 422
    assert patched.json["errors"]["preferred_kinds"] == "Vælg de foretrukne typer fra listen."
    patched = api(
        "PATCH", f"/profiles/{profile_id}", token, json={"former_jobs": ["ring 12 34 56 78"]}
    )
    assert patched.status_code == 422 and "former_jobs" in patched.json["errors"]
    patched = api("PATCH", f"/profiles/{profile_id}", token, json={"preferred_kinds": []})
    assert patched.json["preferred_kinds"] == [] and patched.json["former_jobs"] == ["opvasker"]


def test_a_suggestions_reasons_read_in_the_callers_language(api, world, token_for, db):
    """Stored as a code and its parameters, a reason comes out in the caller's language with
    the numbers as it writes them."""
    world.suggestion_a.reasons = [{"code": "distance", "km": 2.5, "max_km": 15.0}]
    db.flush()
    token = token_for(world.users["caseworker"])
    path = f"/suggestions/{world.suggestion_a.id}"
    danish = api("GET", path, token).json["reasons"]
    assert danish == [{"code": "distance", "text": "2,5 km fra hjemmet, maks. 15"}]
    english = api("GET", path, token, headers={"Accept-Language": "en"}).json["reasons"]
    assert english == [{"code": "distance", "text": "2.5 km from home, max 15"}]
