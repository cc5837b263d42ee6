"""The bridge between the database and the engine: rows in, suggestions out.

* ``run_matching(session, now, run)`` ranks the whole population (openings and mentor slots),
  allocates, and stores the result in bulk.
* ``refresh_for_profile`` / ``refresh_for_opening`` / ``refresh_for_mentor_slot`` are the
  fast paths the web calls when something is saved (no allocation against the population).

Storage rules (the same everywhere):

* a new (youth, target) pair is stored as ``proposed`` with score, components, reasons
  ``[{code, da, en}]``, distance, engine version and the run that proposed it;
* an existing ``proposed`` suggestion gets the new score (only when it changed, so a repeated
  run writes nothing);
* anything a caseworker or partner decided (every other status) is never touched;
* ``proposed`` suggestions whose target closed, filled or expired, whose mentor slot is full,
  or whose young person is no longer active become ``expired``.

The functions ``flush`` only; the caller commits once. The taxonomy and fitted engines are
cached per process (:func:`models.reference.load_taxonomy`, :class:`EngineCache`).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jobs.distinct_targets import distinct_targets
from matcher import Match, MatchEngine
from matcher import MentorSlot as EngineSlot
from matcher import Opening as EngineOpening
from matcher import Youth as EngineYouth
from matcher.blocking import haversine_km
from models.enums import (
    OpeningStatus,
    ProfileStatus,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.jobrun import JobRun
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.engine_configs import active_label, engine_config
from models.reference import load_taxonomy
from models.suggestion import Suggestion
from models.youth import YouthProfile

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
logger = logging.getLogger(__name__)
#: Openings proposed per young person and run; mentor slots per young person who needs one.
OPENINGS_PER_YOUTH = 10
MENTORS_PER_YOUTH = 3
#: At most this many young people are proposed for one opening saved in the web.
MAX_PER_OPENING = 50
#: The longest commute a profile may give (youth_profile's CHECK constraint).
MAX_COMMUTE_KM = 200
INSERT_BATCH = 5_000

_PROPOSED = SuggestionStatus.PROPOSED
_EXPIRED = SuggestionStatus.EXPIRED


def local_date(now: datetime) -> date:
    """The calendar day in Denmark: decides expiry, ages and which night a run is for."""
    return now.astimezone(LOCAL_TZ).date()


# --- rows -> engine inputs -----------------------------------------------------------------

_YOUTH_COLUMNS = (
    YouthProfile.id,
    YouthProfile.birth_year,
    YouthProfile.postcode,
    YouthProfile.max_commute_km,
    YouthProfile.education_level,
    YouthProfile.skills,
    YouthProfile.interests,
    YouthProfile.wished_occupations,
    YouthProfile.hours_min,
    YouthProfile.hours_max,
    YouthProfile.languages,
    YouthProfile.driving_licence,
    YouthProfile.needs_mentor,
    YouthProfile.available_from,
    YouthProfile.former_jobs,
    YouthProfile.preferred_kinds,
)
_OPENING_COLUMNS = (
    JobOpening.id,
    JobOpening.title,
    JobOpening.postcode,
    JobOpening.description,
    JobOpening.occupation_uri,
    JobOpening.kind,
    JobOpening.required_skills,
    JobOpening.nice_skills,
    JobOpening.hours_min,
    JobOpening.hours_max,
    JobOpening.seats,
    JobOpening.min_age,
    JobOpening.driving_licence_required,
    JobOpening.languages,
    JobOpening.mentor_at_workplace,
    JobOpening.start_date,
    JobOpening.expires,
)
_SLOT_COLUMNS = (
    MentorSlot.id,
    MentorSlot.title,
    MentorSlot.postcode,
    MentorSlot.description,
    MentorSlot.interests,
    MentorSlot.languages,
    MentorSlot.max_distance_km,
    MentorSlot.capacity,
    MentorSlot.available_from,
    MentorSlot.available_until,
)


def _texts(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()) if v)


def youth_from_row(row: Any) -> EngineYouth:
    return EngineYouth(
        id=row.id,
        birth_year=row.birth_year,
        postcode=row.postcode,
        max_commute_km=float(row.max_commute_km),
        education_level=row.education_level,
        skills=_texts(row.skills),
        interests=_texts(row.interests),
        wished_occupations=_texts(row.wished_occupations),
        hours_min=float(row.hours_min),
        hours_max=float(row.hours_max),
        languages=_texts(row.languages),
        driving_licence=bool(row.driving_licence),
        needs_mentor=bool(row.needs_mentor),
        available_from=row.available_from,
        status="active",
        former_jobs=_texts(row.former_jobs),
        preferred_kinds=_texts(row.preferred_kinds),
    )


def opening_from_row(row: Any) -> EngineOpening:
    return EngineOpening(
        id=row.id,
        title=row.title,
        postcode=row.postcode,
        description=row.description or "",
        occupation_uri=row.occupation_uri,
        kind=str(row.kind),
        required_skills=_texts(row.required_skills),
        nice_skills=_texts(row.nice_skills),
        hours_min=float(row.hours_min),
        hours_max=float(row.hours_max),
        seats=row.seats,
        min_age=row.min_age,
        driving_licence_required=bool(row.driving_licence_required),
        languages=_texts(row.languages),
        mentor_at_workplace=bool(row.mentor_at_workplace),
        start_date=row.start_date,
        expires=row.expires,
        status="open",
    )


def slot_from_row(row: Any, taken: int) -> EngineSlot:
    return EngineSlot(
        id=row.id,
        title=row.title,
        postcode=row.postcode,
        description=row.description or "",
        interests=_texts(row.interests),
        languages=_texts(row.languages),
        max_distance_km=float(row.max_distance_km),
        capacity=max(0, row.capacity - taken),
        available_from=row.available_from,
        available_until=row.available_until,
        status="open",
    )


def _active_youth_filter() -> sa.ColumnElement[bool]:
    return YouthProfile.status == ProfileStatus.ACTIVE


def _live_opening_filter(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        JobOpening.status == OpeningStatus.OPEN,
        sa.or_(JobOpening.expires.is_(None), JobOpening.expires >= today),
    )


def _live_slot_filter(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        MentorSlot.status == SlotStatus.OPEN,
        sa.or_(MentorSlot.available_until.is_(None), MentorSlot.available_until >= today),
    )


def _taken_places(session: Session) -> sa.Subquery:
    return (
        select(Suggestion.mentor_slot_id.label("slot_id"), func.count().label("taken"))
        .where(
            Suggestion.target_kind == TargetKind.MENTOR_SLOT,
            Suggestion.status == SuggestionStatus.ACCEPTED,
        )
        .group_by(Suggestion.mentor_slot_id)
        .subquery()
    )


def load_youths(session: Session, *extra: sa.ColumnElement[bool]) -> list[EngineYouth]:
    """Active profiles (optionally narrowed by ``extra`` conditions), one query."""
    rows = session.execute(
        select(*_YOUTH_COLUMNS).where(_active_youth_filter(), *extra).order_by(YouthProfile.id)
    )
    return [youth_from_row(row) for row in rows]


def load_openings(
    session: Session, today: date, *extra: sa.ColumnElement[bool]
) -> list[EngineOpening]:
    """Open, unexpired openings, one query."""
    rows = session.execute(
        select(*_OPENING_COLUMNS).where(_live_opening_filter(today), *extra).order_by(JobOpening.id)
    )
    return [opening_from_row(row) for row in rows]


def load_slots(session: Session, today: date, *extra: sa.ColumnElement[bool]) -> list[EngineSlot]:
    """Open mentor slots with free places (capacity minus accepted suggestions), one query."""
    taken = _taken_places(session)
    rows = session.execute(
        select(*_SLOT_COLUMNS, func.coalesce(taken.c.taken, 0).label("taken"))
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(_live_slot_filter(today), *extra)
        .order_by(MentorSlot.id)
    )
    slots = [slot_from_row(row, row.taken) for row in rows]
    return [s for s in slots if s.capacity > 0]


def _youths_with_mentor(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Suggestion.youth_id).where(
                Suggestion.target_kind == TargetKind.MENTOR_SLOT,
                Suggestion.status == SuggestionStatus.ACCEPTED,
            )
        )
    )


def mentor_seekers(session: Session, youths: Sequence[EngineYouth]) -> list[EngineYouth]:
    """Young people who need a mentor and do not have one yet."""
    have = _youths_with_mentor(session)
    return [y for y in youths if y.needs_mentor and y.id not in have]


# --- per-process engine cache --------------------------------------------------------------


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


# --- storing -------------------------------------------------------------------------------


def _reasons(match: Match) -> list[dict[str, str]]:
    return [{"code": r.code, "da": r.da, "en": r.en} for r in match.reasons]


def _rounded(value: float) -> float:
    return round(float(value), 6)


class _Store:
    """Applies the storage rules to a batch of (youth id, match) pairs."""

    def __init__(self, session: Session, run: JobRun | None) -> None:
        self.session = session
        self.run_id = run.id if run is not None else None
        self.counts = {"new": 0, "updated": 0, "unchanged": 0, "kept_decided": 0}
        self.touched: list[tuple[str, int, int]] = []
        self.engine_version = active_label(session)

    def existing(
        self, kind: TargetKind, condition: sa.ColumnElement[bool] | None = None
    ) -> dict[tuple[int, int], tuple[int, SuggestionStatus, float]]:
        column = Suggestion.opening_id if kind is TargetKind.OPENING else Suggestion.mentor_slot_id
        query = select(
            Suggestion.id, Suggestion.youth_id, column, Suggestion.status, Suggestion.score
        )
        query = query.where(Suggestion.target_kind == kind)
        if condition is not None:
            query = query.where(condition)
        return {(row[1], row[2]): (row[0], row[3], row[4]) for row in self.session.execute(query)}

    def store(
        self,
        kind: TargetKind,
        pairs: Iterable[tuple[int, Match]],
        existing: dict[tuple[int, int], tuple[int, SuggestionStatus, float]],
    ) -> None:
        target_column = "opening_id" if kind is TargetKind.OPENING else "mentor_slot_id"
        other_column = "mentor_slot_id" if kind is TargetKind.OPENING else "opening_id"
        new_rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for youth_id, match in pairs:
            target_id = match.target_id
            self.touched.append((target_column, youth_id, target_id))
            score = min(1.0, max(0.0, _rounded(match.score)))
            known = existing.get((youth_id, target_id))
            values = {
                "score": score,
                "components": {k: _rounded(v) for k, v in match.components.items()},
                "reasons": _reasons(match),
                "distance_km": (
                    None if match.distance_km is None else round(float(match.distance_km), 2)
                ),
                "engine_version": self.engine_version,
            }
            if known is None:
                existing[(youth_id, target_id)] = (0, _PROPOSED, score)
                new_rows.append(
                    {
                        "youth_id": youth_id,
                        "target_kind": kind,
                        target_column: target_id,
                        other_column: None,
                        "run_id": self.run_id,
                        "status": _PROPOSED,
                        **values,
                    }
                )
            elif known[1] is not _PROPOSED:
                self.counts["kept_decided"] += 1
            elif not math.isclose(known[2], score, abs_tol=1e-6):
                updates.append({"id": known[0], **values})
            else:
                self.counts["unchanged"] += 1
        self._insert(new_rows)
        if updates and self.session.get_bind().dialect.name == "postgresql":
            _copy_update(self.session, updates)
            self.counts["updated"] += len(updates)
        elif updates:
            # Bulk UPDATE by primary key (executemany); the status guard keeps decisions that
            # were taken since the suggestions were read.
            table = Suggestion.__table__
            self.session.execute(
                table.update()
                .where(table.c.id == sa.bindparam("b_id"), table.c.status == _PROPOSED)
                .values(
                    score=sa.bindparam("b_score"),
                    components=sa.bindparam("b_components"),
                    reasons=sa.bindparam("b_reasons"),
                    distance_km=sa.bindparam("b_distance_km"),
                    engine_version=sa.bindparam("b_engine_version"),
                    updated_at=sa.bindparam("b_updated_at"),
                ),
                [
                    {f"b_{key}": value for key, value in u.items()}
                    | {"b_updated_at": datetime.now(LOCAL_TZ)}
                    for u in updates
                ],
            )
            self.counts["updated"] += len(updates)

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = datetime.now(LOCAL_TZ)
        for row in rows:
            row["created_at"] = now
            row["updated_at"] = now
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            _copy_insert(self.session, rows)
            self.counts["new"] += len(rows)
            return
        from sqlalchemy.dialects.sqlite import insert

        # A web fast path may have stored the same pair meanwhile: that one wins.
        statement = insert(Suggestion).on_conflict_do_nothing()
        for start in range(0, len(rows), INSERT_BATCH):
            self.session.execute(statement, rows[start : start + INSERT_BATCH])
        self.counts["new"] += len(rows)


_COPY_COLUMNS = (
    "youth_id",
    "target_kind",
    "opening_id",
    "mentor_slot_id",
    "score",
    "components",
    "reasons",
    "distance_km",
    "engine_version",
    "run_id",
    "status",
    "created_at",
    "updated_at",
)


def _copy_insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING.

    An order of magnitude faster than executemany for the ~10^6 rows of a national night.
    """
    import json

    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS suggestion_load ("
        "youth_id integer, target_kind varchar(20), opening_id integer, mentor_slot_id integer,"
        " score double precision, components text, reasons text, distance_km double precision,"
        " engine_version varchar(40), run_id integer, status varchar(20),"
        " created_at timestamptz, updated_at timestamptz) ON COMMIT DROP"
    )
    connection.exec_driver_sql("TRUNCATE suggestion_load")
    raw = connection.connection.driver_connection
    columns = ", ".join(_COPY_COLUMNS)
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY suggestion_load ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                (
                    row["youth_id"],
                    str(row["target_kind"]),
                    row["opening_id"],
                    row["mentor_slot_id"],
                    row["score"],
                    json.dumps(row["components"]),
                    json.dumps(row["reasons"], ensure_ascii=False),
                    row["distance_km"],
                    row["engine_version"],
                    row["run_id"],
                    str(row["status"]),
                    row["created_at"],
                    row["updated_at"],
                )
            )
    casts = [f"{c}::json" if c in ("components", "reasons") else c for c in _COPY_COLUMNS]
    connection.exec_driver_sql(
        f"INSERT INTO suggestion ({columns}) SELECT {', '.join(casts)} FROM suggestion_load "  # noqa: S608 - fixed column names
        "ON CONFLICT DO NOTHING"
    )


