"""Walk every web route as every role (and anonymous) and check the answer.

Routes are read from the app's URL map, so a new route is walked without editing this test.
Object routes get an ID of *another* tenant's object: the owner role must get 404, never
the data; other roles 403; anonymous users are sent to the login page.
"""

from __future__ import annotations

import re

import pytest

from models.enums import OrganisationKind, Role
from models.operations.tokens import create_token
from tests.factories import make_tenant_objects

# Which roles a blueprint is for; None: any logged-in user.
AREA_ROLE = {
    "admin": {Role.ADMIN},
    "caseworker": {Role.CASEWORKER},
    "company": {Role.COMPANY},
    "mentor": {Role.MENTOR},
    "secretariat": {Role.SECRETARIAT},
    "figures": {Role.ADMIN, Role.SECRETARIAT, Role.CASEWORKER},
    "partnership": None,
    "account": None,
}
# National roles reach every partnership (and the admin every admin object).
SEES_ALL = {"admin": {Role.ADMIN}, "partnership": {Role.ADMIN, Role.SECRETARIAT}}
ROLES = [None, *Role]  # None = anonymous


@pytest.fixture()
def foreign(db, make_user, make_org):
    """Objects that belong to tenants none of the walking users belong to."""
    other_company = make_user(Role.COMPANY)
    other_mentor = make_user(Role.MENTOR)
    objects = make_tenant_objects(
        db, make_user(Role.CASEWORKER, municipality_code=751), other_company, other_mentor, "8000"
    )
    token, _secret = create_token(db, other_company, "other", 30)
    ids = {
        **objects.route_ids(),
        "token_id": token.id,
        # Admin objects have no tenant: admins may reach every one of them.
        "organisation_id": make_org(OrganisationKind.COMPANY).id,
        "partnership_id": None,
        "user_id": other_mentor.id,
        "note_id": 999_999,  # no such note: 404 for everyone
        "name": "placements",
        "version": 1,  # an engine config version
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

            # Municipality 751 (Aarhus): none of the walking users belongs to it.
            ids["partnership_id"] = (
                ids["partnership_id"] or create_partnership(db, "Walk partnership", [751]).id
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
            elif owner is not None and role not in owner:
                expected = {403}
            elif rule.endpoint == "figures.chart_svg":
                expected = {200}  # a chart's name, not an object of a tenant
            elif rule.arguments and (
                role not in SEES_ALL.get(area, ()) or rule.endpoint == "partnership.note_attachment"
            ):
                expected = {404}
            elif method == "GET":
                expected = {200}
            else:
                # Empty forms: a validation error, a refusal (a Conflict answered by
                # web.errors.domain_error: no referrer here) or a redirect back, never a 5xx.
                expected = {200, 302, 400, 409, 422}
            assert response.status_code in expected, (role, method, url, response.status_code)
            if role is None:
                assert "/login" in response.headers["Location"]
            checked += 1
    assert checked > 50


# Routes whose pages show a profile, an anonymous card or a pseudonym (by area).
PROFILE_AREAS = ("caseworker", "company", "mentor")


def test_the_secretariat_never_sees_a_profile_card_or_pseudonym(
    app, db, make_user, foreign, make_youth
):
    """Every web route as the secretariat: none that shows a profile, a card or a pseudonym
    answers (they are 403 or 404), and no page it may see names a pseudonym."""
    from models.youth import YouthProfile

    client = app.test_client()
    user = make_user(Role.SECRETARIAT)
    client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    pseudonyms = [p for p in db.query(YouthProfile.pseudonym)]
    assert pseudonyms
    shown = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        area = rule.endpoint.split(".")[0]
        try:
            url = _url(rule, area, foreign, db)
        except KeyError:
            continue  # public pages with arguments (invitation links)
        response = client.get(url)
        if area in PROFILE_AREAS:
            assert response.status_code == 403, (url, response.status_code)
        text = response.get_data(as_text=True)
        if response.status_code == 200:
            shown.append(url)
        assert not [p for (p,) in pseudonyms if p in text], url
    assert "/secretariat/" in shown and any(u.startswith("/figures/") for u in shown)
    # The JSON API shows the secretariat no profile either.
    api = client.get("/api/v1/profiles")
    assert api.status_code in (401, 403, 404) or api.get_json().get("items", []) == []


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
