"""The fast paths: suggestions for one saved profile, opening or mentor slot (no allocation).

Called after a save (:mod:`jobs.after_save`) and by "Find matches now"; they flush, the
caller commits.
"""

from __future__ import annotations

import math
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.distinct_targets import distinct_targets
from jobs.matching import cache
from jobs.matching import reach as _reach
from jobs.matching.inputs import (
    _OPENING_COLUMNS,
    _active_youth_filter,
    load_slots,
    load_youths,
    mentor_seekers,
    opening_from_row,
)
from jobs.matching.nightly import MENTORS_PER_YOUTH, OPENINGS_PER_YOUTH
from jobs.matching.store import _Store, flatten, target_column
from matcher import Match
from models.clock import local_date
from models.enums import OpeningStatus, ProfileStatus, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.expiry import expire_undecided
from models.suggestion import Suggestion
from models.youth import YouthProfile

#: At most this many young people are proposed for one opening saved in the web.
MAX_PER_OPENING = 50
_PROPOSED = SuggestionStatus.PROPOSED


def _suggestions_for(session: Session, touched: list[tuple[str, int, int]]) -> list[Suggestion]:
    """The proposed suggestions for the touched pairs, best first."""
    if not touched:
        return []
    conditions = [
        sa.and_(Suggestion.youth_id == youth_id, getattr(Suggestion, column) == target_id)
        for column, youth_id, target_id in touched
    ]
    found = session.scalars(
        select(Suggestion)
        .where(sa.or_(*conditions), Suggestion.status == _PROPOSED)
        .order_by(Suggestion.score.desc(), Suggestion.id)
        .execution_options(populate_existing=True)
    )
    return list(found)


def _store(
    session: Session, *batches: tuple[TargetKind, list[tuple[int, Match]]]
) -> list[Suggestion]:
    """Store each (kind, pairs); the touched proposed suggestions, best first."""
    store = _Store(session, None)
    touched: list[tuple[str, int, int]] = []
    for kind, pairs in batches:
        if not pairs:
            continue
        store.store(kind, pairs)
        column = target_column(kind)
        touched.extend((column, youth_id, match.target_id) for youth_id, match in pairs)
    return _suggestions_for(session, touched)


def refresh_for_profile(session: Session, profile: YouthProfile, now: datetime) -> list[Suggestion]:
    """Suggestions for one new or changed profile (openings, and mentors when needed)."""
    session.flush()
    today = local_date(now)
    if profile.status is not ProfileStatus.ACTIVE:
        expire_undecided(session, Suggestion.youth_id == profile.id)
        return []
    youths = load_youths(session, YouthProfile.id == profile.id)
    engine = cache.engine_cache.fitted(session, today)  # exactly what the database has now
    ranked = engine.rank(youths, k=OPENINGS_PER_YOUTH)
    seekers = mentor_seekers(session, youths)
    mentors = engine.rank_mentors(seekers, k=MENTORS_PER_YOUTH) if seekers else {}
    ranked = distinct_targets(session, TargetKind.OPENING, ranked)
    mentors = distinct_targets(session, TargetKind.MENTOR_SLOT, mentors)
    return _store(
        session,
        (TargetKind.OPENING, list(flatten(ranked))),
        (TargetKind.MENTOR_SLOT, list(flatten(mentors))),
    )


def refresh_for_opening(session: Session, opening: JobOpening, now: datetime) -> list[Suggestion]:
    """The best young people for one new or changed opening (no allocation)."""
    session.flush()
    today = local_date(now)
    live = opening.status is OpeningStatus.OPEN and (
        opening.expires is None or opening.expires >= today
    )
    if not live:
        if opening.status in (OpeningStatus.CLOSED, OpeningStatus.FILLED) or not (
            opening.expires is None or opening.expires >= today
        ):
            expire_undecided(session, Suggestion.opening_id == opening.id)
        return []
    anyone = session.scalar(select(YouthProfile.id).where(_active_youth_filter()).limit(1))
    if anyone is None:  # nobody to match yet (the engine's index needs at least one)
        return []
    row = session.execute(select(*_OPENING_COLUMNS).where(JobOpening.id == opening.id)).one()
    engine, index = cache.engine_cache.with_youth_index(session, today)
    k = min(MAX_PER_OPENING, math.ceil(engine.config_.seat_multiplier * opening.seats))
    matches = engine.match_opening(opening_from_row(row), k=k, index=index)
    pairs = [
        (
            m.target_id,
            Match(
                target_id=opening.id,
                target_kind="opening",
                score=m.score,
                components=m.components,
                reasons=m.reasons,
                distance_km=m.distance_km,
            ),
        )
        for m in matches
    ]
    return _store(session, (TargetKind.OPENING, pairs))


def refresh_for_mentor_slot(session: Session, slot: MentorSlot, now: datetime) -> list[Suggestion]:
    """The best young people (who need a mentor) for one new or changed mentor slot."""
    session.flush()
    today = local_date(now)
    slots = load_slots(session, today, MentorSlot.id == slot.id)
    if not slots:
        expire_undecided(session, Suggestion.mentor_slot_id == slot.id)
        return []
    seekers = mentor_seekers(
        session,
        load_youths(
            session, YouthProfile.needs_mentor.is_(True), *_reach.within_reach_of(slots[0])
        ),
    )
    if not seekers:
        return []
    # One slot: the engine's own capacity-aware allocation over the seekers, one match each.
    ranked = cache.new_engine(today, session).fit((), slots).rank_mentors(seekers, k=1)
    return _store(session, (TargetKind.MENTOR_SLOT, list(flatten(ranked))))
