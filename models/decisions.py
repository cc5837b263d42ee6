"""Decision data: the suggestions someone decided, labelled for learning (jobs/learning.py).

Every suggestion row keeps what the engine did (score, component values, reasons, the engine
and config version in ``engine_version``, e.g. ``0.1.0+w2``: see models/engine_config.py) and
what people did with it: the caseworker's decision (``decided_by_id``, ``decided_at``,
``reason_code`` and ``reason`` for a rejection), the partner's answer (``responded_by_id``,
``responded_at``) and the outcome (``outcome``, ``outcome_recorded_at``,
``outcome_recorded_by_id``).

Labels: 1 = approved and answered positively (interested, accepted) or placed; 0 = rejected.
Left out: undecided, expired, withdrawn, declined by the partner, approved but unanswered,
ended without a known answer.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import SuggestionStatus, TargetKind
from models.organisation import partnership_municipality
from models.suggestion import Suggestion
from models.youth import YouthProfile

POSITIVE = (SuggestionStatus.INTERESTED, SuggestionStatus.ACCEPTED, SuggestionStatus.PLACED)
NEGATIVE = (SuggestionStatus.REJECTED,)


def decision_rows(session: Session, partnership_id: int | None = None) -> list[dict[str, Any]]:
    """Labelled decisions (see the module docstring), oldest first."""
    query = (
        select(Suggestion.youth_id, Suggestion.components, Suggestion.status, Suggestion.decided_at)
        .where(
            Suggestion.target_kind == TargetKind.OPENING,
            Suggestion.status.in_(POSITIVE + NEGATIVE),
            Suggestion.decided_at.is_not(None),
        )
        .order_by(Suggestion.decided_at, Suggestion.id)
    )
    if partnership_id is not None:
        municipalities = select(partnership_municipality.c.municipality_code).where(
            partnership_municipality.c.partnership_id == partnership_id
        )
        query = query.join(YouthProfile, YouthProfile.id == Suggestion.youth_id).where(
            YouthProfile.municipality_code.in_(municipalities)
        )
    return [
        {
            "components": row.components or {},
            "label": int(row.status in POSITIVE),
            "youth": row.youth_id,
            "order": row.decided_at.timestamp(),
        }
        for row in session.execute(query)
    ]


def suggestions_by_version(session: Session) -> dict[str, int]:
    """How many suggestions each engine label scored (for the admin page and the card)."""
    rows = session.execute(
        select(Suggestion.engine_version, sa.func.count()).group_by(Suggestion.engine_version)
    )
    return {label: int(n) for label, n in rows}
