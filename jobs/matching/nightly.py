"""The nightly run: rank everyone, allocate, store in bulk, expire what is stale."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from itertools import chain
from operator import attrgetter

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobs.distinct_targets import distinct_targets, one_per_name, target_names
from jobs.matching.cache import new_engine
from jobs.matching.expiry import expire_stale, expire_unpicked
from jobs.matching.inputs import load_openings, load_slots, load_youths, mentor_seekers
from jobs.matching.store import _Store, flatten
from matcher import Match
from models.clock import local_date
from models.enums import TargetKind
from models.jobrun import JobRun
from models.suggestion import Suggestion

#: Openings proposed per young person and run; mentor slots per young person who needs one.
OPENINGS_PER_YOUTH = 10
MENTORS_PER_YOUTH = 3

_target_id = attrgetter("target_id")


def run_matching(
    session: Session,
    now: datetime,
    run: JobRun | None = None,
    *,
    timings: dict[str, float] | None = None,
) -> dict[str, int]:
    """Rank everyone, allocate, store in bulk. Returns counts; flushes, does not commit.

    ``timings`` (optional) receives seconds per stage: load, rank, store, and how long the
    openings' merge took while the mentors were ranked (store_in_background).

    The session is used by one thread at a time, and the database works while this process
    ranks: a worker expires what is stale and reads the targets' names (for
    :func:`jobs.distinct_targets.one_per_name`) while the openings are ranked, and merges the
    openings while the mentors are ranked.
    """
    today = local_date(now)
    clock = time.perf_counter()
    youths = load_youths(session)
    openings = load_openings(session, today)
    slots = load_slots(session, today)
    n_openings, n_slots = len(openings), len(slots)
    seekers = {y.id for y in mentor_seekers(session, youths)}
    loaded = time.perf_counter()
    engine = new_engine(today, session)
    store = _Store(session, run)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="merge") as pool:
        # SQL only, and nothing this run writes before the merge depends on it (nor it on
        # that): the names of every target the engine can propose (a superset of what it
        # will; the same names), and the stale proposals' expiry.
        early = pool.submit(
            _names_and_stale,
            session,
            today,
            {
                TargetKind.OPENING: {o.id for o in openings},
                TargetKind.MENTOR_SLOT: {s.id for s in slots},
            },
        )
        engine.fit(openings, slots)
        del openings, slots
        # The youth are encoded once: the openings' ranking and the mentor seekers' (a subset
        # of the same index, matcher's with_youths) use the one index.
        index = engine.index(youths)
        n_youths = len(youths)
        del youths
        ranked_openings = engine.rank(index, k=OPENINGS_PER_YOUTH)
        names, expired = early.result()
        # One proposal per young person among one organisation's same-named targets.
        distinct = _distinct(TargetKind.OPENING, ranked_openings, names)
        if distinct is None:
            distinct = distinct_targets(session, TargetKind.OPENING, ranked_openings)
        ranked_openings = distinct
        del distinct
        ranked = time.perf_counter()

        proposed_openings = sum(len(v) for v in ranked_openings.values())
        # A first night's bulk load locks the table and drops its secondary indexes first
        # (quick); the openings new to it are then copied straight in, and the mentors' are
        # prepared for that too. The matches are dropped before the mentors are ranked (the
        # night's peak memory).
        store.begin(TargetKind.OPENING, proposed_openings)
        staged = store.stage(TargetKind.OPENING, flatten(ranked_openings))
        del ranked_openings
        staged_at = time.perf_counter()
        merge_seconds = 0.0

        def merge_openings() -> int:
            """The openings are merged (the first night: the indexes are built again), and
            what they no longer pick expires."""
            nonlocal merge_seconds
            clock = time.perf_counter()
            store.merge(TargetKind.OPENING, staged)
            superseded = expire_unpicked(
                session, TargetKind.OPENING, store.stored_up_to(TargetKind.OPENING)
            )
            merge_seconds = time.perf_counter() - clock
            return superseded

        # The database merges the openings while this process ranks the mentors: that is
        # SQL only and has the session to itself until it is done (the ranking, and the
        # choice among same-named slots with the names read before, do not use it).
        merging = pool.submit(merge_openings)
        ranked_mentors: dict[int, list[Match]] = {}
        if seekers:
            others = index.ids[~np.isin(index.ids, np.fromiter(seekers, dtype=np.int64))]
            seeker_index = engine.with_youths(index, removed=others.tolist())
            ranked_mentors = engine.rank_mentors(seeker_index, k=MENTORS_PER_YOUTH)
            del seeker_index
        del index
        distinct_mentors = _distinct(TargetKind.MENTOR_SLOT, ranked_mentors, names)
        ranked_again = time.perf_counter()
        prepared = None
        if distinct_mentors is not None:
            # Their staging rows are made while the database still merges the openings.
            ranked_mentors = distinct_mentors
            prepared = store.prepare(TargetKind.MENTOR_SLOT, flatten(ranked_mentors))
        superseded = merging.result()
    if distinct_mentors is None:  # a slot's name was not read before; the session is free now
        ranked_mentors = distinct_targets(session, TargetKind.MENTOR_SLOT, ranked_mentors)
    proposed_mentors = sum(len(v) for v in ranked_mentors.values())
    store.store(
        TargetKind.MENTOR_SLOT, prepared if prepared is not None else flatten(ranked_mentors)
    )
    del ranked_mentors, prepared
    superseded += expire_unpicked(
        session, TargetKind.MENTOR_SLOT, store.stored_up_to(TargetKind.MENTOR_SLOT)
    )
    if store.counts["new"] > 10_000 and session.get_bind().dialect.name == "postgresql":
        # Fresh planner statistics after a bulk load; autovacuum would get there later, and
        # until then the caseworkers' queue is planned for an empty table.
        session.execute(sa.text("ANALYZE suggestion"))
    # The ORM's copies of suggestions in this session are stale after the SQL above.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Suggestion):
            session.expire(obj)
    done = time.perf_counter()
    if timings is not None:
        timings.update(
            load=loaded - clock,
            rank=(ranked - loaded) + (ranked_again - staged_at),
            # The store's own time: what overlapped the mentors' ranking is not counted twice
            # (store_in_background says how long the openings' merge took in all).
            store=(staged_at - ranked) + (done - ranked_again),
            store_in_background=merge_seconds,
        )
    return {
        "youths": n_youths,
        "openings": n_openings,
        "mentor_slots": n_slots,
        "mentor_seekers": len(seekers),
        "proposed_openings": proposed_openings,
        "proposed_mentors": proposed_mentors,
        "new": store.counts["new"],
        "updated": store.counts["updated"],
        "unchanged": store.counts["unchanged"],
        "kept_decided": store.counts["kept_decided"],
        "expired": expired,
        "superseded": superseded,
    }


def _names_and_stale(
    session: Session, today: date, targets: dict[TargetKind, set[int]]
) -> tuple[dict[TargetKind, tuple[set[int], dict[int, tuple[int, str]]]], int]:
    """Per kind, the target ids asked for and their names (:func:`target_names`); and how
    many stale proposals expired (:func:`expire_stale`)."""
    names = {
        kind: (ids, target_names(session, kind, ids) if ids else {})
        for kind, ids in targets.items()
    }
    return names, expire_stale(session, today)


def _distinct(
    kind: TargetKind,
    ranked: dict[int, list[Match]],
    names: dict[TargetKind, tuple[set[int], dict[int, tuple[int, str]]]],
) -> dict[int, list[Match]] | None:
    """:func:`jobs.distinct_targets.distinct_targets` with the names read before: the same
    result, as every target ranked had its name read (the engine ranks only the targets it
    was fitted with). None if a target's name was not read (never, but the rule does not
    rest on it): the caller reads them with ``distinct_targets`` then."""
    asked, known = names[kind]
    if not set(map(_target_id, chain.from_iterable(ranked.values()))) <= asked:
        return None
    return one_per_name(ranked, known)
