"""Out-of-range IDs in a URL answer 404 on every route, before any database work (finding 3).

PostgreSQL's ``integer`` ends at 2**31 - 1: an ID above it made the query fail with a 500.
Every rule of the URL map is walked (so a new route is covered without a new test), with
every method, anonymously and as the role the area belongs to.
"""

from __future__ import annotations

import re

import pytest

from models.enums import Role
from tests.conftest import PASSWORD
from web.converters import IdConverter

OUT_OF_RANGE = [0, 2**31, 2**63, 10**26]
AREA_ROLE = {
    "admin": Role.ADMIN,
    "caseworker": Role.CASEWORKER,
    "company": Role.COMPANY,
    "mentor": Role.MENTOR,
    "account": Role.CASEWORKER,
}


def _rules_with_ids(app):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint != "static"
        and any(isinstance(c, IdConverter) for c in r._converters.values())
    ]
    assert len(rules) >= 40, "the walk should see every ID route"
    return rules


def _role_for(rule):
    area = rule.endpoint.split(".")[0]
    if area == "api":
        return None  # the API is walked with each role below
    return AREA_ROLE.get(area)


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_out_of_range_ids_answer_404_on_every_route(app, make_user, role):
    client = app.test_client()
    if role is not None:
        user = make_user(role)
        assert (
            client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
    checked = 0
    for rule in _rules_with_ids(app):
        owner = _role_for(rule)
        if role is not None and owner is not None and owner is not role:
            continue  # another area: its owner role walks it
        for value in OUT_OF_RANGE:
            url = re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m, v=value: str(v) if m.group(1) in (None, "int") else "x",
                rule.rule,
            )
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                kwargs = {"json": {}} if rule.rule.startswith("/api/") else {"data": {}}
                response = client.open(url, method=method, **kwargs)
                assert response.status_code == 404, (role, method, url, response.status_code)
                checked += 1
    assert checked > 0


def test_the_openapi_document_states_the_id_range(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["minimum"] == 1, path
                    assert parameter["schema"]["maximum"] == 2**31 - 1, path
