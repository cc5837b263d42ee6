"""The per-process engine cache: one fitted engine and one youth index per database and day,
kept exactly current by applying what changed (docs/ARCHITECTURE.md, "The engine's contract").

A fitted engine is read-only (matcher/engine.py): ``engine.with_openings`` and
``engine.with_slots`` give a new engine with some targets added, changed or removed, and
``engine.with_youths`` a new youth index — each equal to a fresh fit or index of the result.
So a save is visible to the very next instant suggestion, at any scale, with no wall-clock
threshold and no background rebuild: every call compares what the engine holds with the
database and applies the difference (milliseconds when one row changed).

What an engine holds is recorded as ``id -> updated_at`` of the rows applied. A call first
compares a cheap fingerprint (count, max and sum of the ids, latest change) of the live rows
with the same fingerprint of that record; when they differ it reads the rows changed since a
little before the latest change it knows (``CATCH_UP_MARGIN``: transactions that committed
late with an earlier timestamp), applies them, and checks the fingerprints again. If they
still differ (a row deleted, or changed longer ago than the margin), it reads the ids and
change times of all live rows and applies the exact difference. Mentor slots are few: when
they or the accepted mentorings changed, all live slots are read again. A new day (expiry and
ages move) or newly adopted weights (jobs/engine_configs.py) fit a new engine.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property
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
from matcher.encode import YouthArrays
from models.enums import SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.youth import YouthProfile

logger = logging.getLogger(__name__)

#: Rows changed this long before the latest change the engine knows are read again.
CATCH_UP_MARGIN = timedelta(minutes=10)
#: More changed rows than this at once: fit anew rather than apply them one by one.
REFIT_ABOVE = 5_000


@dataclass(frozen=True)
class Applied:
    """The rows an engine or index holds: ``id -> updated_at`` of each live row applied."""

    rows: dict[int, datetime]

    @cached_property
    def fingerprint(self) -> tuple[Any, ...]:
        """Computed once per record (a record is never changed: updates make a new one)."""
        if not self.rows:
            return (0, None, None, None)
        return (len(self.rows), max(self.rows), sum(self.rows), max(self.rows.values()))

    @property
    def since(self) -> datetime | None:
        return max(self.rows.values()) - CATCH_UP_MARGIN if self.rows else None


@dataclass(frozen=True)
class Delta:
    """What changed in a table since an :class:`Applied` record."""

    upserts: frozenset[int]  # live rows to add or change
    removed: frozenset[int]  # rows applied that are no longer live
    applied: Applied  # the record after applying them


def fingerprint(session: Session, model: Any, condition: sa.ColumnElement[bool]) -> tuple:
    """(count, max id, sum of ids, latest change) of the rows matching ``condition``."""
    row = session.execute(
        select(func.count(), func.max(model.id), func.sum(model.id), func.max(model.updated_at))
        .select_from(model)
        .where(condition)
    ).one()
    count, top, total, latest = row
    return (count, top, total, latest) if count else (0, None, None, None)


def changes(
    session: Session, model: Any, condition: sa.ColumnElement[bool], applied: Applied
) -> Delta | None:
    """The difference between the live rows of ``model`` and ``applied``; None if none."""
    current = fingerprint(session, model, condition)
    if current == applied.fingerprint:
        return None
    rows = dict(applied.rows)
    recent: dict[int, datetime] = {}
    if applied.since is not None:
        rows_since = session.execute(
            select(model.id, model.updated_at).where(model.updated_at >= applied.since)
        )
        recent = {row_id: at for row_id, at in rows_since}
    touched = {i for i, at in recent.items() if rows.get(i) != at}
    live = set(session.scalars(select(model.id).where(model.id.in_(touched), condition)))
    upserts, removed = set(), set()
    for i in touched:
        if i in live:
            rows[i] = recent[i]
            upserts.add(i)
        elif rows.pop(i, None) is not None:
            removed.add(i)
    if Applied(rows).fingerprint != current:
        # Deleted rows, or changes older than the margin: the exact difference of all rows.
        everything = _live_rows(session, model, condition).rows
        upserts = {i for i, at in everything.items() if applied.rows.get(i) != at}
        removed = set(applied.rows) - set(everything)
        rows = everything
    return Delta(frozenset(upserts), frozenset(removed), Applied(rows))


def _live_rows(session: Session, model: Any, condition: sa.ColumnElement[bool]) -> Applied:
    rows = session.execute(select(model.id, model.updated_at).where(condition))
    return Applied({row_id: at for row_id, at in rows})


def _slot_state(session: Session, today: date) -> tuple:
    taken = session.scalar(
        select(func.count()).where(
            Suggestion.target_kind == TargetKind.MENTOR_SLOT,
            Suggestion.status == SuggestionStatus.ACCEPTED,
        )
    )
    return (fingerprint(session, MentorSlot, _live_slot_filter(today)), taken)


@dataclass(frozen=True)
class Entry:
    """One database's engine of the day, what it holds, and (once asked for) its youth index."""

    today: date
    label: str  # the engine config it was fitted with (jobs/engine_configs.py)
    engine: MatchEngine
    openings: Applied
    slots: tuple  # _slot_state when the slots were applied
    index: YouthArrays | None = None
    youths: Applied | None = None


