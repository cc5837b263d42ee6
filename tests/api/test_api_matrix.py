"""The authorization matrix: every API operation x every role x own and foreign tenant.

The expected statuses are written out here, independently of the code: a role that may not
use an operation gets 403, a foreign tenant's ID 404 (never the data), the own tenant success.
"""

from __future__ import annotations

from datetime import date

import pytest

from web.api.routing import OPERATIONS

ROLES = ("admin", "caseworker", "company", "mentor")
THIS_YEAR = date.today().year

# (method, rule) -> (allowed roles, object kind or None, body, success status)
MATRIX = {
    ("GET", "/me"): (ROLES, None, None, 200),
    ("GET", "/openings"): (("company", "caseworker"), None, None, 200),
    ("POST", "/openings"): (("company",), None, {"title": "Kok", "postcode": "2300"}, 201),
    ("GET", "/openings/<int:opening_id>"): (("company", "caseworker"), "opening", None, 200),
    ("PATCH", "/openings/<int:opening_id>"): (("company",), "opening", {"seats": 2}, 200),
    ("POST", "/openings/<int:opening_id>/close"): (("company",), "opening", {}, 200),
    ("GET", "/mentor-slots"): (("company", "mentor", "caseworker"), None, None, 200),
    ("POST", "/mentor-slots"): (
        ("company", "mentor"),
        None,
        {"title": "Lektiehjælp", "postcode": "2200"},
        201,
    ),
    ("GET", "/mentor-slots/<int:slot_id>"): (
        ("company", "mentor", "caseworker"),
        "slot",
        None,
        200,
    ),
    ("PATCH", "/mentor-slots/<int:slot_id>"): (("company", "mentor"), "slot", {"capacity": 3}, 200),
    ("POST", "/mentor-slots/<int:slot_id>/close"): (("company", "mentor"), "slot", {}, 200),
    ("GET", "/profiles"): (("caseworker",), None, None, 200),
    ("POST", "/profiles"): (
        ("caseworker",),
        None,
        {"birth_year": THIS_YEAR - 19, "postcode": "2200", "skills": ["kasse"]},
        201,
    ),
    ("GET", "/profiles/<int:profile_id>"): (("caseworker",), "profile", None, 200),
    ("PATCH", "/profiles/<int:profile_id>"): (("caseworker",), "profile", {"hours_min": 15}, 200),
    ("GET", "/suggestions"): (("caseworker",), None, None, 200),
    ("GET", "/suggestions/<int:suggestion_id>"): (("caseworker",), "suggestion", None, 200),
    ("POST", "/suggestions/<int:suggestion_id>/approve"): (
        ("caseworker",),
        "suggestion",
        {"pitch": "Glad for kunder"},
        200,
    ),
    ("POST", "/suggestions/<int:suggestion_id>/reject"): (
        ("caseworker",),
        "suggestion",
        {"reason_code": "too_far"},
        200,
    ),
    ("GET", "/proposals"): (("company",), None, None, 200),
    ("GET", "/proposals/<int:suggestion_id>"): (("company",), "proposal", None, 200),
    ("POST", "/proposals/<int:suggestion_id>/answer"): (
        ("company",),
        "proposal",
        {"interested": True},
        200,
    ),
    ("GET", "/offers"): (("mentor",), None, None, 200),
    ("GET", "/offers/<int:suggestion_id>"): (("mentor",), "offer", None, 200),
    ("POST", "/offers/<int:suggestion_id>/answer"): (("mentor",), "offer", {"accept": True}, 200),
}

# object kind -> role -> (own tenant's object, foreign tenant's object), as World attributes
OBJECTS = {
    "opening": {"company": ("opening_a", "opening_b"), "caseworker": ("opening_a", "opening_b")},
    "slot": {
        "company": ("slot_company", "slot_a"),
        "mentor": ("slot_a", "slot_b"),
        "caseworker": ("slot_a", "slot_b"),
    },
    "profile": {"caseworker": ("youth_a", "youth_b")},
    "suggestion": {"caseworker": ("suggestion_a", "suggestion_b")},
    "proposal": {"company": ("proposal_a", "proposal_b")},
    "offer": {"mentor": ("offer_a", "offer_b")},
}

# For lists: what the foreign tenant owns must never appear.
FOREIGN_IN_LISTS = {
    ("/openings", "company"): "opening_b",
    ("/openings", "caseworker"): "opening_b",
    ("/mentor-slots", "company"): "slot_a",
    ("/mentor-slots", "mentor"): "slot_b",
    ("/mentor-slots", "caseworker"): "slot_b",
    ("/profiles", "caseworker"): "youth_b",
    ("/suggestions", "caseworker"): "suggestion_b",
    ("/proposals", "company"): "proposal_b",
    ("/offers", "mentor"): "offer_b",
}


def test_the_matrix_covers_every_operation():
    declared = {(op.method, op.rule) for op in OPERATIONS}
    assert declared == set(MATRIX)


def _path(rule: str, object_id: int) -> str:
    if "<int:" not in rule:
        return rule
    head, _, tail = rule.partition("<int:")
    return head + str(object_id) + tail.partition(">")[2]


def _expected(key: tuple[str, str], role: str, tenant: str) -> int:
    allowed, kind, _body, success = MATRIX[key]
    if role not in allowed:
        return 403
    if kind is not None and tenant == "foreign":
        return 404
    return success


@pytest.mark.parametrize("key", list(MATRIX), ids=[f"{m} {r}" for m, r in MATRIX])
def test_authorization_matrix(api, world, token_for, key):
    """All roles x both tenants for one operation, in one world (successes last: they change
    state). Every mismatch is collected, so a failure lists the whole row of the matrix."""
    method, rule = key
    _allowed, kind, body, _success = MATRIX[key]
    cases = sorted(
        ((role, tenant) for role in ROLES for tenant in ("own", "foreign")),
        key=lambda case: _expected(key, *case) < 300,
    )
    mismatches = []
    for role, tenant in cases:
        token = token_for(world.users[role])
        path = rule
        if kind is not None:
            by_role = OBJECTS[kind]
            own, foreign = by_role.get(role) or next(iter(by_role.values()))
            path = _path(rule, getattr(world, own if tenant == "own" else foreign).id)
        response = api(method, path, token, json=body)
        expected = _expected(key, role, tenant)
        if response.status_code != expected:
            mismatches.append((role, tenant, expected, response.status_code, response.text[:200]))
            continue
        if expected >= 400:
            assert response.mimetype == "application/problem+json"
            assert response.json["status"] == expected
            assert "items" not in response.json and "id" not in response.json
        if expected == 200 and kind is None and method == "GET":
            if (rule, role) in FOREIGN_IN_LISTS:
                foreign_id = getattr(world, FOREIGN_IN_LISTS[(rule, role)]).id
                ids = {item["id"] for item in response.json["items"]}
                assert foreign_id not in ids, (role, rule)
                assert response.json["total"] >= 1
    assert not mismatches, mismatches


def test_without_a_token_every_operation_answers_401(api, world):
    for method, rule in MATRIX:
        response = api(method, _path(rule, world.opening_a.id), json={})
        assert response.status_code == 401, (method, rule)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