def _copy_update(session: Session, updates: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the new scores into a temporary table, then one UPDATE ... FROM."""
    import json

    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS suggestion_rescore (id integer primary key,"
        " score double precision, components text, reasons text, distance_km double precision,"
        " engine_version varchar(40)) ON COMMIT DROP"
    )
    connection.exec_driver_sql("TRUNCATE suggestion_rescore")
    raw = connection.connection.driver_connection
    statement = (
        "COPY suggestion_rescore (id, score, components, reasons, distance_km, engine_version)"
        " FROM STDIN"
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for u in updates:
            copy.write_row(
                (
                    u["id"],
                    u["score"],
                    json.dumps(u["components"]),
                    json.dumps(u["reasons"], ensure_ascii=False),
                    u["distance_km"],
                    u["engine_version"],
                )
            )
    connection.execute(
        sa.text(
            "UPDATE suggestion SET score = r.score, components = r.components::json,"
            " reasons = r.reasons::json, distance_km = r.distance_km,"
            " engine_version = r.engine_version, updated_at = :now"
            " FROM suggestion_rescore r"
            " WHERE suggestion.id = r.id AND suggestion.status = :proposed"
        ),
        {"now": datetime.now(LOCAL_TZ), "proposed": _PROPOSED.value},
    )


def expire_stale(session: Session, today: date) -> int:
    """``proposed`` suggestions of closed/filled/expired/full targets or inactive youth."""
    inactive_youth = select(YouthProfile.id).where(YouthProfile.status != ProfileStatus.ACTIVE)
    dead_openings = select(JobOpening.id).where(
        sa.or_(
            JobOpening.status.in_((OpeningStatus.CLOSED, OpeningStatus.FILLED)),
            JobOpening.expires < today,
        )
    )
    taken = _taken_places(session)
    dead_slots = (
        select(MentorSlot.id)
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(
            sa.or_(
                MentorSlot.status == SlotStatus.CLOSED,
                MentorSlot.available_until < today,
                func.coalesce(taken.c.taken, 0) >= MentorSlot.capacity,
            )
        )
    )
    result = session.execute(
        update(Suggestion)
        .where(
            Suggestion.status == _PROPOSED,
            sa.or_(
                Suggestion.youth_id.in_(inactive_youth),
                Suggestion.opening_id.in_(dead_openings),
                Suggestion.mentor_slot_id.in_(dead_slots),
            ),
        )
        .values(status=_EXPIRED, updated_at=datetime.now(LOCAL_TZ))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _expire_superseded(
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
            .values(status=_EXPIRED, updated_at=datetime.now(LOCAL_TZ))
            .execution_options(synchronize_session=False)
        )
        count += result.rowcount or 0
    return count


def _flatten(ranked: dict[int, list[Match]]) -> list[tuple[int, Match]]:
    return [(youth_id, m) for youth_id, matches in ranked.items() for m in matches]


# --- the nightly run -------------------------------------------------------------------------


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
    import time

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
        superseded += _expire_superseded(session, existing, {(y, m.target_id) for y, m in pairs})
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


# --- fast paths for the web ------------------------------------------------------------------


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


def _target_ids(ranked: dict[int, list[Match]]) -> set[int]:
    return {m.target_id for matches in ranked.values() for m in matches}


def _only(ranked: dict[int, list[Match]], keep: set[int]) -> dict[int, list[Match]]:
    return {y: [m for m in matches if m.target_id in keep] for y, matches in ranked.items()}


def _live_opening_ids(session: Session, today: date, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    query = select(JobOpening.id).where(JobOpening.id.in_(ids), _live_opening_filter(today))
    return set(session.scalars(query))


def _live_slot_ids(session: Session, today: date, ids: set[int]) -> set[int]:
    """Open mentor slots among ``ids`` that still have a free place."""
    return {s.id for s in load_slots(session, today, MentorSlot.id.in_(ids))} if ids else set()


def _active_youth_ids(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    query = select(YouthProfile.id).where(YouthProfile.id.in_(ids), _active_youth_filter())
    return set(session.scalars(query))


def refresh_for_profile(session: Session, profile: YouthProfile, now: datetime) -> list[Suggestion]:
    """Suggestions for one new or changed profile (openings, and mentors when needed)."""
    session.flush()
    today = local_date(now)
    if profile.status is not ProfileStatus.ACTIVE:
        _expire_where(session, Suggestion.youth_id == profile.id)
        return []
    youths = load_youths(session, YouthProfile.id == profile.id)
    engine = engine_cache.fitted(session, today)
    with _use_lock:
        ranked = engine.rank(youths, k=OPENINGS_PER_YOUTH)
        seekers = mentor_seekers(session, youths)
        mentors = engine.rank_mentors(seekers, k=MENTORS_PER_YOUTH) if seekers else {}
    # The engine may be a few seconds behind (see EngineCache): propose only what is live now.
    ranked = _only(ranked, _live_opening_ids(session, today, _target_ids(ranked)))
    mentors = _only(mentors, _live_slot_ids(session, today, _target_ids(mentors)))
    ranked = distinct_targets(session, TargetKind.OPENING, ranked)
    mentors = distinct_targets(session, TargetKind.MENTOR_SLOT, mentors)
    store = _Store(session, None)
    store.store(
        TargetKind.OPENING,
        _flatten(ranked),
        store.existing(TargetKind.OPENING, Suggestion.youth_id == profile.id),
    )
    store.store(
        TargetKind.MENTOR_SLOT,
        _flatten(mentors),
        store.existing(TargetKind.MENTOR_SLOT, Suggestion.youth_id == profile.id),
    )
    session.flush()
    return _suggestions_for(session, store.touched)


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
            _expire_where(session, Suggestion.opening_id == opening.id)
        return []
    anyone = session.scalar(select(YouthProfile.id).where(_active_youth_filter()).limit(1))
    if anyone is None:  # nobody to match yet (the engine's index needs at least one)
        return []
    row = session.execute(select(*_OPENING_COLUMNS).where(JobOpening.id == opening.id)).one()
    engine = engine_cache.with_youth_index(session, today)
    k = min(MAX_PER_OPENING, math.ceil(engine.config_.seat_multiplier * opening.seats))
    with _use_lock:
        matches = engine.match_opening(opening_from_row(row), k=k)
    # The youth index may be a few seconds behind (see EngineCache): only who is active now.
    active = _active_youth_ids(session, [m.target_id for m in matches])
    matches = [m for m in matches if m.target_id in active]
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
    store = _Store(session, None)
    store.store(
        TargetKind.OPENING,
        pairs,
        store.existing(TargetKind.OPENING, Suggestion.opening_id == opening.id),
    )
    session.flush()
    return _suggestions_for(session, store.touched)


def refresh_for_mentor_slot(session: Session, slot: MentorSlot, now: datetime) -> list[Suggestion]:
    """The best young people (who need a mentor) for one new or changed mentor slot."""
    session.flush()
    today = local_date(now)
    slots = load_slots(session, today, MentorSlot.id == slot.id)
    if not slots:
        _expire_where(session, Suggestion.mentor_slot_id == slot.id)
        return []
    seekers = mentor_seekers(
        session,
        load_youths(session, YouthProfile.needs_mentor.is_(True), *_within_reach_of(slots[0])),
    )
    if not seekers:
        return []
    # One slot: the engine's own capacity-aware allocation over the seekers, one match each.
    ranked = new_engine(today, session).fit((), slots).rank_mentors(seekers, k=1)
    store = _Store(session, None)
    store.store(
        TargetKind.MENTOR_SLOT,
        _flatten(ranked),
        store.existing(TargetKind.MENTOR_SLOT, Suggestion.mentor_slot_id == slot.id),
    )
    session.flush()
    return _suggestions_for(session, store.touched)


REACH_BAND_KM = 5


def _within_reach_of(slot: EngineSlot) -> list[sa.ColumnElement[bool]]:
    """A condition on profiles that keeps everyone a mentor slot can reach, and few others.

    The engine's rule: the distance is within the mentor's ``max_distance_km`` or within the
    young person's ``max_commute_km``. Postcodes within the mentor's reach qualify as they
    are; farther ones in 5-km bands, for profiles whose commute reaches the band's near edge
    (a superset; the engine then applies the exact rule). Saving a slot at national scale
    then loads and encodes the seekers around it, not all 22,000. No condition when the
    slot's postcode is unknown (the engine reaches nobody from it anyway).
    """
    taxonomy = load_taxonomy()
    pc = taxonomy.postcode_index.get(slot.postcode)
    if pc is None:
        return []
    lat, lon = taxonomy.pc_lat, taxonomy.pc_lon
    km = haversine_km(lat[pc], lon[pc], lat, lon)
    near: list[str] = []
    bands: dict[int, list[str]] = {}
    for code, distance in zip(taxonomy.postcodes, km.tolist(), strict=True):
        if distance <= slot.max_distance_km:
            near.append(code)
        elif distance <= MAX_COMMUTE_KM:
            bands.setdefault(int(distance // REACH_BAND_KM) * REACH_BAND_KM, []).append(code)
    clauses = [YouthProfile.postcode.in_(near)] if near else []
    clauses += [
        sa.and_(YouthProfile.postcode.in_(codes), YouthProfile.max_commute_km >= edge)
        for edge, codes in sorted(bands.items())
    ]
    return [sa.or_(*clauses)] if clauses else [sa.false()]


def _expire_where(session: Session, condition: sa.ColumnElement[bool]) -> int:
    result = session.execute(
        update(Suggestion)
        .where(condition, Suggestion.status == _PROPOSED)
        .values(status=_EXPIRED, updated_at=datetime.now(LOCAL_TZ))
        .execution_options(synchronize_session=False)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Suggestion):
            session.expire(obj)
    return result.rowcount or 0