class EngineCache:
    """The current engine (and youth index) of each database, for the fast paths."""

    def __init__(self) -> None:
        # One updater at a time; engines and indexes themselves are read-only values that any
        # number of requests may use at once.
        self._lock = threading.RLock()
        self._entries: dict[str, Entry] = {}

    @staticmethod
    def _db_key(session: Session) -> str:
        return str(session.get_bind().engine.url)

    def fitted(self, session: Session, today: date) -> MatchEngine:
        """The engine of every live opening and mentor slot, as the database has them now."""
        return self._current(session, today, with_index=False).engine

    def with_youth_index(self, session: Session, today: date) -> tuple[MatchEngine, YouthArrays]:
        """The current engine and the index of every active profile, as the database has them
        now."""
        entry = self._current(session, today, with_index=True)
        assert entry.index is not None
        return entry.engine, entry.index

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _current(self, session: Session, today: date, with_index: bool) -> Entry:
        key = self._db_key(session)
        with self._lock:
            entry = self._entries.get(key)
            label = active_label(session)
            if entry is None or entry.today != today or entry.label != label:
                entry = self._fit(session, today, label)
            else:
                entry = self._catch_up_targets(session, today, entry)
            if with_index:
                entry = self._catch_up_youths(session, entry)
            self._entries[key] = entry
            return entry

    def _fit(self, session: Session, today: date, label: str) -> Entry:
        load_taxonomy()  # once per process
        openings = _live_rows(session, JobOpening, _live_opening_filter(today))
        slots = _slot_state(session, today)
        engine = new_engine(today, session).fit(
            load_openings(session, today), load_slots(session, today)
        )
        return Entry(today, label, engine, openings, slots)

    def _catch_up_targets(self, session: Session, today: date, entry: Entry) -> Entry:
        engine = entry.engine
        delta = changes(session, JobOpening, _live_opening_filter(today), entry.openings)
        if delta is not None:
            if len(delta.upserts) > REFIT_ABOVE:
                # The youth index stays: it depends on the youth only (matcher/engine.py).
                fitted = self._fit(session, today, entry.label)
                return replace(fitted, index=entry.index, youths=entry.youths)
            upserts = (
                load_openings(session, today, JobOpening.id.in_(sorted(delta.upserts)))
                if delta.upserts
                else []
            )
            engine = engine.with_openings(upserts, sorted(delta.removed))
            entry = replace(entry, engine=engine, openings=delta.applied)
        slots = _slot_state(session, today)
        if slots != entry.slots:
            live = load_slots(session, today)
            have = set(engine.slots_.ids.tolist())
            gone = sorted(have - {s.id for s in live})
            entry = replace(entry, engine=engine.with_slots(live, gone), slots=slots)
        return entry

    def _catch_up_youths(self, session: Session, entry: Entry) -> Entry:
        active = _active_youth_filter()
        if entry.index is None or entry.youths is None:
            youths = _live_rows(session, YouthProfile, active)
            return replace(entry, index=entry.engine.index(load_youths(session)), youths=youths)
        index = entry.index
        if index.interest_labels != entry.engine.vocab_.interest_labels:
            # Slots with new interests were added: the index's interest ids, anew (once).
            index = entry.engine.with_youths(index)
            entry = replace(entry, index=index)
        assert entry.youths is not None  # set together with the index
        delta = changes(session, YouthProfile, active, entry.youths)
        if delta is None:
            return entry
        if len(delta.upserts) > REFIT_ABOVE:
            youths = _live_rows(session, YouthProfile, active)
            return replace(entry, index=entry.engine.index(load_youths(session)), youths=youths)
        upserts = (
            load_youths(session, YouthProfile.id.in_(sorted(delta.upserts)))
            if delta.upserts
            else []
        )
        index = entry.engine.with_youths(index, upserts, sorted(delta.removed))
        return replace(entry, index=index, youths=delta.applied)


engine_cache = EngineCache()


def warm_up(session: Session, today: date) -> bool:
    """Build this process's engine and youth index now (a web worker calls it at start), so
    that the first opening saved does not wait for it. False when there is nobody to index."""
    anyone = session.scalar(select(YouthProfile.id).where(_active_youth_filter()).limit(1))
    if anyone is None:
        return False
    engine_cache.with_youth_index(session, today)
    return True


def new_engine(today: date, session: Session) -> MatchEngine:
    """The one place the engine's config is built: the active weights (jobs/engine_configs.py)."""
    return MatchEngine(engine_config(session, today), load_taxonomy())
