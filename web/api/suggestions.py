"""Suggestions for caseworkers: list, read, approve with a pitch, reject with a reason."""

from __future__ import annotations

from typing import Any

from models.enums import Role
from models.operations.suggestions import approve_suggestion, reject_suggestion
from models.scoping import suggestions_for
from models.suggestion import Suggestion
from web.api.resources import load, page, run
from web.api.routing import operation
from web.api.schemas import (
    ApproveSchema,
    RejectSchema,
    SuggestionPageSchema,
    SuggestionQuery,
    SuggestionSchema,
)
from web.reasons import reason_text
from web.templating import request_locale

CASEWORKERS = (Role.CASEWORKER,)


def suggestion_out(suggestion: Suggestion) -> dict[str, Any]:
    locale = str(request_locale() or "da")
    target = suggestion.target
    return {
        "id": suggestion.id,
        "youth_id": suggestion.youth_id,
        "pseudonym": suggestion.youth.pseudonym,
        "target_kind": str(suggestion.target_kind),
        "opening_id": suggestion.opening_id,
        "mentor_slot_id": suggestion.mentor_slot_id,
        "target_title": target.title if target is not None else "",
        "score": suggestion.score,
        "reasons": [
            {"code": str(r.get("code", "")), "text": reason_text(r, locale)}
            for r in suggestion.reasons or []
        ],
        "distance_km": suggestion.distance_km,
        "status": str(suggestion.status),
        "created_at": suggestion.created_at,
        "decided_at": suggestion.decided_at,
        "reason_code": suggestion.reason_code,
        "reason": suggestion.reason,
        "pitch": suggestion.pitch,
        "responded_at": suggestion.responded_at,
        "response_message": suggestion.response_message,
    }


def _load(suggestion_id: int) -> Suggestion:
    return load(suggestions_for, Suggestion, suggestion_id)


@operation(
    "/suggestions",
    "GET",
    summary="List suggestions",
    tag="suggestions",
    roles=CASEWORKERS,
    query=SuggestionQuery,
    response=SuggestionPageSchema,
)
def list_suggestions(query: dict[str, Any]) -> dict[str, Any]:
    """Suggestions for your municipality's young people, best first."""
    filters = {
        "status": Suggestion.status,
        "target_kind": Suggestion.target_kind,
        "youth_id": Suggestion.youth_id,
    }
    found = page(suggestions_for, query, Suggestion.score.desc(), filters)
    found["items"] = [suggestion_out(s) for s in found["items"]]
    return found


@operation(
    "/suggestions/<int:suggestion_id>",
    "GET",
    summary="Read a suggestion",
    tag="suggestions",
    roles=CASEWORKERS,
    response=SuggestionSchema,
)
def get_suggestion(suggestion_id: int) -> dict[str, Any]:
    return suggestion_out(_load(suggestion_id))


@operation(
    "/suggestions/<int:suggestion_id>/approve",
    "POST",
    summary="Approve a suggestion",
    tag="suggestions",
    roles=CASEWORKERS,
    body=ApproveSchema,
    response=SuggestionSchema,
)
def approve(suggestion_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """The company or mentor then sees it as an anonymous card with your pitch."""
    return suggestion_out(run(approve_suggestion, _load(suggestion_id), body["pitch"]))


@operation(
    "/suggestions/<int:suggestion_id>/reject",
    "POST",
    summary="Reject a suggestion",
    tag="suggestions",
    roles=CASEWORKERS,
    body=RejectSchema,
    response=SuggestionSchema,
)
def reject(suggestion_id: int, body: dict[str, Any]) -> dict[str, Any]:
    reason = (body["reason_code"], body["reason"])
    return suggestion_out(run(reject_suggestion, _load(suggestion_id), *reason))
