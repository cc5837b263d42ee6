"""The API goes through the same placement rules: a mentor accepting the last place over the
API closes the slot; the caseworker cannot approve for a filled opening."""

from __future__ import annotations

from models.base import utcnow
from models.enums import Outcome, Role, SlotStatus, SuggestionStatus
from models.operations.suggestions import record_outcome


def test_accepting_the_last_place_over_the_api_expires_the_other_offers(
    api, db, make_user, make_youth, make_slot, make_suggestion, token_for
):
    caseworker = make_user(Role.CASEWORKER)
    mentor = make_user(Role.MENTOR)
    slot = make_slot(mentor, capacity=1)
    first, second = (
        make_suggestion(
            make_youth(caseworker), slot, status=SuggestionStatus.APPROVED, decided_at=utcnow()
        )
        for _ in range(2)
    )
    token = token_for(mentor)
    assert api("GET", "/offers", token).json["total"] == 2
    response = api("POST", f"/offers/{first.id}/answer", token, json={"accept": True})
    assert response.status_code == 200
    db.refresh(slot)
    db.refresh(second)
    assert slot.status is SlotStatus.PAUSED
    assert (second.status, second.reason_code) == (SuggestionStatus.EXPIRED, "slot_full")
    listed = {item["id"] for item in api("GET", "/offers", token).json["items"]}
    assert second.id not in listed
    assert (
        api("POST", f"/offers/{second.id}/answer", token, json={"accept": True}).status_code == 404
    )


def test_approving_for_a_filled_opening_is_a_conflict(
    api, db, make_user, make_youth, make_opening, make_suggestion, token_for
):
    caseworker = make_user(Role.CASEWORKER)
    opening = make_opening(seats=1)
    hired = make_suggestion(
        make_youth(caseworker), opening, status=SuggestionStatus.INTERESTED, decided_at=utcnow()
    )
    record_outcome(db, caseworker, hired, Outcome.JOB)
    late = make_suggestion(make_youth(caseworker), opening)  # e.g. from a stale engine
    db.flush()
    response = api(
        "POST", f"/suggestions/{late.id}/approve", token_for(caseworker), json={"pitch": ""}
    )
    assert response.status_code == 409, response.json
    db.refresh(late)
    assert late.status is SuggestionStatus.PROPOSED
