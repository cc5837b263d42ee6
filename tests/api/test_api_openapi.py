"""The OpenAPI description is served, matches the routes, and the app keeps to it.

Schemathesis generates requests from the app's own description, with valid tokens of each
role (and path IDs that are sometimes the caller's real objects), and checks that nothing
answers a 5xx or breaks the declared statuses, content types and response schemas, and that
every request the description calls valid is accepted (positive_data_acceptance: a 422 for
one is a rule the description does not state). The rules it states in its own words (known
occupations, no identifiers in free text, field order) are kept by tests/api/openapi_rules.py.
SCHEMATHESIS_MAX_EXAMPLES (default 6 per operation for each role allowed to use it, and one
for each role that gets 403 before any input is read: about 290 requests) raises it for a
longer run, e.g. SCHEMATHESIS_MAX_EXAMPLES=100 for about 3,800 requests.
"""

from __future__ import annotations

import os
import re

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.openapi_rules import keep_document_rules
from web.api.routing import OPERATIONS
from web.api.spec import openapi_path

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
ROLES = ("admin", "caseworker", "company", "mentor")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]


def test_openapi_is_served_and_lists_every_api_route(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in ("api.openapi", "api.docs"):
            continue
        path = re.sub(r"<int:(\w+)>", r"{\1}", rule.rule)
        routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    assert len(documented) == len(OPERATIONS)
    # Every operation documents its errors as problem details, and the bearer scheme.
    for ops in spec["paths"].values():
        for op in ops.values():
            assert "application/problem+json" in op["responses"]["422"]["content"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_validation_limits_in_the_description_come_from_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").json
    opening = spec["components"]["schemas"]["OpeningCreate"]
    hours_min = opening["properties"]["hours_min"]
    assert (hours_min["type"], hours_min["minimum"], hours_min["maximum"]) == ("integer", 1, 37)
    assert opening["properties"]["title"]["maxLength"] == 200
    assert opening["additionalProperties"] is False
    per_page = next(
        p for p in spec["paths"]["/api/v1/openings"]["get"]["parameters"] if p["name"] == "per_page"
    )
    assert per_page["schema"]["maximum"] == 100


def test_schemathesis_against_the_apps_own_description(
    app, client, world, token_for, record_property
):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    keep_document_rules(schema, client.get("/api/v1/openapi.json").json)
    tokens = {role: token_for(world.users[role]) for role in ROLES}
    own_ids = {
        "opening_id": [world.opening_a.id, world.opening_b.id],
        "slot_id": [world.slot_a.id, world.slot_company.id, world.slot_b.id],
        "profile_id": [world.youth_a.id, world.youth_b.id],
        "suggestion_id": [
            world.suggestion_a.id,
            world.proposal_a.id,
            world.offer_a.id,
            world.suggestion_b.id,
        ],
    }
    calls = {"n": 0}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(OPERATIONS)

    allowed = {
        f"{op.method} {openapi_path(op.rule)}": {str(r) for r in op.roles} for op in OPERATIONS
    }

    def fuzz(operation, role):
        key = f"{operation.method.upper()} {operation.path}"
        examples = MAX_EXAMPLES if role in allowed[key] else 1

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), data=st.data())
        def run(case, data):
            for name in list(case.path_parameters or {}):
                if name in own_ids and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(own_ids[name]))
            response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
            calls["n"] += 1
            case.validate_response(response, checks=CHECKS)

        run()

    for operation in operations:
        for role in ROLES:
            fuzz(operation, role)
    record_property("schemathesis_requests", calls["n"])
    print(f"schemathesis: {calls['n']} requests")  # noqa: T201
    assert calls["n"] >= len(operations) * len(ROLES)
    if MAX_EXAMPLES >= 150:  # CI's PostgreSQL run (.ci/run): at least 5,000 cases, all passing
        assert calls["n"] >= 5000, calls
