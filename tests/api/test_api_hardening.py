"""The API answers from the probe (issue 14, finding 5): no 500, 405 with ``Allow``, and a
description that states the rules the server enforces."""

from __future__ import annotations

import re
from datetime import date

import pytest

from models.enums import Role
from models.validation import MAX_AGE, MIN_AGE


@pytest.fixture()
def company(db, make_user, make_opening, token_for):
    user = make_user(Role.COMPANY)
    return user, make_opening(user), {"Authorization": f"Bearer {token_for(user)}"}


@pytest.mark.parametrize(
    "body",
    [
        {"expires": "2000-01-01", "min_age": 13, "hours_min": 1, "hours_max": 1},
        {"start_date": None, "expires": "2000-01-01", "min_age": 13, "hours_min": 1},
        {"occupation_uri": ""},
        {"occupation_uri": "   "},
        {"occupation_uri": None, "expires": None, "start_date": None, "languages": []},
        {"hours_min": 30, "hours_max": 2},
        {"required_skills": ["", " "], "nice_skills": ["\t"]},
    ],
)
def test_patching_an_opening_never_answers_5xx(client, company, body):
    _user, opening, headers = company
    response = client.patch(f"/api/v1/openings/{opening.id}", json=body, headers=headers)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.get_json()["errors"]


def test_an_empty_occupation_means_none(client, company):
    _user, opening, headers = company
    response = client.patch(
        f"/api/v1/openings/{opening.id}", json={"occupation_uri": ""}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["occupation_uri"] is None


def _other_method(methods):
    for method in ("DELETE", "PUT", "PATCH", "POST", "GET"):
        if method not in methods:
            return method
    return None


def test_every_405_carries_allow(app, client, company):
    _user, _opening, headers = company
    checked = 0
    seen = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)
        if url in seen:
            continue
        seen.add(url)
        adapter = app.url_map.bind("localhost")
        methods = set(adapter.allowed_methods(url))
        method = _other_method(methods)
        if method is None:
            continue
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 405, (method, url, response.status_code)
        allow = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert allow == methods, (url, allow, methods)
        checked += 1
    assert checked > 30


def test_the_description_states_the_birth_year_and_postcode_rules(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    year = date.today().year
    profile = schemas["ProfileIn"]["properties"]["birth_year"]
    assert (profile["minimum"], profile["maximum"]) == (year - MAX_AGE, year - MIN_AGE)
    postcode = schemas["Postcode"]
    assert "2300" in postcode["enum"] and "9999" not in postcode["enum"]
    assert len(postcode["enum"]) > 1000
    for name in ("OpeningCreate", "OpeningPatch", "MentorSlotIn", "ProfileIn"):
        assert schemas[name]["properties"]["postcode"] == {"$ref": "#/components/schemas/Postcode"}
    hours = schemas["OpeningCreate"]["properties"]["hours_max"]
    assert "hours_min" in hours["description"]
