"""Compute suggestions for an opening or a mentor slot right after it is saved.

The matching itself lives in ``jobs.matching`` (shared with the nightly run); the caller
commits once afterwards.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import OpeningStatus, SlotStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening


def refresh_suggestions(session: Session, target: JobOpening | MentorSlot) -> None:
    try:
        from jobs import matching
    except ImportError:  # the jobs package without the matching module (older branch)
        return
    if isinstance(target, JobOpening):
        if target.status is OpeningStatus.OPEN and hasattr(matching, "refresh_for_opening"):
            matching.refresh_for_opening(session, target, utcnow())
    elif target.status is SlotStatus.OPEN and hasattr(matching, "refresh_for_mentor_slot"):
        matching.refresh_for_mentor_slot(session, target, utcnow())
