"""The storage rules: how ranked (youth, match) pairs become suggestion rows.

* a new (youth, target) pair is stored as ``proposed`` with score, components, reasons
  ``[{code, da, en}]``, distance, engine version and the run that proposed it;
* an existing ``proposed`` suggestion gets the new score, components, reasons, distance and
  engine version — only when it *changed*: its score moved by more than
  :data:`SCORE_TOLERANCE` (a tenth of the whole percent the pages show) or its reasons read
  differently. A repeated run writes nothing, and the next night does not rewrite the
  hundreds of thousands of proposals whose score only drifted in the last decimals (the
  TF-IDF vocabulary is fitted on each night's live openings, so text similarity moves a
  little every night);
* anything a caseworker or partner decided (every other status) is never touched.

Both databases apply the rules with the same statements (one set per target kind): the
pairs go into a temporary staging table (PostgreSQL: COPY, :mod:`jobs.matching.pg_bulk`;
SQLite: executemany), then ONE ``INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE`` merges
them — a row whose status is not ``proposed`` or that has not changed fails the WHERE and
costs no write, also when a decision was taken while the run was going (the conflicting row
is re-checked under its lock). The nightly run then expires, with ONE ``UPDATE``, the
proposals tonight's allocation no longer picks (:func:`jobs.matching.expiry.expire_unpicked`)
against the same staging table. The pairs are streamed into the staging table as tuples: no
row dicts, no list of the night's pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _json_string
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobs.engine_configs import active_label
from jobs.matching.pg_bulk import copy_rows
from matcher import Match
from models.clock import local_now
from models.enums import SuggestionStatus, TargetKind
from models.jobrun import JobRun
from models.suggestion import Suggestion, target_predicate

#: Rows per executemany on SQLite.
INSERT_BATCH = 5_000
#: A staging table with more rows than this gets planner statistics (the nightly, not a save).
ANALYZE_ABOVE = 1_000
#: A proposal whose score moved less than this, with the same reasons, is unchanged: a tenth
#: of the whole percent a score is shown as (scores are stored rounded to 6 places).
SCORE_TOLERANCE = 1e-3
#: The staging table, one per connection (temporary; dropped at commit on PostgreSQL).
STAGING = "suggestion_load"
#: Its columns, in the order :func:`staging_rows` yields them.
STAGING_COLUMNS = ("youth_id", "target_id", "score", "components", "reasons", "distance_km")

_PROPOSED = SuggestionStatus.PROPOSED.value
_TARGET_COLUMN = {TargetKind.OPENING: "opening_id", TargetKind.MENTOR_SLOT: "mentor_slot_id"}
# Timestamps and enums bound with the column's own type (SQLite stores datetimes as text in
# SQLAlchemy's format; a raw driver value would differ).
_NOW = sa.bindparam("now", type_=Suggestion.__table__.c.updated_at.type)


def target_column(kind: TargetKind) -> str:
    """The suggestion column that holds a target of ``kind`` (a fixed name, safe in SQL)."""
    return _TARGET_COLUMN[kind]


def _components_format(names: tuple[str, ...]) -> str:
    """A %-format of the components object for these names: each value with 6 decimals
    (the same number as ``round(value, 6)``; one format call per row instead of a dict and
    ``json.dumps``)."""
    return "{" + ", ".join(f"{_json_string(n).replace('%', '%%')}: %.6f" for n in names) + "}"


def staging_rows(pairs: Iterable[tuple[int, Match]]) -> Iterator[tuple[Any, ...]]:
    """One tuple per pair, as the staging table takes it: scores clamped and rounded to 6
    places, components to 6, the distance to 2; components and reasons as JSON text."""
    formats: dict[tuple[str, ...], str] = {}
    text = _json_string
    for youth_id, match in pairs:
        components = match.components
        names = tuple(components)
        template = formats.get(names)
        if template is None:
            template = formats[names] = _components_format(names)
        km = match.distance_km
        yield (
            youth_id,
            match.target_id,
            min(1.0, max(0.0, round(float(match.score), 6))),
            template % tuple(components.values()),
            "["
            + ", ".join(
                f'{{"code": {text(r.code)}, "da": {text(r.da)}, "en": {text(r.en)}}}'
                for r in match.reasons
            )
            + "]",
            None if km is None else round(float(km), 2),
        )


def flatten(ranked: dict[int, list[Match]]) -> Iterator[tuple[int, Match]]:
    """(youth id, match) pairs of a ranking, streamed."""
    for youth_id, matches in ranked.items():
        for match in matches:
            yield youth_id, match


def _staging_table(session: Session) -> None:
    """An empty staging table on this session's connection."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Temporary: not WAL-logged, private to the connection, gone at commit, rollback or a
        # killed backend (a SIGKILLed run leaves nothing behind).
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (youth_id integer, target_id integer,"
            " score double precision, components json, reasons json,"
            " distance_km double precision) ON COMMIT DROP"
        )
        connection.exec_driver_sql(f"TRUNCATE {STAGING}")
    else:
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (youth_id integer, target_id integer,"
            " score float, components text, reasons text, distance_km float)"
        )
        connection.exec_driver_sql(f"DELETE FROM {STAGING}")  # noqa: S608 - a fixed name


