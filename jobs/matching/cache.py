"""The per-process engine cache: fitted engines and youth indexes by database and day."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobs.engine_configs import active_label, engine_config
from jobs.matching.inputs import (
    _active_youth_filter,
    _live_opening_filter,
    _live_slot_filter,
    load_openings,
    load_slots,
    load_youths,
)
from jobs.taxonomy import load_taxonomy
from matcher import MatchEngine
from models.enums import SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.youth import YouthProfile

logger = logging.getLogger(__name__)


def _fingerprint(session: Session, model: Any, condition: sa.ColumnElement[bool]) -> tuple:
    row = session.execute(
        select(func.count(), func.max(model.id), func.sum(model.id), func.max(model.updated_at))
        .select_from(model)
        .where(condition)
    ).one()
    return tuple(row)


@dataclass
class _Cached:
    state: tuple
    engine: MatchEngine
    seconds: float  # what building it took
    built_at: float  # time.monotonic() when it was built


class EngineCache:
    """Fitted engines by database and day; rebuilt when openings, slots or youth changed.

    Building the taxonomy (seconds) happens once per process. Fitting (encoding and TF-IDF of
    all openings) and the youth index are rebuilt when the fingerprint of what they were built
    from changed. A rebuild that is cheap (under ``background_after`` seconds last time: a few
    thousand profiles and openings, the tests, the demo) happens at once. An expensive one
    (about 5 s to fit and 5 s to index at national scale, where every saved opening changes the
    fingerprint) happens in a background thread while the previous engine keeps answering:
    saving an opening must not wait ten seconds. Such a rebuild runs at most every
    ``rebuild_interval`` seconds: it competes with the requests of its process for the
    interpreter, and the engine it replaces is only a few minutes behind. Callers check what a
    possibly stale engine proposes against the database (:func:`_live_opening_ids` and friends);
    openings saved meanwhile reach young people through their own fast path and the nightly run.
    """

    def __init__(self, background_after: float = 3.0, rebuild_interval: float = 300.0) -> None:
        self.background_after = background_after
        self.rebuild_interval = rebuild_interval
        self._lock = threading.RLock()
        self._fitted: dict[tuple[str, date], _Cached] = {}
        self._youth_index: dict[tuple[str, date], _Cached] = {}
        self._building: dict[tuple[str, tuple[str, date]], threading.Thread] = {}

    @staticmethod
    def _db_key(session: Session) -> str:
        return str(session.get_bind().engine.url)

    def _state(self, session: Session, today: date) -> tuple:
        taken = session.scalar(
            select(func.count()).where(
                Suggestion.target_kind == TargetKind.MENTOR_SLOT,
                Suggestion.status == SuggestionStatus.ACCEPTED,
            )
        )
        return (
            _fingerprint(session, JobOpening, _live_opening_filter(today)),
            _fingerprint(session, MentorSlot, _live_slot_filter(today)),
            taken,
            active_label(session),  # an adopted config rebuilds the engines
        )

    def _youth_state(self, session: Session, today: date) -> tuple:
        # Only the youth: a saved opening is scored with the index as it is (its vocabulary
        # may be a fit behind, which costs nothing but new words' weight).
        return (_fingerprint(session, YouthProfile, _active_youth_filter()),)

    def _state_of(self, session: Session, today: date, kind: str) -> tuple:
        return (
            self._state(session, today) if kind == "fitted" else self._youth_state(session, today)
        )

    def fitted(self, session: Session, today: date) -> MatchEngine:
        return self._get(session, today, "fitted")

    def with_youth_index(self, session: Session, today: date) -> MatchEngine:
        """A fitted engine whose youth index holds every active profile."""
        return self._get(session, today, "youth_index")

    def _store(self, kind: str) -> dict[tuple[str, date], _Cached]:
        return self._fitted if kind == "fitted" else self._youth_index

    def _get(self, session: Session, today: date, kind: str) -> MatchEngine:
        key = (self._db_key(session), today)
        state = (
            self._state(session, today) if kind == "fitted" else self._youth_state(session, today)
        )
        with self._lock:
            cached = self._store(kind).get(key)
        if cached is not None and cached.state == state:
            return cached.engine
        bind = session.get_bind()
        if (
            cached is not None
            and cached.seconds >= self.background_after
            and isinstance(bind, sa.Engine)  # not a test's connection inside a transaction
        ):
            if time.monotonic() - cached.built_at >= self.rebuild_interval:
                self._rebuild_in_background(bind, today, kind, key)
            return cached.engine
        return self._build(session, today, kind, key, state)

    def _build(
        self, session: Session, today: date, kind: str, key: tuple[str, date], state: tuple
    ) -> MatchEngine:
        load_taxonomy()  # once per process, and not part of what a rebuild costs
        fitted = self.fitted(session, today) if kind == "youth_index" else None
        clock = time.perf_counter()
        if fitted is None:
            engine = new_engine(today, session).fit(
                load_openings(session, today), load_slots(session, today)
            )
        else:
            engine = new_engine(today, session)
            # Share the fitted state; only the youth index differs.
            engine.__dict__.update(fitted.__dict__)
            engine.index_youths(load_youths(session))
        entry = _Cached(state, engine, time.perf_counter() - clock, time.monotonic())
        with self._lock:
            store = self._store(kind)
            for other in [k for k in store if k[0] == key[0]]:
                del store[other]
            store[key] = entry
        return engine

    def _rebuild_in_background(
        self, bind: sa.Engine, today: date, kind: str, key: tuple[str, date]
    ) -> None:
        with self._lock:
            running = self._building.get((kind, key))
            if running is not None and running.is_alive():
                return
            thread = threading.Thread(
                target=self._rebuild, args=(bind, today, kind, key), daemon=True
            )
            self._building[(kind, key)] = thread
        thread.start()

    def _rebuild(self, bind: sa.Engine, today: date, kind: str, key: tuple[str, date]) -> None:
        try:
            with Session(bind) as session:
                # The state first: a change during the build makes the next caller rebuild.
                state = self._state_of(session, today, kind)
                self._build(session, today, kind, key, state)
        except Exception:  # noqa: BLE001 - a failed rebuild keeps the old engine; logged
            logger.exception("rebuilding the %s engine in the background failed", kind)

    def wait_for_rebuilds(self, timeout: float = 120.0) -> None:
        """Block until background rebuilds are done (for the benchmark and tests)."""
        with self._lock:
            threads = list(self._building.values())
        for thread in threads:
            thread.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._fitted.clear()
            self._youth_index.clear()


engine_cache = EngineCache()


def warm_up(session: Session, today: date) -> bool:
    """Build this process's engine and youth index now (a web worker calls it at start), so
    that the first opening saved does not wait for it. False when there is nobody to index."""
    anyone = session.scalar(select(YouthProfile.id).where(_active_youth_filter()).limit(1))
    if anyone is None:
        return False
    engine_cache.with_youth_index(session, today)
    return True


_use_lock = threading.Lock()  # a fitted engine caches encodings: one caller at a time


def new_engine(today: date, session: Session) -> MatchEngine:
    """The one place the engine's config is built: the active weights (jobs/learning.py)."""
    return MatchEngine(engine_config(session, today), load_taxonomy())
