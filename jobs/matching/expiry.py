"""Expiry in the matching: what tonight's allocation no longer picks.

The rule for closed, filled, past and full targets and inactive youth is the models' one
(:mod:`models.operations.expiry`, re-exported here as ``expire_stale``); this module adds only
the allocation's own: a ``proposed`` suggestion that tonight's run did not pick again.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from models.clock import local_now
from models.enums import SuggestionStatus
from models.operations.expiry import expire_stale, rowcount
from models.suggestion import Suggestion

__all__ = ["expire_stale", "expire_superseded"]

_PROPOSED = SuggestionStatus.PROPOSED
_EXPIRED = SuggestionStatus.EXPIRED


def expire_superseded(
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
        count += rowcount(result)
    return count
