"""The rules the OpenAPI document states in its own words, for schemathesis.

JSON Schema cannot say "a known ESCO occupation", "no personal identifiers in this text"
or "not less than that other field"; the document says them with its own format and
extensions (web/api/spec.py, ``RULES``). These hooks read them from the document and keep
generated requests within them, so a request the document calls valid must be accepted
(schemathesis' positive_data_acceptance) — nothing here is named per operation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import schemathesis
from hypothesis import strategies as st

from models.identifiers import find_identifiers
from models.reference import read_occupations
from web.api.fields import DATE_YEARS, NOT_LESS_THAN, REFUSES_IDENTIFIERS
from web.api.schemas import ESCO_OCCUPATION_URI


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def body_properties(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The properties of an operation's JSON body, by name ({} when it takes none)."""
    operation = document["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return {}
    return {
        name: _resolve(document, prop)
        for name, prop in _resolve(document, content["schema"]).get("properties", {}).items()
    }


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str)]


def has_identifiers(properties: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether a text the document marks as refusing identifiers holds one."""
    for name, prop in properties.items():
        marked = prop.get(REFUSES_IDENTIFIERS) or prop.get("items", {}).get(REFUSES_IDENTIFIERS)
        if marked and name in body and any(find_identifiers(t) for t in _texts(body[name])):
            return True
    return False


def unknown_occupation(properties: dict[str, Any], body: dict[str, Any], known: set[str]) -> bool:
    """Whether a text of the occupation format is neither empty nor a known occupation (the
    format strategy draws known ones; schemathesis also tries strings it found elsewhere,
    which a validator that does not know the format lets through)."""
    return any(
        prop.get("format") == ESCO_OCCUPATION_URI
        and isinstance(body[name], str)
        and body[name]
        and body[name] not in known
        for name, prop in properties.items()
        if name in body
    )


def keep_order(properties: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Every ``x-not-less-than`` pair in order. Where only one of the pair is sent, the other
    (stored on PATCH, defaulted on create) is sent too with the same value."""
    for name, prop in properties.items():
        other = prop.get(NOT_LESS_THAN)
        if other is None:
            continue
        high, low = body.get(name), body.get(other)
        if name in body and other in body:
            if type(high) is type(low) and isinstance(high, int | str) and low > high:
                body[name], body[other] = low, high
        elif name in body and high is not None:
            body[other] = high
        elif other in body and low is not None:
            body[name] = low
    return body


def keep_document_rules(schema: Any, document: dict[str, Any]) -> None:
    """Registers the format of known occupations (the reference list every test database
    loads) and, for ``schema`` only, the body hooks."""
    known = sorted(row["esco_uri"] for row in read_occupations())
    schemathesis.openapi.format(ESCO_OCCUPATION_URI, st.sampled_from(known))
    known_set = set(known)
    # Every date in the document is a Date of web/api/fields.py: format date, and a pattern
    # for its years. Schemathesis draws some built-in `date` values without the pattern, so
    # the format is narrowed to the same years.
    first, last = DATE_YEARS
    days = st.dates(date(first, 1, 1), date(last, 12, 31)).map(date.isoformat)
    schemathesis.openapi.format("date", days)

    def properties(ctx: Any) -> dict[str, Any]:
        return body_properties(document, ctx.operation.method, ctx.operation.path)

    @schema.hook
    def filter_body(ctx: Any, body: Any) -> bool:
        if not isinstance(body, dict):
            return True
        found = properties(ctx)
        return not has_identifiers(found, body) and not unknown_occupation(found, body, known_set)

    @schema.hook
    def map_body(ctx: Any, body: Any) -> Any:
        return keep_order(properties(ctx), body) if isinstance(body, dict) else body
