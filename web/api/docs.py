"""Readable API documentation at /api/v1/docs, generated from the OpenAPI document.

Server-rendered from the same document as /api/v1/openapi.json (so it cannot drift), with
no CDN and no script (the Content-Security-Policy of web/headers.py holds). Each operation
gets an example: a curl call and, where there is one, an example body and answer, made
from the schemas (their enums, formats and limits).
"""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request

from web.api import bp
from web.api.spec import API_PREFIX, current_spec

# A recognisable value per field name; otherwise one is made from the schema.
NAMED_EXAMPLES: dict[str, Any] = {
    "title": "Lagermedarbejder",
    "postcode": "2200",
    "description": "Pluk og pak af ordrer på et lager i Nordvest.",
    "occupation_uri": "http://data.europa.eu/esco/occupation/example",
    "languages": ["da", "en"],
    "required_skills": ["kundeservice"],
    "nice_skills": ["truckcertifikat"],
    "skills": ["kundeservice"],
    "interests": ["sport"],
    "wished_occupations": ["lagerarbejder"],
    "email": "navn@example.dk",
    "pseudonym": "U-7K2Q9",
    "locale": "da",
}
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example_of(
    schema: dict[str, Any],
    spec: dict[str, Any],
    name: str = "",
    depth: int = 0,
    *,
    writing: bool = False,
) -> Any:
    """An example value that the schema accepts (request bodies skip read-only fields)."""
    schema = _resolve(schema, spec)
    if "example" in schema:
        return schema["example"]
    if name in NAMED_EXAMPLES:
        return NAMED_EXAMPLES[name]
    if schema.get("enum"):
        return next((value for value in schema["enum"] if value is not None), None)
    kind = schema.get("type")
    if kind == "array" or "items" in schema:
        if depth > 4:
            return []
        return [example_of(schema.get("items", {}), spec, name, depth + 1, writing=writing)]
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            key: example_of(value, spec, key, depth + 1, writing=writing)
            for key, value in schema.get("properties", {}).items()
            if not (writing and _resolve(value, spec).get("readOnly"))
        }
    if kind == "integer" and (name == "id" or name.endswith("_id")):
        return 42
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), min(int(schema.get("maximum", 20)), 20))
    if kind == "number":
        return 2.5
    if kind == "boolean":
        return True
    formats = {
        "date": "2026-12-30",
        "date-time": "2026-12-30T09:00:00+00:00",
        "email": "navn@example.dk",
        "uri": "https://example.dk/api/v1/openings?page=2",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "tekst" if schema.get("maxLength", 10) >= 5 else "da"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _operations(spec: dict[str, Any], base_url: str) -> dict[str, list[dict[str, Any]]]:
    """The operations by tag, each with what the page shows."""
    tags: dict[str, list[dict[str, Any]]] = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            parameters = []
            url = path
            for parameter in op.get("parameters", []):
                schema = _resolve(parameter.get("schema", {}), spec)
                if parameter["in"] == "path":
                    parameters.append({"name": parameter["name"], "in": "path", "required": True})
                    url = url.replace("{" + parameter["name"] + "}", "42")
                else:  # a query schema: one parameter per property
                    for key, value in schema.get("properties", {}).items():
                        value = _resolve(value, spec)
                        parameters.append(
                            {
                                "name": key,
                                "in": "query",
                                "required": key in schema.get("required", []),
                                "type": value.get("type", ""),
                                "enum": value.get("enum"),
                            }
                        )
            body = None
            if "requestBody" in op:
                body_schema = op["requestBody"]["content"]["application/json"]["schema"]
                body = example_of(body_schema, spec, writing=True)
            success = next(code for code in op["responses"] if code.startswith("2"))
            content = op["responses"][success].get("content", {}).get("application/json")
            answer = example_of(content["schema"], spec) if content else None
            curl = ["curl"]
            if method != "get":
                curl.append(f"-X {method.upper()}")
            if not op.get("security") == []:
                curl.append('-H "Authorization: Bearer $TOKEN"')
            if body is not None:
                curl.append("-H 'Content-Type: application/json'")
                curl.append("-d '" + json.dumps(body, ensure_ascii=False) + "'")
            curl.append(base_url + url)
            tags.setdefault(op["tags"][0], []).append(
                {
                    "id": op["operationId"].replace(".", "-"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "roles": op.get("x-roles", []),
                    "public": op.get("security") == [],
                    "parameters": parameters,
                    "body": _json(body) if body is not None else None,
                    "status": success,
                    "answer": _json(answer) if answer is not None else None,
                    "curl": " \\\n  ".join(curl),
                    "errors": sorted(code for code in op["responses"] if code[0] in "45"),
                    "order": (path, METHOD_ORDER.get(method, 9)),
                }
            )
    for ops in tags.values():
        ops.sort(key=lambda o: o["order"])
    return dict(sorted(tags.items()))


@bp.get("/docs")
def docs() -> str:
    """The API documentation for people (public, like the OpenAPI document)."""
    spec = current_spec()
    base_url = request.host_url.rstrip("/")
    return render_template(
        "api/docs.html",
        spec=spec,
        tags=_operations(spec, base_url),
        errors=next(iter(next(iter(spec["paths"].values())).values()))["responses"],
        api_prefix=API_PREFIX,
    )
