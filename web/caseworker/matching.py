"""The fast path: run the matching engine for one profile at once.

The engine and its storage are the jobs package's (``jobs.matching.refresh_for_profile``).
Until that is present in the build, the fast path reports that it is not available instead
of failing the caseworker's request.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models.youth import YouthProfile

log = logging.getLogger(__name__)


def _refresher() -> Callable[..., list[Any]] | None:
    try:
        module = importlib.import_module("jobs.matching")
    except ImportError:
        return None
    return getattr(module, "refresh_for_profile", None)


def is_available() -> bool:
    return _refresher() is not None


def refresh_profile(session: Session, profile: YouthProfile, now: datetime) -> int | None:
    """Compute the profile's suggestions now; the number of suggestions, or None if the
    engine is not available. The caller commits."""
    refresh = _refresher()
    if refresh is None:
        return None
    return len(refresh(session, profile, now))
