"""Placement closes the loop (models.operations.placement), reconfirmation and follow-up:
the domain rules on the real database (SQLite, and PostgreSQL in CI). Ad reports:
tests/privacy/test_ad_review.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import (
    OpeningStatus,
    Outcome,
    ProfileStatus,
    Role,
    SlotStatus,
    SuggestionStatus,
)
from models.errors import Conflict, ValidationError
from models.notification import Notification
from models.operations.placement import places_left, seats_left, targets_left
from models.operations.profiles import confirm_profile, record_follow_up, set_profile_status
from models.operations.suggestions import (
    answer_as_company,
    answer_as_mentor,
    approve_suggestion,
    record_outcome,
)

A, P = SuggestionStatus.APPROVED, SuggestionStatus.PROPOSED


@pytest.fixture()
def world(db, make_user, make_youth, make_opening, make_slot, make_suggestion):
    caseworker = make_user(Role.CASEWORKER)
    company = make_user(Role.COMPANY)
    hired = make_youth(caseworker)
    other = make_youth(caseworker)
    opening = make_opening(company, title="Kasseassistent", seats=1)
    elsewhere = make_opening(title="Lagermedarbejder")
    slot = make_slot(title="Mentor")
    s = {
        "hire": make_suggestion(hired, opening, status=SuggestionStatus.INTERESTED),
        "hired_new": make_suggestion(hired, elsewhere, status=P),
        "hired_sent": make_suggestion(hired, slot, status=A, decided_at=utcnow()),
        "other_new": make_suggestion(other, opening, status=P),
        "other_sent": make_suggestion(
            make_youth(caseworker), opening, status=A, decided_at=utcnow()
        ),
        "other_elsewhere": make_suggestion(other, elsewhere, status=P),
    }
    db.flush()
    return caseworker, company, hired, other, opening, elsewhere, slot, s


@pytest.mark.parametrize("outcome", [Outcome.JOB, Outcome.EDUCATION, Outcome.APPRENTICESHIP])
def test_a_placement_withdraws_the_youths_other_suggestions_and_schedules_the_follow_up(
    db, world, outcome
):
    caseworker, _, hired, _, _, _, _, s = world
    record_outcome(db, caseworker, s["hire"], outcome)
    db.refresh(hired)
    assert hired.status is ProfileStatus.PLACED
    assert hired.follow_up_on == utcnow().date() + timedelta(days=30)
    for key in ("hired_new", "hired_sent"):
        db.refresh(s[key])
        assert (s[key].status, s[key].reason_code) == (SuggestionStatus.WITHDRAWN, "youth_placed")
    assert (s["hire"].status, s["hire"].outcome) == (SuggestionStatus.PLACED, outcome)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "profile.placed")).one()
    assert sorted(event.details["withdrawn"]) == sorted([s["hired_new"].id, s["hired_sent"].id])
    # The other young person's suggestion for another opening is untouched.
    db.refresh(s["other_elsewhere"])
    assert s["other_elsewhere"].status is P


def test_a_filled_opening_is_paused_its_proposals_expire_and_the_company_is_told(db, world):
    caseworker, company, _, _, opening, elsewhere, _, s = world
    assert seats_left(db, [opening])[opening.id] == 1
    record_outcome(db, caseworker, s["hire"], Outcome.JOB)
    db.refresh(opening)
    assert opening.status is OpeningStatus.PAUSED
    assert seats_left(db, [opening])[opening.id] == 0
    for key in ("other_new", "other_sent"):
        db.refresh(s[key])
        assert (s[key].status, s[key].reason_code) == (SuggestionStatus.EXPIRED, "opening_filled")
    notice = db.scalars(select(Notification).where(Notification.kind == "opening.filled")).one()
    assert notice.recipient_id == company.id and notice.payload["opening_id"] == opening.id
    assert notice.payload["expired"] == 2
    db.refresh(elsewhere)
    assert elsewhere.status is OpeningStatus.OPEN


def test_an_opening_with_seats_left_stays_open(
    db, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    opening = make_opening(seats=2)
    first = make_suggestion(make_youth(caseworker), opening, status=A, decided_at=utcnow())
    waiting = make_suggestion(make_youth(caseworker), opening, status=P)
    record_outcome(db, caseworker, first, Outcome.INTERNSHIP)
    db.refresh(opening)
    db.refresh(waiting)
    assert opening.status is OpeningStatus.OPEN and waiting.status is P
    assert seats_left(db, [opening])[opening.id] == 1
    # An internship takes a seat but does not end the young person's search.
    assert first.youth.status is ProfileStatus.ACTIVE


def test_a_pages_targets_left_in_one_query_agree_with_the_counts_per_kind(
    db, make_user, make_youth, make_opening, make_slot, make_suggestion
):
    """The review queue's seats and places left (one query for both kinds) are the ones
    seats_left and places_left count: placed suggestions take seats, accepted offers places;
    other statuses and other targets take none."""
    caseworker = make_user(Role.CASEWORKER)
    taken, free = make_opening(seats=3), make_opening(seats=2)
    slot, other_slot = make_slot(capacity=2), make_slot(capacity=1)
    for status in (SuggestionStatus.PLACED, SuggestionStatus.PLACED, A):
        make_suggestion(make_youth(caseworker), taken, status=status, decided_at=utcnow())
    make_suggestion(make_youth(caseworker), slot, status=SuggestionStatus.ACCEPTED)
    make_suggestion(make_youth(caseworker), other_slot, status=SuggestionStatus.ACCEPTED)
    page = [
        make_suggestion(make_youth(caseworker), target, status=P)
        for target in (taken, free, slot, taken)
    ]
    db.flush()
    assert targets_left(db, page) == {
        ("opening", taken.id): 1,
        ("opening", free.id): 2,
        ("mentor_slot", slot.id): 1,
    }
    assert seats_left(db, [taken, free]) == {taken.id: 1, free.id: 2}
    assert places_left(db, [slot]) == {slot.id: 1}
    assert targets_left(db, page[2:3]) == {("mentor_slot", slot.id): 1}
    assert targets_left(db, []) == {}


def test_approving_for_a_paused_opening_is_refused(
    db, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    opening = make_opening()
    suggestion = make_suggestion(make_youth(caseworker), opening)
    opening.status = OpeningStatus.PAUSED
    with pytest.raises(Conflict):
        approve_suggestion(db, caseworker, suggestion, "")
    assert suggestion.status is P


def test_a_full_mentor_slot_stops_taking_offers(
    db, make_user, make_youth, make_slot, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    mentor = make_user(Role.MENTOR)
    slot = make_slot(mentor, capacity=1)
    first = make_suggestion(make_youth(caseworker), slot, status=A, decided_at=utcnow())
    second = make_suggestion(make_youth(caseworker), slot, status=A, decided_at=utcnow())
    third = make_suggestion(make_youth(caseworker), slot, status=P)
    assert places_left(db, [slot])[slot.id] == 1
    answer_as_mentor(db, mentor, first, True)
    db.refresh(slot)
    assert slot.status is SlotStatus.PAUSED
    assert places_left(db, [slot])[slot.id] == 0
    for offer in (second, third):
        db.refresh(offer)
        assert (offer.status, offer.reason_code) == (SuggestionStatus.EXPIRED, "slot_full")
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "mentor_slot.full")).one()


def test_placing_a_profile_by_status_withdraws_its_pending_suggestions(
    db, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    youth = make_youth(caseworker)
    pending = make_suggestion(youth, make_opening())
    set_profile_status(db, caseworker, youth, ProfileStatus.PLACED)
    db.refresh(pending)
    assert (pending.status, pending.reason_code) == (SuggestionStatus.WITHDRAWN, "youth_placed")


def test_the_company_answer_then_the_outcome(db, world):
    """The whole chain through the operations the web and the API use."""
    caseworker, company, hired, other, opening, _, _, s = world
    answer_as_company(db, company, s["other_sent"], True)
    record_outcome(db, caseworker, s["other_sent"], Outcome.JOB)
    db.refresh(s["hire"])
    # The other candidate was already answered by the company: a decision, kept as it was.
    assert s["hire"].status is SuggestionStatus.INTERESTED
    db.refresh(s["other_new"])
    assert (s["other_new"].status, s["other_new"].reason_code) == (
        SuggestionStatus.EXPIRED,
        "opening_filled",
    )
    db.refresh(opening)
    assert opening.status is OpeningStatus.PAUSED


def test_confirm_profile_records_the_date_and_clears_the_request(db, make_user, make_youth):
    caseworker = make_user(Role.CASEWORKER)
    youth = make_youth(caseworker)
    youth.reconfirm_requested_at = utcnow() - timedelta(days=2)
    confirm_profile(db, caseworker, youth)
    assert youth.reconfirm_requested_at is None
    assert youth.confirmed_at is not None and youth.confirmed_at.date() == utcnow().date()
    db.expire(youth)
    assert youth.confirmed_at is not None  # stored, and read back as aware UTC
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "profile.confirm")).one()


def test_follow_up_outcomes(db, make_user, make_youth):
    caseworker = make_user(Role.CASEWORKER)
    youth = make_youth(caseworker)
    with pytest.raises(Conflict):
        record_follow_up(db, caseworker, youth, "still_in_job")
    set_profile_status(db, caseworker, youth, ProfileStatus.PLACED)
    with pytest.raises(ValidationError):
        record_follow_up(db, caseworker, youth, "bogus")
    later = utcnow().date() + timedelta(days=60)
    record_follow_up(db, caseworker, youth, "still_in_job", later)
    assert (youth.status, youth.follow_up_on) == (ProfileStatus.PLACED, later)
    record_follow_up(db, caseworker, youth, "searching_again")
    assert (youth.status, youth.follow_up_on) == (ProfileStatus.ACTIVE, None)
    results = [
        e.details["result"]
        for e in db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "profile.follow_up")
            .order_by(AuditEvent.id)
        )
    ]
    assert results == ["still_in_job", "searching_again"]
    # The partnership figures count both as 30-day follow-ups (no placement recorded long ago).
    from models.figure_event import FigureEvent, FigureKind

    details = sorted(
        db.scalars(select(FigureEvent.detail).where(FigureEvent.kind == FigureKind.FOLLOW_UP.value))
    )
    assert details == ["30:not_placed", "30:placed"]
