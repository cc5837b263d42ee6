"""The nightly run: rank everyone, allocate, store in bulk, expire what is stale."""

from __future__ import annotations

import time
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobs.distinct_targets import distinct_targets
from jobs.matching.cache import new_engine
from jobs.matching.expiry import expire_stale, expire_superseded
from jobs.matching.inputs import load_openings, load_slots, load_youths, mentor_seekers
from jobs.matching.store import _flatten, _Store
from models.clock import local_date
from models.enums import TargetKind
from models.jobrun import JobRun

#: Openings proposed per young person and run; mentor slots per young person who needs one.
OPENINGS_PER_YOUTH = 10
MENTORS_PER_YOUTH = 3


def run_matching(
    session: Session,
    now: datetime,
    run: JobRun | None = None,
    *,
    timings: dict[str, float] | None = None,
) -> dict[str, int]:
    """Rank everyone, allocate, store in bulk. Returns counts; flushes, does not commit.

    ``timings`` (optional) receives seconds per stage: load, rank, store.
    """
    today = local_date(now)
    clock = time.perf_counter()
    youths = load_youths(session)
    openings = load_openings(session, today)
    slots = load_slots(session, today)
    seekers = mentor_seekers(session, youths)
    loaded = time.perf_counter()

    engine = new_engine(today, session).fit(openings, slots)
    ranked_openings = engine.rank(youths, k=OPENINGS_PER_YOUTH)
    ranked_mentors = engine.rank_mentors(seekers, k=MENTORS_PER_YOUTH) if seekers else {}
    # One proposal per young person among one organisation's same-named targets.
    ranked_openings = distinct_targets(session, TargetKind.OPENING, ranked_openings)
    ranked_mentors = distinct_targets(session, TargetKind.MENTOR_SLOT, ranked_mentors)
    ranked = time.perf_counter()

    store = _Store(session, run)
    expired = expire_stale(session, today)
    superseded = 0
    for kind, pairs in (
        (TargetKind.OPENING, _flatten(ranked_openings)),
        (TargetKind.MENTOR_SLOT, _flatten(ranked_mentors)),
    ):
        existing = store.existing(kind)
        store.store(kind, pairs, existing)
        superseded += expire_superseded(session, existing, {(y, m.target_id) for y, m in pairs})
    session.flush()
    if store.counts["new"] > 10_000 and session.get_bind().dialect.name == "postgresql":
        # Fresh planner statistics after a bulk load; autovacuum would get there later, and
        # until then the caseworkers' queue is planned for an empty table.
        session.execute(sa.text("ANALYZE suggestion"))
    stored = time.perf_counter()
    if timings is not None:
        timings.update(load=loaded - clock, rank=ranked - loaded, store=stored - ranked)
    return {
        "youths": len(youths),
        "openings": len(openings),
        "mentor_slots": len(slots),
        "mentor_seekers": len(seekers),
        "proposed_openings": sum(len(v) for v in ranked_openings.values()),
        "proposed_mentors": sum(len(v) for v in ranked_mentors.values()),
        "new": store.counts["new"],
        "updated": store.counts["updated"],
        "unchanged": store.counts["unchanged"],
        "kept_decided": store.counts["kept_decided"],
        "expired": expired,
        "superseded": superseded,
    }