def _fill(session: Session, rows: Iterator[tuple[Any, ...]]) -> int:
    """Stream ``rows`` into the staging table; how many there were."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return copy_rows(connection, STAGING, STAGING_COLUMNS, rows)
    statement = (
        f"INSERT INTO {STAGING} ({', '.join(STAGING_COLUMNS)}) "  # noqa: S608 - fixed names
        f"VALUES ({', '.join('?' for _ in STAGING_COLUMNS)})"
    )
    count = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            connection.exec_driver_sql(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        connection.exec_driver_sql(statement, batch)
    return count + len(batch)


def _changed(stored: str, staged: str) -> str:
    """SQL: the staged pair changes the stored proposal (score beyond the tolerance, or
    reasons that read differently; the JSON compared as the text it was stored as)."""
    return (
        f"(abs({stored}.score - {staged}.score) > :tol"
        f" OR CAST({stored}.reasons AS TEXT) <> CAST({staged}.reasons AS TEXT))"
    )


def _classify(session: Session, kind: TargetKind) -> dict[str, int]:
    """How the staged pairs stand against the stored suggestions (for the run's counts)."""
    column = target_column(kind)
    row = session.execute(
        sa.text(
            "SELECT count(l.youth_id),"  # noqa: S608 - fixed table and column names
            " coalesce(sum(CASE WHEN s.id IS NULL THEN 1 ELSE 0 END), 0),"
            " coalesce(sum(CASE WHEN s.status <> :proposed THEN 1 ELSE 0 END), 0),"
            f" coalesce(sum(CASE WHEN s.status = :proposed AND {_changed('s', 'l')}"
            " THEN 1 ELSE 0 END), 0)"
            f" FROM {STAGING} l LEFT JOIN suggestion s"
            f" ON s.youth_id = l.youth_id AND s.{column} = l.target_id"
        ),
        {"proposed": _PROPOSED, "tol": SCORE_TOLERANCE},
    ).one()
    total, new, decided, changed = (int(v) for v in row)
    return {
        "new": new,
        "updated": changed,
        "unchanged": total - new - decided - changed,
        "kept_decided": decided,
    }


def _merge(session: Session, kind: TargetKind, run_id: int | None, engine_version: str) -> None:
    """The ONE statement of the storage rules: staged pairs in, changed proposals updated."""
    column = target_column(kind)
    statement = sa.text(
        f"INSERT INTO suggestion (youth_id, target_kind, {column},"  # noqa: S608 - fixed names
        " score, components, reasons, distance_km, engine_version, run_id, status,"
        " created_at, updated_at)"
        " SELECT youth_id, :kind, target_id, score, components, reasons, distance_km,"
        f" :version, :run_id, :proposed, :now, :now FROM {STAGING} WHERE true"
        f" ON CONFLICT (youth_id, {column}) WHERE {target_predicate(column)}"
        " DO UPDATE SET score = excluded.score,"
        " components = excluded.components, reasons = excluded.reasons,"
        " distance_km = excluded.distance_km, engine_version = excluded.engine_version,"
        " updated_at = excluded.updated_at"
        f" WHERE suggestion.status = :proposed AND {_changed('suggestion', 'excluded')}"
    ).bindparams(_NOW)
    session.execute(
        statement,
        {
            "kind": kind.value,
            "version": engine_version,
            "run_id": run_id,
            "proposed": _PROPOSED,
            "now": local_now(),
            "tol": SCORE_TOLERANCE,
        },
    )


class _Store:
    """Applies the storage rules to batches of (youth id, match) pairs of one run."""

    def __init__(self, session: Session, run: JobRun | None) -> None:
        self.session = session
        self.run_id = run.id if run is not None else None
        self.counts = {"new": 0, "updated": 0, "unchanged": 0, "kept_decided": 0}
        self.engine_version = active_label(session)

    def stage(self, pairs: Iterable[tuple[int, Match]]) -> None:
        """Put ``pairs`` (one target kind) into the staging table, replacing what it held."""
        _staging_table(self.session)
        staged = _fill(self.session, staging_rows(pairs))
        if staged > ANALYZE_ABOVE and self.session.get_bind().dialect.name == "postgresql":
            # Row estimates for the merge's joins (a fresh temporary table has none).
            self.session.connection().exec_driver_sql(f"ANALYZE {STAGING}")

    def store(self, kind: TargetKind, pairs: Iterable[tuple[int, Match]]) -> None:
        """Stage ``pairs`` and merge them; the staging table keeps them until the next call
        (for :func:`jobs.matching.expiry.expire_unpicked`)."""
        self.session.flush()  # the ORM's pending changes first: the SQL below reads the table
        self.stage(pairs)
        for key, value in _classify(self.session, kind).items():
            self.counts[key] += value
        _merge(self.session, kind, self.run_id, self.engine_version)
