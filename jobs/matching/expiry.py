"""Expiry in the matching: what tonight's allocation no longer picks.

The rule for closed, filled, past and full targets and inactive youth is the models' one
(:mod:`models.operations.expiry`, re-exported here as ``expire_stale``); this module adds only
the allocation's own: a ``proposed`` suggestion that tonight's run did not pick again.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobs.matching.store import _NOW, STAGING, target_column
from models.clock import local_now
from models.enums import SuggestionStatus, TargetKind
from models.operations.expiry import expire_stale, rowcount

__all__ = ["expire_stale", "expire_unpicked"]


def expire_unpicked(session: Session, kind: TargetKind, stored_up_to: int | None = None) -> int:
    """Proposals of ``kind`` that tonight's allocation no longer picks become ``expired``:
    ONE ``UPDATE`` against the staging table the store just merged (every pair of tonight's
    ranking of that kind, or, when the store loaded the new ones straight into the table,
    every other pair: then only the suggestions up to id ``stored_up_to``, those stored
    before, are looked at; ``_Store.loaded_after``). How many did.

    Without this, waiting proposals would pile up night after night beyond the k per young
    person and the seat multiple per opening that the allocation guarantees for one run. Only
    ``proposed`` rows: a decision taken meanwhile is re-checked under the row's lock.
    """
    column = target_column(kind)
    bound = "" if stored_up_to is None else " AND id <= :up_to"
    result = session.execute(
        sa.text(
            "UPDATE suggestion SET status = :expired, updated_at = :now"  # noqa: S608 - fixed names
            f" WHERE status = :proposed AND target_kind = :kind AND {column} IS NOT NULL{bound}"
            f" AND NOT EXISTS (SELECT 1 FROM {STAGING} l"
            f" WHERE l.youth_id = suggestion.youth_id AND l.target_id = suggestion.{column})"
        ).bindparams(_NOW),
        {
            "expired": SuggestionStatus.EXPIRED.value,
            "proposed": SuggestionStatus.PROPOSED.value,
            "kind": kind.value,
            "now": local_now(),
            "up_to": stored_up_to,
        },
    )
    return rowcount(result)
