"""Approved proposals for companies and mentoring offers for mentors, as anonymous cards."""

from __future__ import annotations

from typing import Any

from models.cards import anonymous_card
from models.enums import Role
from models.operations.suggestions import answer_as_company, answer_as_mentor
from models.scoping import suggestions_for
from models.suggestion import Suggestion
from web.api.resources import load, page, run
from web.api.routing import operation
from web.api.schemas import (
    CompanyAnswerSchema,
    MentorAnswerSchema,
    OfferQuery,
    ProposalPageSchema,
    ProposalQuery,
    ProposalSchema,
)

COMPANIES = (Role.COMPANY,)
MENTORS = (Role.MENTOR,)


def card_out(suggestion: Suggestion) -> dict[str, Any]:
    """The shared anonymous card (models/cards.py), with availability grouped for JSON."""
    card = anonymous_card(suggestion)
    return {
        "age_band": card.age_band,
        "municipality": card.municipality,
        "skills": list(card.skills),
        "interests": list(card.interests),
        "availability": {
            "available_from": card.available_from,
            "hours_min": card.hours_min,
            "hours_max": card.hours_max,
        },
        "languages": list(card.languages),
        "driving_licence": card.driving_licence,
        "pitch": card.pitch,
    }


def proposal_out(suggestion: Suggestion) -> dict[str, Any]:
    target = suggestion.target
    return {
        "id": suggestion.id,
        "status": str(suggestion.status),
        "opening_id": suggestion.opening_id,
        "mentor_slot_id": suggestion.mentor_slot_id,
        "target_title": target.title if target is not None else "",
        "card": card_out(suggestion),
        "decided_at": suggestion.decided_at,
        "responded_at": suggestion.responded_at,
        "response_message": suggestion.response_message,
    }


def _page(query: dict[str, Any], target: str) -> dict[str, Any]:
    """Proposals (``target`` "opening_id") or offers ("mentor_slot_id"), newest first."""
    filters = {"status": Suggestion.status, target: getattr(Suggestion, target)}
    found = page(suggestions_for, query, Suggestion.id.desc(), filters)
    found["items"] = [proposal_out(s) for s in found["items"]]
    return found


def _load(suggestion_id: int) -> Suggestion:
    return load(suggestions_for, Suggestion, suggestion_id)


@operation(
    "/proposals",
    "GET",
    summary="List proposals",
    tag="proposals",
    roles=COMPANIES,
    query=ProposalQuery,
    response=ProposalPageSchema,
)
def list_proposals(query: dict[str, Any]) -> dict[str, Any]:
    """Proposals a caseworker approved for your organisation's openings."""
    return _page(query, "opening_id")


@operation(
    "/proposals/<int:suggestion_id>",
    "GET",
    summary="Read a proposal",
    tag="proposals",
    roles=COMPANIES,
    response=ProposalSchema,
)
def get_proposal(suggestion_id: int) -> dict[str, Any]:
    return proposal_out(_load(suggestion_id))


@operation(
    "/proposals/<int:suggestion_id>/answer",
    "POST",
    summary="Answer a proposal",
    tag="proposals",
    roles=COMPANIES,
    body=CompanyAnswerSchema,
    response=ProposalSchema,
)
def answer_proposal(suggestion_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Interested, or not now; the caseworker is told."""
    answer = (body["interested"], body["message"])
    return proposal_out(run(answer_as_company, _load(suggestion_id), *answer))


@operation(
    "/offers",
    "GET",
    summary="List mentoring offers",
    tag="offers",
    roles=MENTORS,
    query=OfferQuery,
    response=ProposalPageSchema,
)
def list_offers(query: dict[str, Any]) -> dict[str, Any]:
    """Offers a caseworker approved for your mentor slots."""
    return _page(query, "mentor_slot_id")


@operation(
    "/offers/<int:suggestion_id>",
    "GET",
    summary="Read a mentoring offer",
    tag="offers",
    roles=MENTORS,
    response=ProposalSchema,
)
def get_offer(suggestion_id: int) -> dict[str, Any]:
    return proposal_out(_load(suggestion_id))


@operation(
    "/offers/<int:suggestion_id>/answer",
    "POST",
    summary="Accept or decline an offer",
    tag="offers",
    roles=MENTORS,
    body=MentorAnswerSchema,
    response=ProposalSchema,
)
def answer_offer(suggestion_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Accepting holds the slot's capacity even under concurrent accepts (first wins)."""
    answer = (body["accept"], body["reason"])
    return proposal_out(run(answer_as_mentor, _load(suggestion_id), *answer))
