"""Walk every web route as every role (and anonymous) and check the answer.

Routes are read from the app's URL map, so a new route is walked without editing this test.
Object routes get an ID of *another* tenant's object: the owner role must get 404, never
the data; other roles 403; anonymous users are sent to the login page.
"""

from __future__ import annotations

import re

import pytest

from models.enums import OrganisationKind, Role, SuggestionStatus
from models.operations.tokens import create_token

# Which role a blueprint is for; None: any logged-in user.
AREA_ROLE = {
    "admin": Role.ADMIN,
    "caseworker": Role.CASEWORKER,
    "company": Role.COMPANY,
    "mentor": Role.MENTOR,
    "account": None,
}
ROLES = [None, *Role]  # None = anonymous


@pytest.fixture()
def foreign(db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion):
    """Objects that belong to tenants none of the walking users belong to."""
    other_caseworker = make_user(Role.CASEWORKER, municipality_code=751)
    other_company = make_user(Role.COMPANY)
    other_mentor = make_user(Role.MENTOR)
    youth = make_youth(other_caseworker, postcode="8000")
    opening = make_opening(other_company, postcode="8000")
    company_slot = make_slot(other_company, postcode="8000")
    slot = make_slot(other_mentor, postcode="8000")
    proposal = make_suggestion(youth, opening, status=SuggestionStatus.APPROVED)
    offer = make_suggestion(youth, slot, status=SuggestionStatus.APPROVED)
    token, _secret = create_token(db, other_company, "other", 30)
    ids = {
        "profile_id": youth.id,
        "opening_id": opening.id,
        "slot_id": slot.id,
        "company_slot_id": company_slot.id,
        "suggestion_id": proposal.id,
        "offer_id": offer.id,
        "token_id": token.id,
        # Admin objects have no tenant: admins may reach every one of them.
        "organisation_id": make_org(OrganisationKind.COMPANY).id,
        "partnership_id": None,
        "user_id": other_mentor.id,
    }
    db.flush()
    return ids


def _web_rules(app):
    for rule in app.url_map.iter_rules():
        area = rule.endpoint.split(".")[0]
        if area in AREA_ROLE:
            yield rule, area


def _url(rule, area, ids, db):
    values = {}
    for arg in rule.arguments:
        key = arg
        if arg == "slot_id" and area == "company":
            key = "company_slot_id"
        if arg == "suggestion_id" and area == "mentor":
            key = "offer_id"
        if arg == "partnership_id":
            from models.operations.accounts import create_partnership

            ids["partnership_id"] = (
                ids["partnership_id"] or create_partnership(db, "Walk partnership", [101]).id
            )
        values[arg] = ids[key]
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_every_route_for_every_role(app, db, make_user, login_as, foreign, role):
    client = app.test_client()
    if role is not None:
        user = make_user(role)
        client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    checked = 0
    for rule, area in _web_rules(app):
        url = _url(rule, area, foreign, db)
        owner = AREA_ROLE[area]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            if role is None:
                expected = {302}
            elif owner is not None and owner is not role:
                expected = {403}
            elif rule.arguments and not (role is Role.ADMIN and area == "admin"):
                expected = {404}
            elif method == "GET":
                expected = {200}
            else:
                # Empty forms: a validation error or a redirect back, never a 5xx.
                expected = {200, 302, 400, 422}
            assert response.status_code in expected, (role, method, url, response.status_code)
            if role is None:
                assert "/login" in response.headers["Location"]
            checked += 1
    assert checked > 50


# Pages for everyone, logged in or not: help (start guides, FAQ), the API documentation, the
# favicon; single sign-on's start and callback answer 404 without a provider or a pending login.
PUBLIC_AREAS = ("guide", "sso")
PUBLIC_ENDPOINTS = ("api.docs",)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_public_pages_for_everyone(app, db, make_user, role):
    client = app.test_client()
    if role is not None:
        user = make_user(role)
        client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    checked = 0
    for rule in app.url_map.iter_rules():
        area = rule.endpoint.split(".")[0]
        if area not in PUBLIC_AREAS and rule.endpoint not in PUBLIC_ENDPOINTS:
            continue
        values = [{"role": r.value} for r in Role] if "role" in rule.arguments else [{}]
        for value in values:
            url = re.sub(
                r"<(?:\w+:)?(\w+)>", lambda m, v=value: str(v.get(m.group(1), 999999)), rule.rule
            )
            response = client.get(url)
            if area == "sso":
                expected = {302, 404}
            elif rule.endpoint == "guide.favicon":
                expected = {301}
            else:
                expected = {200}
            assert response.status_code in expected, (role, url, response.status_code)
            checked += 1
    assert client.get("/help/start/nobody").status_code == 404
    assert checked >= 8
