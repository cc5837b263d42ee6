"""The bridge between the database and the engine: rows in, suggestions out.

One concern per module (docs/ARCHITECTURE.md, "jobs/matching"):

* :mod:`~jobs.matching.inputs` — rows to the engine's input values, the loaders;
* :mod:`~jobs.matching.cache` — the per-process fitted engines (:class:`EngineCache`);
* :mod:`~jobs.matching.store` — the storage rules for ranked pairs;
* :mod:`~jobs.matching.pg_bulk` — PostgreSQL's COPY path for the storage rules;
* :mod:`~jobs.matching.expiry` — what tonight's allocation no longer picks, and the stale;
* :mod:`~jobs.matching.nightly` — ``run_matching``: rank everyone, allocate, store in bulk;
* :mod:`~jobs.matching.fast_paths` — ``refresh_for_profile`` / ``_opening`` / ``_mentor_slot``;
* :mod:`~jobs.matching.reach` — the SQL pre-filter of who a mentor slot can reach.

The functions ``flush`` only; the caller commits once. The names below are the package's
public interface (the web, the jobs, the benchmark and the tests import them from here).
"""

from __future__ import annotations

from jobs.matching.cache import EngineCache, engine_cache, new_engine, warm_up
from jobs.matching.expiry import expire_stale
from jobs.matching.fast_paths import (
    MAX_PER_OPENING,
    refresh_for_mentor_slot,
    refresh_for_opening,
    refresh_for_profile,
)
from jobs.matching.inputs import (
    load_openings,
    load_slots,
    load_youths,
    mentor_seekers,
    opening_from_row,
    slot_from_row,
    youth_from_row,
)
from jobs.matching.nightly import MENTORS_PER_YOUTH, OPENINGS_PER_YOUTH, run_matching
from jobs.matching.reach import MAX_COMMUTE_KM, within_reach_of
from models.clock import local_date

__all__ = [
    "MAX_COMMUTE_KM",
    "MAX_PER_OPENING",
    "MENTORS_PER_YOUTH",
    "OPENINGS_PER_YOUTH",
    "EngineCache",
    "engine_cache",
    "expire_stale",
    "load_openings",
    "load_slots",
    "load_youths",
    "local_date",
    "mentor_seekers",
    "new_engine",
    "opening_from_row",
    "refresh_for_mentor_slot",
    "refresh_for_opening",
    "refresh_for_profile",
    "run_matching",
    "slot_from_row",
    "warm_up",
    "within_reach_of",
    "youth_from_row",
]
