"""Suggestions for caseworkers: list, read, approve with a pitch, reject with a reason."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_login import current_user

from models.enums import Role, SuggestionStatus, TargetKind
from models.operations.suggestions import approve_suggestion, reject_suggestion
from models.scoping import suggestions_for
from models.suggestion import Suggestion
from web.api.pagination import paginate
from web.api.routing import operation
from web.api.schemas import (
    ApproveSchema,
    RejectSchema,
    SuggestionPageSchema,
    SuggestionQuery,
    SuggestionSchema,
)
from web.db import get_db
from web.security import get_scoped_or_404

CASEWORKERS = (Role.CASEWORKER,)


def suggestion_out(suggestion: Suggestion) -> dict[str, Any]:
    language = str(get_locale() or "da")
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
            {"code": str(r.get("code", "")), "text": str(r.get(language) or r.get("da") or "")}
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
    return get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)


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
    select = suggestions_for(current_user)
    if query.get("status"):
        select = select.where(Suggestion.status == SuggestionStatus(query["status"]))
    if query.get("target_kind"):
        select = select.where(Suggestion.target_kind == TargetKind(query["target_kind"]))
    if query.get("youth_id"):
        select = select.where(Suggestion.youth_id == query["youth_id"])
    page = paginate(select, query, Suggestion.score.desc())
    page["items"] = [suggestion_out(s) for s in page["items"]]
    return page


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
    db = get_db()
    suggestion = approve_suggestion(db, current_user, _load(suggestion_id), body["pitch"])
    db.commit()
    return suggestion_out(suggestion)


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
    db = get_db()
    suggestion = reject_suggestion(
        db, current_user, _load(suggestion_id), body["reason_code"], body["reason"]
    )
    db.commit()
    return suggestion_out(suggestion)
