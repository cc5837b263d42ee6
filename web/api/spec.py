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
from web.api.fields import NOT_LESS_THAN, REFUSES_IDENTIFIERS, REQUIRED_WHEN, text_pattern
from web.api.routing import OPERATIONS, Operation
from web.api.schemas import ESCO_OCCUPATION_URI, ProblemSchema
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
                "under /account/tokens). Errors are problem details (RFC 9457)." + RULES
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


POSTCODE_RULE = (
    "A Danish postcode the service knows (its reference list, "
    "models/reference_data/postcodes.csv); any other answers 422."
)
# What the introduction says about the rules a schema cannot state by itself.
RULES = f"""

**Rules.** Every limit the server enforces is in the schemas (lengths, ranges, patterns,
enums; known postcodes are the `Postcode` enum). Texts are Unicode: NUL and lone surrogates
are refused. What JSON Schema cannot say is stated by this document's own words:

- `format: {ESCO_OCCUPATION_URI}`: the URI of an ESCO occupation the service knows.
- `{REFUSES_IDENTIFIERS}: true`: free text about a young person (or sent to a partner) that
  refuses personal identifiers: CPR numbers, e-mail addresses, phone numbers, names, street
  addresses, dates of birth, social-media handles and licence plates.
- `{NOT_LESS_THAN}: <field>`: the value may not be less than (a date: not before) the other
  field's: the one sent, else on PATCH the stored one, else on create its `default`.
- `{REQUIRED_WHEN}: {{<field>: <value>}}`: the field must be sent, not blank, when the other
  field has that value (also stated as the object's `anyOf`).
- A published opening or an open mentor slot whose changed wording may discriminate is
  refused (422): it would be held for a partnership admin's review (docs/EQUAL_TREATMENT.md).

Any of these refused answers 422 and names the field in `errors`."""


def state_domain_rules(document: dict[str, Any], today: date) -> dict[str, Any]:
    """Write the operations' rules into the input schemas (those that refuse extra fields):
    known postcodes as an enum, the birth years a young person may have this year, and a
    conditional requirement as an ``anyOf``. What the server refuses, the document says."""
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
        for name, prop in properties.items():
            if REQUIRED_WHEN in prop:
                schema["anyOf"] = _required_when(name, prop[REQUIRED_WHEN])
    return document


def _required_when(name: str, when: dict[str, Any]) -> list[dict[str, Any]]:
    """``name`` is sent and not blank, or one of the ``when`` fields has another value."""
    others = [
        {
            "properties": {
                key: {"enum": [not value]}
                if isinstance(value, bool)
                else {"not": {"enum": [value]}}
            }
        }
        for key, value in when.items()
    ]
    blank_refused = text_pattern(single_line=False, non_blank=True)
    return [*others, {"required": [name], "properties": {name: {"pattern": blank_refused}}}]


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
