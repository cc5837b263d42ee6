"""Placement closes the loop: what a hire, a filled opening and a full mentor slot end.

- A young person placed in a job, an education or an apprenticeship stops being proposed:
  their other undecided suggestions are withdrawn (kept in the history as ``withdrawn``
  with the reason ``youth_placed``), the profile is marked placed and the follow-up is due
  in 30 days unless the caseworker chose a date (IPS: support continues after hiring).
- An opening whose seats are all taken (suggestions ``placed``) is paused; its undecided
  proposals expire (reason ``opening_filled``) and the company's contacts get a notice.
- A mentor slot whose places are all taken (offers ``accepted``) is paused; its undecided
  offers expire (reason ``slot_full``), so no mentor is asked to say yes to a full slot.

Web views, the JSON API and the jobs reach these through
:func:`models.operations.suggestions.record_outcome` and ``answer_as_mentor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.enums import (
    PENDING_STATUSES,
    PLACEMENT_OUTCOMES,
    OpeningStatus,
    Outcome,
    ProfileStatus,
    Role,
    SlotStatus,
    SuggestionStatus,
)
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.audit import record_event
from models.operations.outbox import enqueue
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile

# Why a suggestion left the queue without anyone deciding on it (``Suggestion.reason_code``).
YOUTH_PLACED = "youth_placed"
OPENING_FILLED = "opening_filled"
SLOT_FULL = "slot_full"
FOLLOW_UP_DAYS = 30


#: What takes a target's room, per kind: the suggestion column that names the target, and
#: the status that takes a seat (a placement) or a place (an accepted mentor offer).
TAKES_ROOM: dict[str, tuple[InstrumentedAttribute[int | None], SuggestionStatus]] = {
    "opening": (Suggestion.opening_id, SuggestionStatus.PLACED),
    "mentor_slot": (Suggestion.mentor_slot_id, SuggestionStatus.ACCEPTED),
}


def _counts(session: Session, kind: str, ids: Iterable[int]) -> dict[int, int]:
    column, status = TAKES_ROOM[kind]
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(
        select(column, func.count())
        .where(column.in_(ids), Suggestion.status == status)
        .group_by(column)
    )
    # ``in_(ids)`` never matches NULL: every key is one of ``ids``.
    return {key: count for key, count in rows if key is not None}


def seats_taken(session: Session, opening_ids: Iterable[int]) -> dict[int, int]:
    """Seats taken per opening: its suggestions that led to a placement (one query)."""
    return _counts(session, "opening", opening_ids)


def places_taken(session: Session, slot_ids: Iterable[int]) -> dict[int, int]:
    """Places taken per mentor slot: its accepted offers (one query)."""
    return _counts(session, "mentor_slot", slot_ids)


#: The room a target has, per kind: an opening's seats, a mentor slot's places.
ROOM: dict[str, InstrumentedAttribute[int]] = {
    "opening": JobOpening.seats,
    "mentor_slot": MentorSlot.capacity,
}


def room_left(room: int, taken: int) -> int:
    """Seats or places left: the room less what is taken, never below none (a target can be
    over-taken when its room is lowered after placements)."""
    return max(0, room - taken)


def _room(target: JobOpening | MentorSlot) -> int:
    kind = "opening" if isinstance(target, JobOpening) else "mentor_slot"
    return int(getattr(target, ROOM[kind].key))


def _left(targets: Iterable[JobOpening | MentorSlot], taken: dict[int, int]) -> dict[int, int]:
    return {t.id: room_left(_room(t), taken.get(t.id, 0)) for t in targets}


def seats_left(session: Session, openings: Iterable[JobOpening]) -> dict[int, int]:
    openings = list(openings)
    return _left(openings, seats_taken(session, [o.id for o in openings]))


def places_left(session: Session, slots: Iterable[MentorSlot]) -> dict[int, int]:
    slots = list(slots)
    return _left(slots, places_taken(session, [s.id for s in slots]))


def targets_left(session: Session, suggestions: list[Suggestion]) -> dict[tuple[str, int], int]:
    """Seats (openings) and places (mentor slots) left per target on a page: one query for
    both kinds (each row counts one target: a suggestion has one, ck_suggestion_one_target)."""
    targets: dict[str, dict[int, JobOpening | MentorSlot]] = {
        "opening": {s.opening.id: s.opening for s in suggestions if s.opening is not None},
        "mentor_slot": {
            s.mentor_slot.id: s.mentor_slot for s in suggestions if s.mentor_slot is not None
        },
    }
    taken: dict[str, dict[int, int]] = {kind: {} for kind in targets}
    conditions = [
        and_(TAKES_ROOM[kind][0].in_(list(ids)), Suggestion.status == TAKES_ROOM[kind][1])
        for kind, ids in targets.items()
        if ids
    ]
    if conditions:
        rows = session.execute(
            select(Suggestion.opening_id, Suggestion.mentor_slot_id, func.count())
            .where(or_(*conditions))
            .group_by(Suggestion.opening_id, Suggestion.mentor_slot_id)
        )
        for opening_id, slot_id, count in rows:
            if opening_id is not None:
                taken["opening"][opening_id] = count
            elif slot_id is not None:
                taken["mentor_slot"][slot_id] = count
    return {
        (kind, target_id): left
        for kind, by_id in targets.items()
        for target_id, left in _left(by_id.values(), taken[kind]).items()
    }


def _end_pending(
    session: Session, where: object, status: SuggestionStatus, reason: str, now: datetime
) -> list[Suggestion]:
    """Undecided suggestions matching ``where`` get ``status`` and ``reason``; decisions stay."""
    ended = list(
        session.scalars(
            select(Suggestion).where(where, Suggestion.status.in_(PENDING_STATUSES))  # type: ignore[arg-type]
        )
    )
    for suggestion in ended:
        suggestion.status = status
        suggestion.reason_code = reason
        suggestion.updated_at = now
    return ended


def close_the_loop(
    session: Session,
    caseworker: User,
    suggestion: Suggestion,
    outcome: Outcome,
    now: datetime,
    follow_up_on: date | None = None,
) -> None:
    """What a recorded outcome ends. ``suggestion`` is already ``placed`` (or ``ended``)."""
    if outcome in PLACEMENT_OUTCOMES:
        place_youth(session, caseworker, suggestion.youth, now, follow_up_on, keep=suggestion.id)
    if suggestion.status is SuggestionStatus.PLACED and suggestion.opening is not None:
        close_if_filled(session, caseworker, suggestion.opening, now)


def place_youth(
    session: Session,
    caseworker: User,
    youth: YouthProfile,
    now: datetime,
    follow_up_on: date | None = None,
    *,
    keep: int | None = None,
) -> list[Suggestion]:
    """Mark the profile placed, schedule the follow-up, withdraw the other undecided
    suggestions (``keep`` is the one that led to the placement). Returns the withdrawn."""
    youth.status = ProfileStatus.PLACED
    youth.follow_up_on = follow_up_on or now.date() + timedelta(days=FOLLOW_UP_DAYS)
    youth.last_activity_at = now
    where = Suggestion.youth_id == youth.id
    if keep is not None:
        where = where & (Suggestion.id != keep)
    withdrawn = _end_pending(session, where, SuggestionStatus.WITHDRAWN, YOUTH_PLACED, now)
    session.flush()
    if withdrawn:
        record_event(
            session,
            caseworker,
            "profile.placed",
            youth,
            withdrawn=[s.id for s in withdrawn],
            reason=YOUTH_PLACED,
        )
    return withdrawn


def company_contacts(session: Session, organisation_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.role == Role.COMPANY,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def close_if_filled(
    session: Session, actor: User | None, opening: JobOpening, now: datetime
) -> bool:
    """Pause an opening whose seats are all taken, expire its undecided proposals and tell
    the company. Returns whether it was full."""
    taken = seats_taken(session, [opening.id]).get(opening.id, 0)
    if taken < opening.seats:
        return False
    if opening.status is OpeningStatus.OPEN:
        opening.status = OpeningStatus.PAUSED
    expired = _end_pending(
        session,
        Suggestion.opening_id == opening.id,
        SuggestionStatus.EXPIRED,
        OPENING_FILLED,
        now,
    )
    session.flush()
    record_event(
        session, actor, "opening.filled", opening, seats=opening.seats, expired=len(expired)
    )
    for contact in company_contacts(session, opening.organisation_id):
        enqueue(
            session,
            contact,
            "opening.filled",
            f"opening:{opening.id}:filled:{now.isoformat()}",
            {"opening_id": opening.id, "expired": len(expired)},
        )
    return True


def close_if_full(session: Session, actor: User | None, slot: MentorSlot, now: datetime) -> bool:
    """Pause a mentor slot whose places are all taken and expire its undecided offers (no
    "Sig ja" on a full slot). Returns whether it was full."""
    taken = places_taken(session, [slot.id]).get(slot.id, 0)
    if taken < slot.capacity:
        return False
    if slot.status is SlotStatus.OPEN:
        slot.status = SlotStatus.PAUSED
    expired = _end_pending(
        session, Suggestion.mentor_slot_id == slot.id, SuggestionStatus.EXPIRED, SLOT_FULL, now
    )
    session.flush()
    record_event(
        session, actor, "mentor_slot.full", slot, capacity=slot.capacity, expired=len(expired)
    )
    return True
