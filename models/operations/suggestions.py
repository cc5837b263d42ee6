"""Decisions on suggestions: caseworker approves or rejects, partners answer, outcomes.

Nothing reaches a company or a mentor unless a caseworker approved it (human oversight);
every decision records who made it and when.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import (
    OpeningStatus,
    Outcome,
    Role,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.errors import Conflict, ValidationError
from models.figure_event import FigureKind
from models.i18n import N_
from models.mentor_slot import MentorSlot
from models.operations.audit import record_event
from models.operations.figures import record_first_approval, record_for_suggestion
from models.operations.outbox import enqueue
from models.operations.placement import SLOT_FULL, close_if_full, close_the_loop
from models.operations.profiles import check_follow_up
from models.session import hold_write_lock, is_postgres
from models.suggestion import Suggestion
from models.user import User
from models.validation import check_free_text

HAS_MENTOR = "has_mentor"  # why other mentor offers were withdrawn
REJECT_REASONS = ("not_wanted", "too_far", "wrong_hours", "not_ready_for_this", "other")
ACTIVE_MENTORING = (SuggestionStatus.ACCEPTED,)
# An outcome is recorded for a proposal that reached the partner (approved or answered).
OUTCOME_FROM = (
    SuggestionStatus.APPROVED,
    SuggestionStatus.INTERESTED,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.DECLINED,
)


def _require(suggestion: Suggestion, *allowed: SuggestionStatus) -> None:
    if suggestion.status not in allowed:
        raise Conflict(N_("This suggestion was already answered."))


def _require_open_target(suggestion: Suggestion) -> None:
    """Nobody is asked about an opening or a slot that stopped taking young people."""
    target = suggestion.target
    if target is not None and target.status not in (OpeningStatus.OPEN, SlotStatus.OPEN):
        raise Conflict(N_("This opening or mentor slot no longer takes young people."))


def approve_suggestion(
    session: Session,
    caseworker: User,
    suggestion: Suggestion,
    pitch: str = "",
    *,
    now: datetime | None = None,
) -> Suggestion:
    _require(suggestion, SuggestionStatus.PROPOSED)
    _require_open_target(suggestion)
    now = now or utcnow()
    suggestion.pitch = check_free_text("pitch", pitch)
    suggestion.status = SuggestionStatus.APPROVED
    suggestion.decided_by_id = caseworker.id
    suggestion.decided_at = now
    suggestion.youth.last_activity_at = now
    session.flush()
    record_first_approval(session, suggestion, now)
    record_for_suggestion(
        session,
        FigureKind.SUGGESTION_APPROVED,
        suggestion,
        detail=str(suggestion.target_kind),
        now=now,
    )
    record_event(session, caseworker, "suggestion.approve", suggestion)
    for partner in _partner_users(session, suggestion):
        enqueue(
            session,
            partner,
            "proposal.new",
            f"suggestion:{suggestion.id}",
            {"suggestion_id": suggestion.id},
        )
    return suggestion


def reject_suggestion(
    session: Session,
    caseworker: User,
    suggestion: Suggestion,
    reason_code: str,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> Suggestion:
    _require(suggestion, SuggestionStatus.PROPOSED)
    if reason_code not in REJECT_REASONS:
        raise ValidationError("reason_code", N_("Choose a reason from the list."))
    suggestion.reason_code = reason_code
    suggestion.reason = check_free_text("reason", reason)
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.decided_by_id = caseworker.id
    suggestion.decided_at = now or utcnow()
    session.flush()
    record_event(session, caseworker, "suggestion.reject", suggestion, reason_code=reason_code)
    return suggestion


def answer_as_company(
    session: Session,
    user: User,
    suggestion: Suggestion,
    interested: bool,
    message: str = "",
    *,
    now: datetime | None = None,
) -> Suggestion:
    _require(suggestion, SuggestionStatus.APPROVED)
    message = check_free_text("message", message)
    suggestion.status = SuggestionStatus.INTERESTED if interested else SuggestionStatus.DECLINED
    suggestion.response_message = message[:2000]
    return _answered(session, user, suggestion, now or utcnow(), "proposal", interested=interested)


def _answered(
    session: Session, user: User, suggestion: Suggestion, now: datetime, kind: str, **detail: Any
) -> Suggestion:
    """Record who answered and when, audit it, and tell the caseworker (``kind``:
    "proposal" for a company, "mentoring" for a mentor)."""
    suggestion.responded_by_id = user.id
    suggestion.responded_at = now
    session.flush()
    figure = FigureKind.COMPANY_ANSWERED if kind == "proposal" else FigureKind.MENTOR_ANSWERED
    record_for_suggestion(session, figure, suggestion, detail=str(suggestion.status), now=now)
    if suggestion.status is SuggestionStatus.ACCEPTED:
        record_for_suggestion(session, FigureKind.MENTOR_ASSIGNED, suggestion, now=now)
    record_event(session, user, f"{kind}.answer", suggestion, **detail)
    _tell_caseworker(session, suggestion, f"{kind}.answered")
    return suggestion


def answer_as_mentor(
    session: Session,
    mentor: User,
    suggestion: Suggestion,
    accept: bool,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> Suggestion:
    """Accept or decline a mentoring offer. Capacity holds under concurrent accepts.

    The slot row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the write
    lock is taken first, :func:`models.session.hold_write_lock`) before counting, so of two
    racing accepts for the last place the first wins and the other hears "slot full".
    """
    if not accept and not (reason or "").strip():
        raise ValidationError("reason", N_("Give a reason for declining."))
    reason = check_free_text("reason", reason)
    now = now or utcnow()
    hold_write_lock(session)
    slot_query = select(MentorSlot).where(MentorSlot.id == suggestion.mentor_slot_id)
    if is_postgres(session):
        slot_query = slot_query.with_for_update()
    slot = session.execute(slot_query).scalar_one()
    session.refresh(suggestion)
    if accept and suggestion.reason_code == SLOT_FULL:
        # The offer expired because another young person took the last place meanwhile.
        raise Conflict(N_("This mentor slot is full."))
    _require(suggestion, SuggestionStatus.APPROVED)
    if not accept:
        suggestion.status = SuggestionStatus.DECLINED
        suggestion.response_message = reason[:2000]
    else:
        if slot.status is not SlotStatus.OPEN:
            raise Conflict(N_("This mentor slot is not open."))
        taken = (
            session.scalar(
                select(func.count())
                .select_from(Suggestion)
                .where(
                    Suggestion.mentor_slot_id == slot.id,
                    Suggestion.status.in_(ACTIVE_MENTORING),
                )
            )
            or 0
        )
        if taken >= slot.capacity:
            raise Conflict(N_("This mentor slot is full."))
        suggestion.status = SuggestionStatus.ACCEPTED
        # The young person has a mentor now: their other pending mentor offers go.
        for other in session.scalars(
            select(Suggestion).where(
                Suggestion.youth_id == suggestion.youth_id,
                Suggestion.target_kind == TargetKind.MENTOR_SLOT,
                Suggestion.id != suggestion.id,
                Suggestion.status.in_((SuggestionStatus.PROPOSED, SuggestionStatus.APPROVED)),
            )
        ):
            other.status = SuggestionStatus.WITHDRAWN
            other.reason_code = HAS_MENTOR
    answered = _answered(session, mentor, suggestion, now, "mentoring", accept=accept)
    if accept:
        close_if_full(session, mentor, slot, now)  # the last place: no more "Sig ja"
    return answered


def record_outcome(
    session: Session,
    caseworker: User,
    suggestion: Suggestion,
    outcome: Outcome,
    *,
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> Suggestion:
    now = now or utcnow()
    if suggestion.status not in OUTCOME_FROM:
        raise Conflict(N_("An outcome can only be recorded for an approved proposal."))
    if suggestion.target_kind is TargetKind.MENTOR_SLOT and outcome is not Outcome.NONE:
        raise ValidationError("outcome", N_("A mentoring offer cannot lead to a job."))
    check_follow_up(follow_up_on, now.date())
    suggestion.outcome = outcome
    suggestion.outcome_recorded_at = now
    suggestion.outcome_recorded_by_id = caseworker.id
    suggestion.status = (
        SuggestionStatus.ENDED if outcome is Outcome.NONE else SuggestionStatus.PLACED
    )
    suggestion.youth.last_activity_at = now
    if outcome is not Outcome.NONE:
        record_for_suggestion(
            session,
            FigureKind.PLACED_EDUCATION if outcome is Outcome.EDUCATION else FigureKind.PLACED_JOB,
            suggestion,
            detail=str(outcome),
            now=now,
        )
    session.flush()
    record_event(session, caseworker, "suggestion.outcome", suggestion, outcome=str(outcome))
    # A job, an education or an apprenticeship ends the search; a placement takes a seat.
    close_the_loop(session, caseworker, suggestion, outcome, now, follow_up_on)
    return suggestion


def _partner_users(session: Session, suggestion: Suggestion) -> list[User]:
    if suggestion.target_kind is TargetKind.MENTOR_SLOT:
        slot = suggestion.mentor_slot
        return [slot.mentor] if slot and slot.mentor else []
    opening = suggestion.opening
    if opening is None:
        return []
    return list(
        session.scalars(
            select(User).where(
                User.organisation_id == opening.organisation_id,
                User.role == Role.COMPANY,
                User.active.is_(True),
            )
        )
    )


def _tell_caseworker(session: Session, suggestion: Suggestion, kind: str) -> None:
    caseworker = suggestion.youth.caseworker
    if caseworker is not None:
        enqueue(
            session,
            caseworker,
            kind,
            f"suggestion:{suggestion.id}:{suggestion.status}",
            {"suggestion_id": suggestion.id},
        )
