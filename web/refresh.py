"""Compute suggestions for an opening or a mentor slot right after it is saved.

The matching itself lives in ``jobs.matching`` (shared with the nightly run); it flushes,
and the caller commits once afterwards.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.matching import refresh_for_mentor_slot, refresh_for_opening
from models.base import utcnow
from models.enums import ProfileStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.youth import YouthProfile


def refresh_suggestions(session: Session, target: JobOpening | MentorSlot) -> None:
    # Nobody to match yet (a new installation): nothing to compute. The engine's youth index
    # also refuses to be built from zero profiles (reported to the engine/jobs branch).
    anyone = session.scalar(
        select(YouthProfile.id).where(YouthProfile.status == ProfileStatus.ACTIVE).limit(1)
    )
    if anyone is None:
        return
    if isinstance(target, JobOpening):
        refresh_for_opening(session, target, utcnow())
    else:
        refresh_for_mentor_slot(session, target, utcnow())
