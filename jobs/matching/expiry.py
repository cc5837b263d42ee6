"""Expiry of undecided suggestions (see models/operations/expiry.py for the one rule)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jobs.matching.inputs import _taken_places
from models.clock import local_now
from models.enums import OpeningStatus, ProfileStatus, SlotStatus, SuggestionStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.youth import YouthProfile

_PROPOSED = SuggestionStatus.PROPOSED
_EXPIRED = SuggestionStatus.EXPIRED


def expire_stale(session: Session, today: date) -> int:
    """``proposed`` suggestions of closed/filled/expired/full targets or inactive youth."""
    inactive_youth = select(YouthProfile.id).where(YouthProfile.status != ProfileStatus.ACTIVE)
    dead_openings = select(JobOpening.id).where(
        sa.or_(
            JobOpening.status.in_((OpeningStatus.CLOSED, OpeningStatus.FILLED)),
            JobOpening.expires < today,
        )
    )
    taken = _taken_places(session)
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
    result = session.execute(
        update(Suggestion)
        .where(
            Suggestion.status == _PROPOSED,
            sa.or_(
                Suggestion.youth_id.in_(inactive_youth),
                Suggestion.opening_id.in_(dead_openings),
                Suggestion.mentor_slot_id.in_(dead_slots),
            ),
        )
        .values(status=_EXPIRED, updated_at=local_now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _expire_superseded(
    session: Session,
    existing: dict[tuple[int, int], tuple[int, SuggestionStatus, float]],
    ranked: set[tuple[int, int]],
) -> int:
    """Undecided suggestions of earlier runs that tonight's allocation no longer picks.

    Without this, waiting proposals would pile up night after night beyond the k per young
    person and the seat multiple per opening that the allocation guarantees for one run.
    """
    stale = [
        row_id
        for key, (row_id, status, _score) in existing.items()
        if row_id and status is _PROPOSED and key not in ranked
    ]
    count = 0
    for start in range(0, len(stale), 5000):
        result = session.execute(
            update(Suggestion)
            .where(Suggestion.id.in_(stale[start : start + 5000]), Suggestion.status == _PROPOSED)
            .values(status=_EXPIRED, updated_at=local_now())
            .execution_options(synchronize_session=False)
        )
        count += result.rowcount or 0
    return count


def _expire_where(session: Session, condition: sa.ColumnElement[bool]) -> int:
    result = session.execute(
        update(Suggestion)
        .where(condition, Suggestion.status == _PROPOSED)
        .values(status=_EXPIRED, updated_at=local_now())
        .execution_options(synchronize_session=False)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Suggestion):
            session.expire(obj)
    return result.rowcount or 0
