"""The one expiry rule for suggestions nobody has finished deciding.

*Undecided* means :data:`UNDECIDED`: ``proposed`` (no caseworker decision yet) and
``approved`` (the caseworker approved; the company or mentor has not answered). Everything
else is a decision or an answer and never changes here.

When a target stops taking young people — an opening is closed, filled, unpublished or past
its expiry date; a mentor slot is closed, paused, past its end or full — its undecided
suggestions become ``expired``. So do those of a young person who is no longer active (a
caseworker's pause or close withdraws them at once instead, see
:func:`models.operations.profiles.set_profile_status`).

The operations apply the rule the moment a target closes (:func:`expire_pending_suggestions`);
the nightly run applies it to what became stale meanwhile (:func:`expire_stale`: dates passed,
slots filled), and the fast paths to the one target or profile they were called for
(:func:`expire_undecided`). See docs/ARCHITECTURE.md, "Where each rule lives".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import (
    PENDING_STATUSES,
    OpeningStatus,
    ProfileStatus,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.placement import TAKES_ROOM
from models.suggestion import Suggestion
from models.youth import YouthProfile

UNDECIDED = PENDING_STATUSES


def taken_places(session: Session) -> sa.Subquery:
    """Places taken per mentor slot (``slot_id``, ``taken``): its accepted offers, as
    :data:`models.operations.placement.TAKES_ROOM` says."""
    column, status = TAKES_ROOM["mentor_slot"]
    return (
        select(column.label("slot_id"), func.count().label("taken"))
        .where(Suggestion.target_kind == TargetKind.MENTOR_SLOT, Suggestion.status == status)
        .group_by(column)
        .subquery()
    )


def expire_undecided(
    session: Session, condition: sa.ColumnElement[bool], reason: str | None = None
) -> int:
    """The undecided suggestions matching ``condition`` become ``expired`` (with ``reason`` in
    ``reason_code`` when given, e.g. ``opening_closed``); how many did."""
    session.flush()
    extra = {"reason_code": reason} if reason else {}
    result = session.execute(
        update(Suggestion)
        .where(condition, Suggestion.status.in_(UNDECIDED))
        .values(status=SuggestionStatus.EXPIRED, updated_at=utcnow(), **extra)
        .execution_options(synchronize_session=False)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Suggestion):
            session.expire(obj)
    return rowcount(result)


def rowcount(result: sa.Result[Any]) -> int:
    """How many rows a bulk UPDATE changed (0 where the driver cannot tell)."""
    return getattr(result, "rowcount", 0) or 0


def expire_pending_suggestions(
    session: Session,
    *,
    opening_ids: Iterable[int] = (),
    mentor_slot_ids: Iterable[int] = (),
    reason: str | None = None,
) -> int:
    """The targets closed now: their undecided suggestions expire (``reason`` recorded)."""
    count = 0
    for column, ids in (
        (Suggestion.opening_id, list(opening_ids)),
        (Suggestion.mentor_slot_id, list(mentor_slot_ids)),
    ):
        if ids:
            count += expire_undecided(session, column.in_(ids), reason)
    return count


def expire_stale(session: Session, today: date) -> int:
    """Undecided suggestions of closed, filled, past or full targets, or of inactive youth."""
    inactive_youth = select(YouthProfile.id).where(YouthProfile.status != ProfileStatus.ACTIVE)
    dead_openings = select(JobOpening.id).where(
        sa.or_(
            JobOpening.status.in_((OpeningStatus.CLOSED, OpeningStatus.FILLED)),
            JobOpening.expires < today,
        )
    )
    taken = taken_places(session)
    dead_slots = (
        select(MentorSlot.id)
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(
            sa.or_(
                MentorSlot.status == SlotStatus.CLOSED,
                MentorSlot.available_until < today,
                func.coalesce(taken.c.taken, 0) >= MentorSlot.capacity,
            )
        )
    )
    return expire_undecided(
        session,
        sa.or_(
            Suggestion.youth_id.in_(inactive_youth),
            Suggestion.opening_id.in_(dead_openings),
            Suggestion.mentor_slot_id.in_(dead_slots),
        ),
    )
