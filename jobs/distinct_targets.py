"""One proposal per young person among same-named targets of one organisation.

Three slots "Mentor – kom i gang" of one mentor network, or two "Kasseassistent" openings
of one chain, look alike on a card; proposing the same young person to each of them in one
run asks the caseworker the same question twice. After ranking, and before the night's (or
a fast path's) matches are stored, only the best-scoring match of each (organisation,
title) group is kept per young person. The engine itself (``matcher/``) is not involved:
it knows targets, not organisations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.types import Match
from models.enums import TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening


def _name(title: str) -> str:
    return " ".join((title or "").casefold().split())


#: Ids per ``IN`` list; more ids than this are read as one id range instead.
CHUNK = 5000


def target_names(session: Session, kind: TargetKind, ids: set[int]) -> dict[int, tuple[int, str]]:
    """(organisation, normalised title) per target id: an ``IN`` list for a few ids (a fast
    path), one read of their id range for many (the nightly run's tens of thousands: binding
    them as parameters cost more than reading the few rows between them that are not asked
    for)."""
    model: Any = JobOpening if kind is TargetKind.OPENING else MentorSlot
    columns = (model.id, model.organisation_id, model.title)
    if len(ids) > CHUNK:
        rows = session.execute(select(*columns).where(model.id.between(min(ids), max(ids))))
        return {i: (org, _name(title)) for i, org, title in rows if i in ids}
    rows = session.execute(select(*columns).where(model.id.in_(sorted(ids))))
    return {i: (org, _name(title)) for i, org, title in rows}


def one_per_name(
    ranked: Mapping[int, Sequence[Match]], names: Mapping[int, tuple[int, str]]
) -> dict[int, list[Match]]:
    """Per young person, the best match of each (organisation, title) group, best first."""
    kept: dict[int, list[Match]] = {}
    for youth_id, matches in ranked.items():
        seen: set[tuple[int, str]] = set()
        keep = []
        for match in sorted(matches, key=lambda m: (-m.score, m.target_id)):
            name = names.get(match.target_id, (-match.target_id, ""))
            if name in seen:
                continue
            seen.add(name)
            keep.append(match)
        kept[youth_id] = keep
    return kept


def distinct_targets(
    session: Session, kind: TargetKind, ranked: Mapping[int, Sequence[Match]]
) -> dict[int, list[Match]]:
    """``ranked`` without a second proposal of a young person to a same-named target."""
    ids = {m.target_id for matches in ranked.values() for m in matches}
    return one_per_name(ranked, target_names(session, kind, ids) if ids else {})
