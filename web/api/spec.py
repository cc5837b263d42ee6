"""The OpenAPI 3 description, generated from the declared operations and their schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, current_app, jsonify

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
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document (public: it describes, it does not reveal)."""
    cached = current_app.extensions.get("api_openapi")
    if cached is None:
        cached = current_app.extensions["api_openapi"] = build_spec()
    return jsonify(cached)
