"""The after-save handler: instant suggestions for a saved profile, opening or mentor slot.

Registered with :func:`models.operations.after_save.on_saved` by :func:`register` (the web app
and the CLI call it at start). It runs after the user's change is committed, in a transaction
of its own (docs/ARCHITECTURE.md, "The data flow of a save"); it flushes, the path commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jobs.matching import fast_paths
from models.base import utcnow
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.after_save import on_saved
from models.suggestion import Suggestion
from models.youth import YouthProfile


def suggest(session: Session, obj: Any) -> list[Suggestion]:
    """The suggestions the fast path stored (or kept) for ``obj``, best first."""
    now = utcnow()
    if isinstance(obj, YouthProfile):
        return fast_paths.refresh_for_profile(session, obj, now)
    if isinstance(obj, JobOpening):
        return fast_paths.refresh_for_opening(session, obj, now)
    if isinstance(obj, MentorSlot):
        return fast_paths.refresh_for_mentor_slot(session, obj, now)
    return []


def register() -> None:
    on_saved(suggest)
