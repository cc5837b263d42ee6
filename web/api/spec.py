"""The OpenAPI 3 description, generated from the declared operations and their schemas."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, current_app, jsonify

from models.reference import read_postcodes
from models.validation import MAX_AGE, MIN_AGE
from web.api import bp
from web.api.routing import OPERATIONS, Operation
from web.api.schemas import ProblemSchema
from web.converters import MAX_ID

API_PREFIX = "/api/v1"
ERROR_STATUSES = {
    "400": "Bad request (e.g. a missing CSRF token on a cookie session)",
    "401": "No valid token or session",
    "403": "Your role may not use this operation",
    "404": "Not found, or not yours",
    "409": "Clashes with the current state",
    "415": "The body must be application/json",
    "422": "Invalid input; `errors` names the fields",
    "429": "Too many requests",
}


def openapi_path(rule: str) -> str:
    return API_PREFIX + re.sub(r"<int:(\w+)>", r"{\1}", rule)


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    success: dict[str, Any] = {"description": "OK" if op.status == 200 else "Created"}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": op.response}}
    responses[str(op.status)] = success
    for code, text in ERROR_STATUSES.items():
        responses[code] = {
            "description": text,
            "content": {"application/problem+json": {"schema": "Problem"}},
        }
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in op.path_params
    ]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    result: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
        "x-roles": [str(role) for role in op.roles],
    }
    if op.description:
        result["description"] = op.description
    if parameters:
        result["parameters"] = parameters
    if op.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": op.body}},
        }
    if op.public:
        result["security"] = []
    return result


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Ungeløftet Match API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "The same operations and tenant rules as the web interface. Authenticate "
                "with a personal access token: `Authorization: Bearer <token>` (create one "
                "under /account/tokens). Errors are problem details (RFC 9457)."
            )
        },
        security=[{"bearerAuth": []}],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=ProblemSchema)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = _operation(op)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return state_domain_rules(spec.to_dict(), date.today())


# Rules the operations enforce (models/operations/) that a field's own schema cannot say.
CROSS_FIELD_RULES = {
    "hours_max": "At least `hours_min` (hours per week, 1-37).",
    "hours_min": "At most `hours_max` (hours per week, 1-37).",
    "expires": "Not before `start_date`.",
    "available_until": "Not before `available_from`.",
    "occupation_uri": (
        "An ESCO occupation URI the service knows (see /occupations/search); "
        "empty or null means none."
    ),
    "support_notes": "Anonymous: no CPR number, e-mail address or phone number.",
    "skills": "Anonymous: no CPR number, e-mail address or phone number.",
    "interests": "Anonymous: no CPR number, e-mail address or phone number.",
    "languages": "Two- or three-letter ISO 639 codes (e.g. da, en, ar), any case.",
}
# models/operations/openings.py check_languages: blank items are dropped, the rest are codes.
LANGUAGE_PATTERN = "^\\s*([A-Za-z]{2,3}\\s*)?$"
POSTCODE_RULE = (
    "A Danish postcode the service knows (its reference list, "
    "models/reference_data/postcodes.csv); any other answers 422."
)


def state_domain_rules(document: dict[str, Any], today: date) -> dict[str, Any]:
    """Write the operations' rules into the input schemas (those that refuse extra fields):
    known postcodes as an enum, the birth years a young person may have this year, and the
    cross-field rules as descriptions. What the server refuses, the description says."""
    schemas = document["components"]["schemas"]
    schemas["Postcode"] = {
        "type": "string",
        "description": POSTCODE_RULE,
        "enum": sorted(row["postcode"] for row in read_postcodes()),
    }
    for schema in schemas.values():
        if schema.get("additionalProperties") is not False:
            continue
        properties = schema.get("properties", {})
        if "postcode" in properties:
            properties["postcode"] = {"$ref": "#/components/schemas/Postcode"}
        if "birth_year" in properties:
            properties["birth_year"] |= {
                "minimum": today.year - MAX_AGE,
                "maximum": today.year - MIN_AGE,
                "description": f"The young person is {MIN_AGE}-{MAX_AGE} years old this year.",
            }
        if "languages" in properties:
            properties["languages"]["items"]["pattern"] = LANGUAGE_PATTERN
        for name, rule in CROSS_FIELD_RULES.items():
            if name in properties and "$ref" not in properties[name]:
                properties[name]["description"] = rule
    return document


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document (public: it describes, it does not reveal)."""
    return jsonify(current_spec())


def current_spec() -> dict[str, Any]:
    """The OpenAPI document, built once a year per app: the birth-year range it states moves
    on 1 January (the JSON document and the documentation pages share it)."""
    year = date.today().year
    cached = current_app.extensions.get("api_openapi")
    if cached is None or cached[0] != year:
        cached = current_app.extensions["api_openapi"] = (year, build_spec())
    spec: dict[str, Any] = cached[1]
    return spec
