"""The storage rules: how ranked (youth, match) pairs become suggestion rows.

* a new (youth, target) pair is stored as ``proposed`` with score, components, reasons
  ``[{code, ...params}]``, distance, engine version and the run that proposed it;
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
them. Its SELECT passes on only the pairs that are new or change a proposal (most of a
night's pairs stand as they are); the conflict clause re-checks under the row's lock what
changed since, so a decision taken while the run was going is never overwritten. Its
RETURNING counts what was inserted and what updated. The nightly run then expires, with ONE
``UPDATE``, the proposals tonight's allocation no longer picks
(:func:`jobs.matching.expiry.expire_unpicked`) against the same staging table. The pairs are
streamed into the staging table (SQLite: as tuples; PostgreSQL: as binary COPY rows, a
chunk of pairs at a time): no row dicts, no list of the night's pairs.

An installation's first night on PostgreSQL (many pairs, a nearly empty table:
:meth:`_Store.begin`) locks the table, drops its secondary indexes, and copies the pairs new
to it straight into it, as the merge would have stored them; only the pairs it holds go
through the staging table and the merge, and the expiry looks only at the suggestions stored
before (:meth:`_Store.stored_up_to`).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain, compress, islice, repeat
from json.encoder import encode_basestring as _json_string
from math import isfinite
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobs.engine_configs import active_label
from jobs.matching.pg_bulk import (
    copy_rows,
    indexes_built_afterwards,
    may_check_references_at_once,
    references_checked_at_once,
)
from matcher import Match, Reason
from matcher.encode import FloatArray, IntArray
from models.clock import local_now
from models.enums import DECIDED_STATUSES, SuggestionStatus, TargetKind
from models.jobrun import JobRun
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import DECIDED_PREDICATE as _DECIDED_PREDICATE
from models.suggestion import Suggestion, target_predicate
from models.youth import YouthProfile

#: Rows per executemany on SQLite.
INSERT_BATCH = 5_000
#: A staging table with more rows than this gets planner statistics (the nightly, not a save).
ANALYZE_ABOVE = 1_000
#: At least this many pairs into a suggestion table that holds fewer rows than
#: :data:`BULK_SHARE` of them (the first night of an installation) are a bulk load
#: (:meth:`_Store.begin`): the new pairs are copied straight into the table and its secondary
#: indexes built afterwards instead of row by row. Never on a night where most proposals
#: already exist: the table would be locked for the rest of the night's transaction, and
#: keeping the indexes up to date costs little when few rows are written.
BULK_ABOVE = 50_000
BULK_SHARE = 0.1
#: A proposal whose score moved less than this, with the same reasons, is unchanged: a tenth
#: of the whole percent a score is shown as (scores are stored rounded to 6 places).
SCORE_TOLERANCE = 1e-3
#: The staging table, one per connection (temporary; dropped at commit on PostgreSQL).
STAGING = "suggestion_load"
#: Its columns, in the order :func:`staging_rows` yields them (and :func:`staging_copy`).
STAGING_COLUMNS = ("youth_id", "target_id", "score", "components", "reasons", "distance_km")
#: The columns a new suggestion gets besides those (the same for every pair of a night).
_NEW_ROW_COLUMNS = ("target_kind", "engine_version", "run_id", "status", "created_at", "updated_at")
#: Pairs per chunk of :func:`staging_copy`: a national night's 388,000 pairs took 1.59 / 1.55
#: / 1.66 s of this process's CPU with chunks of 2,000 / 5,000 / 10,000 (as COPY text; a
#: chunk is about 3 MB).
COPY_CHUNK = 5_000

_PROPOSED = SuggestionStatus.PROPOSED.value
_TARGET_COLUMN = {TargetKind.OPENING: "opening_id", TargetKind.MENTOR_SLOT: "mentor_slot_id"}
_TARGET_TABLE = {
    TargetKind.OPENING: JobOpening.__tablename__,
    TargetKind.MENTOR_SLOT: MentorSlot.__tablename__,
}
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
    return "{" + ",".join(f"{_json_string(n).replace('%', '%%')}:%.6f" for n in names) + "}"


def _reason_json(reason: Reason) -> str:
    """One reason as the JSON object it is stored as: its code and its parameters beside it
    (``{"code":"distance","km":6.7,"max_km":15.0}``), which the service puts into words in
    each reader's language and number format when it shows them (:mod:`web.reasons`). Both
    finished texts took 590 of a suggestion row's ~940 bytes (and the Danish one had English
    decimal points); the JSON is written without spaces (the first night's COPY parses
    every byte of it)."""
    fields = {"code": reason.code, **dict(reason.params)}
    return json.dumps(fields, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def staging_rows(pairs: Iterable[tuple[int, Match]]) -> Iterator[tuple[Any, ...]]:
    """One tuple per pair, as the staging table takes it: scores clamped and rounded to 6
    places, components to 6, the distance to 2; components and reasons as JSON text.

    The engine builds each distinct reason once and shares it among the pairs it explains (a
    national night: ~8,000 reasons for 1.9 million mentions), so each is turned into JSON
    once, keyed by identity: the pairs, and so every reason, stay alive while they are
    streamed; the cache holds each reason too, so that its identity is never reused by
    another one meanwhile.
    """
    formats: dict[tuple[str, ...], str] = {}
    fragments: dict[int, tuple[Reason, str]] = {}
    for youth_id, match in pairs:
        components = match.components
        names = tuple(components)
        template = formats.get(names)
        if template is None:
            template = formats[names] = _components_format(names)
        parts = []
        for reason in match.reasons:
            known = fragments.get(id(reason))
            if known is None:
                known = fragments[id(reason)] = (reason, _reason_json(reason))
            parts.append(known[1])
        km = match.distance_km
        yield (
            youth_id,
            match.target_id,
            min(1.0, max(0.0, round(float(match.score), 6))),
            template % tuple(components.values()),
            "[" + ",".join(parts) + "]",
            None if km is None else round(float(km), 2),
        )


# COPY's binary format (PostgreSQL's manual, "COPY", "Binary Format"): per row the number
# of fields, then each field as its length and its bytes (-1: NULL). The server reads integers
# and floats as they are instead of parsing their text: a national first night's 390,000
# rows took 3.0–3.5 s of the server's time in binary against 4.2–5.1 s as text (the JSON is
# parsed either way). Text is sent in the connection's encoding, and is not escaped.
#: The order of a COPY row's fields: the reasons, the one field whose length differs from
#: pair to pair, last (after any constant fields), so that everything before them has the
#: same layout in every row of a chunk and is made for the whole chunk at once.
COPY_COLUMNS = ("youth_id", "target_id", "score", "components", "distance_km", "reasons")
#: A plain row's fields up to the components' length: the field count, then length and
#: value of the youth id (at byte 6), the target id (14) and the score (22).
_HEAD = struct.Struct(">hiiiiid")
_YOUTH_AT, _TARGET_AT, _SCORE_AT = 6, 14, 22
_LENGTH = struct.Struct(">i")
_NULL = _LENGTH.pack(-1)
#: Timestamps in binary: microseconds since PostgreSQL's epoch.
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: A value's 6 decimals: the components' digits, one integer digit then six (``%.6f``).
_DIGITS = 10 ** np.arange(6, -1, -1, dtype=np.int64)
_first, _second = itemgetter(0), itemgetter(1)
_target_id, _score, _components, _reasons, _distance = (
    attrgetter(name) for name in ("target_id", "score", "components", "reasons", "distance_km")
)


def _text_field(value: str, encoding: str) -> bytes:
    """``value`` as a binary COPY field of a text (or JSON) column."""
    data = value.encode(encoding)
    return _LENGTH.pack(len(data)) + data


def _float_field(value: float | None) -> bytes:
    """A float as a binary COPY field (float8), or NULL."""
    return _NULL if value is None else struct.pack(">id", 8, value)


def copy_fields(values: Iterable[object], encoding: str) -> tuple[int, bytes]:
    """``values`` as binary COPY fields (None as NULL; int as integer, float as double
    precision, an aware datetime as timestamp with time zone, str as text): how many, and
    their bytes."""
    fields = []
    for value in values:
        if value is None:
            fields.append(_NULL)
        elif isinstance(value, datetime):
            assert value.tzinfo is not None  # an absolute time: the column is timestamptz
            micro = (value - _PG_EPOCH) // timedelta(microseconds=1)
            fields.append(struct.pack(">iq", 8, micro))
        elif isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"no binary COPY field for {value!r}")
        elif isinstance(value, int):
            fields.append(struct.pack(">ii", 4, value))
        elif isinstance(value, float):
            fields.append(_float_field(value))
        else:
            fields.append(_text_field(value, encoding))
    return len(fields), b"".join(fields)


def _binary_rows(
    rows: Iterable[tuple[Any, ...]], encoding: str, extra: tuple[int, bytes]
) -> Iterator[bytes]:
    """:func:`staging_rows`' tuples as binary COPY rows in :data:`COPY_COLUMNS`' order, the
    ``extra`` fields before the reasons (any values: the general way)."""
    count = len(COPY_COLUMNS) + extra[0]
    for youth_id, target_id, score, components, reasons, km in rows:
        yield b"".join(
            (
                struct.pack(">hiiii", count, 4, youth_id, 4, target_id),
                _float_field(score),
                _text_field(components, encoding),
                _float_field(km),
                extra[1],
                _text_field(reasons, encoding),
            )
        )


def _plain(scores: list[Any], kms: list[Any]) -> bool:
    """Every score a float in (0, 1] and every distance a float, none NaN or infinite: no
    clamp of :func:`staging_rows` changes them."""
    return (
        set(map(type, scores)) == {float}
        and set(map(type, kms)) == {float}
        and isfinite(sum(scores))
        and isfinite(sum(kms))
        and 0.0 < min(scores)
        and max(scores) <= 1.0
    )


def _rounded(values: FloatArray, places: int) -> FloatArray | None:
    """``values`` in units of their last decimal place as ``round(value, places)`` and
    ``%.{places}f`` take them (correctly rounded from the exact binary value; whole numbers,
    a negative value's zero kept as -0.0, as ``round`` keeps it), or None if
    one lies within 10⁻⁷ of a unit of a tie (half a unit), or is too large (2²⁹ units) or
    not finite. The product's one rounding error is at most half its last place, under
    6·10⁻⁸ of a unit below 2²⁹: it cannot move any other value across a tie. (About one
    value a national night is that near a tie; its chunk goes the general way.)"""
    scaled = values * 10.0**places
    if not np.isfinite(scaled).all() or np.abs(scaled).max(initial=0.0) >= 2.0**29:
        return None
    if (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-7).any():
        return None
    return np.rint(scaled)


class _Layout:
    """The bytes every plain row of a chunk shares (:func:`staging_copy`): its fields in
    :data:`COPY_COLUMNS`' order, the components' JSON with its values' places left as
    zeros, the ``extra`` fields, and the reasons' length and opening bracket; and where the
    values that differ go."""

    def __init__(self, names: tuple[str, ...], encoding: str, extra: tuple[int, bytes]) -> None:
        json_text = b"{"
        places = []
        for i, name in enumerate(names):
            json_text += (b"," if i else b"") + (_json_string(name) + ":").encode(encoding)
            places.append(len(json_text))
            json_text += b"0.000000"
        json_text += b"}"
        self.template = b"".join(
            (
                _HEAD.pack(len(COPY_COLUMNS) + extra[0], 4, 0, 4, 0, 8, 0.0),
                _LENGTH.pack(len(json_text)),
                json_text,
                struct.pack(">id", 8, 0.0),
                extra[1],
                _LENGTH.pack(0),
                b"[",
            )
        )
        components = _HEAD.size + _LENGTH.size  # where the components' JSON begins
        self.distance = components + len(json_text)  # the distance's length, then its value
        self.reasons = len(self.template) - 5
        # Every value's integer digit and six decimals (the point between them stays).
        self.digits = np.array(
            [components + p + offset for p in places for offset in (0, 2, 3, 4, 5, 6, 7)],
            dtype=np.intp,
        )

    def rows(
        self,
        youths: IntArray,
        targets: IntArray,
        scores: FloatArray,
        values: IntArray,
        kms: FloatArray,
        reasons: list[bytes],
    ) -> bytes:
        """The chunk's rows: the shared layout filled in for every row at once (scores in
        millionths, the components' values too, distances in hundredths), then each row's
        reasons and closing bracket after it."""
        n = len(youths)
        table = np.empty((n, len(self.template)), dtype=np.uint8)
        table[:] = np.frombuffer(self.template, dtype=np.uint8)

        def put(at: int, column: np.ndarray) -> None:
            table[:, at : at + column.itemsize] = column.view(np.uint8).reshape(n, -1)

        put(_YOUTH_AT, youths.astype(">i4"))
        put(_TARGET_AT, targets.astype(">i4"))
        put(_SCORE_AT, (scores / 1e6).astype(">f8"))  # the double nearest the decimal, as parsed
        put(self.distance + 4, (kms / 100.0).astype(">f8"))
        lengths = np.fromiter(map(len, reasons), dtype=np.int64, count=n) + 2
        put(self.reasons, lengths.astype(">i4"))
        digits = (values[:, :, np.newaxis] // _DIGITS) % 10 + ord("0")
        table[:, self.digits] = digits.reshape(n, -1).astype(np.uint8)
        data = table.tobytes()
        width = len(self.template)
        records = map(
            data.__getitem__,
            map(slice, range(0, n * width, width), range(width, n * width + 1, width)),
        )
        return b"".join(chain.from_iterable(zip(records, reasons, repeat(b"]"))))


def _joined(
    separator: bytes, fragment: Callable[[int], bytes], reasons: list[Iterable[Reason]]
) -> Iterator[bytes]:
    """Per pair, its reasons' fragments joined (by identity; KeyError for one not known)."""
    return map(separator.join, map(map, repeat(fragment), map(map, repeat(id), reasons)))


def _int32s(values: Iterable[int], n: int) -> IntArray | None:
    """``n`` ids as an array, or None if one is not an integer PostgreSQL's integer holds."""
    ids = np.fromiter(values, dtype=np.int64, count=n)
    return ids if n == 0 or (ids.min() >= -(2**31) and ids.max() < 2**31) else None


def staging_copy(
    pairs: Iterable[tuple[int, Match]], encoding: str, extra: tuple[int, bytes] = (0, b"")
) -> Iterator[tuple[int, bytes]]:
    """The staging rows in COPY's binary format (PostgreSQL) and :data:`COPY_COLUMNS`' order,
    a chunk of :data:`COPY_CHUNK` pairs at a time: how many rows, and their bytes (text in
    ``encoding``, the connection's). The same values as :func:`staging_rows` gives, to the
    bit. The ``extra`` fields (how many, and their bytes: :func:`copy_fields` of more
    columns, the same for every row: :meth:`_Store._load`) come before the reasons.

    A chunk of plain pairs (one components layout; plain float scores and distances, see
    :func:`_plain`; components from 0 to 10; no value within 10⁻⁷ of a rounding tie) is made
    with NumPy, all its rows' fixed fields at once (:class:`_Layout`), the scores, distances
    and components' digits from their values in units of their last decimal place
    (:func:`_rounded`): no Python step per pair or per number. Each reason is turned into its
    (encoded) JSON once, keyed by identity and kept alive, as in :func:`staging_rows`. Any
    other chunk goes the general way (:func:`staging_rows`, then :func:`_binary_rows`).
    """
    layouts: dict[tuple[str, ...], _Layout] = {}
    fragments: dict[int, bytes] = {}
    kept: list[Reason] = []  # the reasons whose identity keys ``fragments``
    pairs = iter(pairs)
    while chunk := list(islice(pairs, COPY_CHUNK)):
        data = _plain_chunk(chunk, encoding, extra, layouts, fragments, kept)
        if data is None:
            data = b"".join(_binary_rows(staging_rows(chunk), encoding, extra))
        yield len(chunk), data


def _plain_chunk(
    chunk: list[tuple[int, Match]],
    encoding: str,
    extra: tuple[int, bytes],
    layouts: dict[tuple[str, ...], _Layout],
    fragments: dict[int, bytes],
    kept: list[Reason],
) -> bytes | None:
    """A chunk of plain pairs as binary COPY rows (:func:`staging_copy`), or None if it is
    not one."""
    n = len(chunk)
    matches = list(map(_second, chunk))
    scores = list(map(_score, matches))
    kms = list(map(_distance, matches))
    components = list(map(_components, matches))
    reasons = list(map(_reasons, matches))
    names = set(map(tuple, components))
    if (
        len(names) != 1
        or set(map(type, components)) != {dict}
        or not set(map(type, reasons)) <= {tuple, list}
        or not _plain(scores, kms)
    ):
        return None
    (layout_names,) = names
    values = np.fromiter(
        chain.from_iterable(map(dict.values, components)), dtype=np.float64
    ).reshape(n, -1)
    if values.shape[1] != len(layout_names) or np.signbit(values).any():
        return None
    youths = _int32s(map(_first, chunk), n)
    targets = _int32s(map(_target_id, matches), n)
    millionths = _rounded(np.array(scores), 6)
    hundredths = _rounded(np.array(kms), 2)
    places = _rounded(values, 6)
    if (
        youths is None
        or targets is None
        or millionths is None
        or hundredths is None
        or places is None
        or places.max(initial=0.0) >= 10**7
    ):
        return None
    # The reasons not met before (a few in every chunk), turned into JSON first: the set
    # operations run in C, without a Python step per reason.
    every = list(chain.from_iterable(reasons))
    keys = list(map(id, every))
    missing = set(keys).difference(fragments)
    if missing:
        by_key = dict(zip(keys, every, strict=True))
        for key in missing:
            fragments[key] = _reason_json(by_key[key]).encode(encoding)
            kept.append(by_key[key])
    joined = list(_joined(b",", fragments.__getitem__, reasons))
    layout = layouts.get(layout_names)
    if layout is None:
        layout = layouts[layout_names] = _Layout(layout_names, encoding, extra)
    return layout.rows(youths, targets, millionths, places.astype(np.int64), hundredths, joined)


def flatten(ranked: dict[int, list[Match]]) -> Iterator[tuple[int, Match]]:
    """(youth id, match) pairs of a ranking, streamed (zip and chain: no Python step per
    pair)."""
    youth_ids = chain.from_iterable(map(repeat, ranked, map(len, ranked.values())))
    return zip(youth_ids, chain.from_iterable(ranked.values()), strict=True)


def _staging_table(session: Session) -> None:
    """An empty staging table on this session's connection."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Temporary: not WAL-logged, private to the connection, gone at commit, rollback or a
        # killed backend (a SIGKILLed run leaves nothing behind). Components and reasons as
        # text: COPY takes them as they come, and the merge reads them as JSON once.
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (youth_id integer, target_id integer,"
            " score double precision, components text, reasons text,"
            " distance_km double precision) ON COMMIT DROP"
        )
        connection.exec_driver_sql(f"TRUNCATE {STAGING}")
    else:
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (youth_id integer, target_id integer,"
            " score float, components text, reasons text, distance_km float)"
        )
        connection.exec_driver_sql(f"DELETE FROM {STAGING}")  # noqa: S608 - a fixed name


class StagingCopy(list[tuple[int, bytes]]):
    """Staging rows made beforehand as binary COPY rows (:meth:`_Store.prepare`), their text
    in ``encoding``."""

    def __init__(self, chunks: Iterable[tuple[int, bytes]], encoding: str) -> None:
        super().__init__(chunks)
        self.encoding = encoding


def _connection_encoding(connection: sa.Connection) -> str:
    """The Python name of a PostgreSQL connection's client encoding."""
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection
    return str(raw.info.encoding)


def _fill(session: Session, pairs: Iterable[tuple[int, Match]] | StagingCopy) -> int:
    """Stream ``pairs`` (or the COPY rows made of them beforehand) into the staging table;
    how many there were."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        encoding = _connection_encoding(connection)
        if not isinstance(pairs, StagingCopy):
            chunks: Iterable[tuple[int, bytes]] = staging_copy(pairs, encoding)
        else:
            # Made by this store, on this session's connection: its text is in its encoding.
            assert pairs.encoding == encoding
            chunks = pairs
        return copy_rows(connection, STAGING, COPY_COLUMNS, chunks)
    assert not isinstance(pairs, StagingCopy)  # made on PostgreSQL only
    rows = staging_rows(pairs)
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


def _merge(
    session: Session, kind: TargetKind, run_id: int | None, engine_version: str
) -> tuple[int, int]:
    """The ONE statement of the storage rules: staged pairs in, changed proposals updated.
    How many were inserted and how many updated (RETURNING: a new row was created at this
    very moment, an updated one earlier; a pair that changes nothing returns no row)."""
    column = target_column(kind)
    postgresql = session.get_bind().dialect.name == "postgresql"
    # PostgreSQL stages the JSON as text (see _staging_table); SQLite keeps JSON as text.
    components, reasons = (
        ("CAST(l.components AS JSON)", "CAST(l.reasons AS JSON)")
        if postgresql
        else ("l.components", "l.reasons")
    )
    # A pair whose young person or target was deleted while the night ran is not stored, nor
    # anything of a run that no longer exists (the bulk path's reference check,
    # :meth:`_Store._upkeep`, relies on this).
    joins = (
        f" JOIN youth_profile y ON y.id = l.youth_id"
        f" JOIN {_TARGET_TABLE[kind]} t ON t.id = l.target_id"
    )
    if run_id is not None:
        joins += " JOIN job_run r ON r.id = :run_id"
    merge = (
        f"INSERT INTO suggestion (youth_id, target_kind, {column},"  # noqa: S608 - fixed names
        " score, components, reasons, distance_km, engine_version, run_id, status,"
        " created_at, updated_at)"
        f" SELECT l.youth_id, :kind, l.target_id, l.score, {components}, {reasons},"
        f" l.distance_km, :version, :run_id, :status, :now, :now FROM {STAGING} l{joins}"
        # Only the pairs that are new or change a proposal go on to be written: most of a
        # night's pairs stand as they are, and are neither parsed as JSON nor tried against
        # the unique index. The conflict clause below re-checks under the row's lock what
        # changed since (a decision or a save while the run was going).
        f" LEFT JOIN suggestion s ON s.youth_id = l.youth_id AND s.{column} = l.target_id"
        f" WHERE s.id IS NULL OR (s.status = :proposed AND {_changed('s', 'l')})"
        f" ON CONFLICT (youth_id, {column}) WHERE {target_predicate(column)}"
        " DO UPDATE SET score = excluded.score,"
        " components = excluded.components, reasons = excluded.reasons,"
        " distance_km = excluded.distance_km, engine_version = excluded.engine_version,"
        " updated_at = excluded.updated_at"
        f" WHERE suggestion.status = :proposed AND {_changed('suggestion', 'excluded')}"
        " RETURNING created_at = updated_at"
    )
    parameters = {
        "kind": kind.value,
        "version": engine_version,
        "run_id": run_id,
        "status": _PROPOSED,  # the new rows' (a parameter of its own: PostgreSQL types each)
        "proposed": _PROPOSED,
        "now": local_now(),
        "tol": SCORE_TOLERANCE,
    }
    if postgresql:
        # Counted where the rows are: one row back instead of one per written pair.
        statement = sa.text(
            f"WITH merged (new) AS ({merge})"  # noqa: S608 - fixed names
            " SELECT count(*) FILTER (WHERE new), count(*) FILTER (WHERE NOT new) FROM merged"
        ).bindparams(_NOW)
        new, updated = session.execute(statement, parameters).one()
        return int(new), int(updated)
    flags = session.execute(sa.text(merge).bindparams(_NOW), parameters).scalars().all()
    new = sum(1 for flag in flags if flag)
    return new, len(flags) - new


def _kept_decided(session: Session, kind: TargetKind) -> int:
    """How many staged pairs a caseworker or partner has decided on (the merge kept them)."""
    column = target_column(kind)
    decided = [status.value for status in DECIDED_STATUSES]
    return int(
        session.execute(
            sa.text(
                f"SELECT count(*) FROM {STAGING} l JOIN suggestion s"  # noqa: S608 - fixed names
                f" ON s.youth_id = l.youth_id AND s.{column} = l.target_id"
                " WHERE s.status IN :decided"
            ).bindparams(sa.bindparam("decided", expanding=True)),
            {"decided": decided},
        ).scalar_one()
    )


def _ids(connection: sa.Connection, table: str) -> IntArray:
    """Every id of ``table`` (a fixed name), as one array value: one row instead of one per
    id (a national first night's 120,000 ids: 0.05 s instead of 0.25 s)."""
    ids = connection.exec_driver_sql(
        f"SELECT coalesce(array_agg(id), '{{}}') FROM {table}"  # noqa: S608
    ).scalar_one()
    return np.array(ids, dtype=np.int64)


def _pair_keys(youths: IntArray, targets: IntArray) -> IntArray:
    """One integer per (youth id, target id) pair (ids are 32-bit: PostgreSQL's integer)."""
    return (youths << 32) | targets


def _stored_keys(connection: sa.Connection, column: str) -> IntArray:
    """The (youth, target) pairs the suggestion table holds for a target ``column``, as
    :func:`_pair_keys` makes them."""
    rows = connection.exec_driver_sql(
        f"SELECT youth_id, {column} FROM suggestion WHERE {column} IS NOT NULL"  # noqa: S608
    ).all()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return _pair_keys(pairs[:, 0], pairs[:, 1])


def _unentered(kind: TargetKind) -> set[str]:
    """The partial indexes of the suggestion table that no row a merge or load of ``kind``
    writes enters: the other kind's target index, and the decided suggestions' (a new or
    updated proposal is undecided). A bulk load keeps them: there is nothing to add, and
    building one again scans the whole table (0.16–0.18 s each on a national first night)."""
    (other,) = set(TargetKind) - {kind}
    predicates = {target_predicate(target_column(other)), _DECIDED_PREDICATE}
    table = Suggestion.__table__
    assert isinstance(table, sa.Table)  # a mapped class's table
    return {
        str(index.name)
        for index in table.indexes
        if not index.unique and str(index.dialect_options["postgresql"]["where"]) in predicates
    }


@dataclass(frozen=True)
class _Known:
    """What the suggestion table and the rows it refers to held when a bulk load locked it
    (:meth:`_Store.begin`): it stays locked against other writers until the transaction
    ends, so this stays true for the rest of the night's store."""

    youths: IntArray
    targets: dict[TargetKind, IntArray]
    run_present: bool
    #: Per kind, the (youth, target) pairs stored (:func:`_pair_keys`).
    stored: dict[TargetKind, IntArray]
    #: The highest suggestion id: the rows above it are the night's own.
    last_id: int
    #: The time the night's new rows are stored with.
    now: datetime

    @classmethod
    def read(cls, connection: sa.Connection, run_id: int | None) -> _Known:
        kinds = tuple(TargetKind)
        return cls(
            youths=_ids(connection, YouthProfile.__tablename__),
            targets={kind: _ids(connection, _TARGET_TABLE[kind]) for kind in kinds},
            run_present=run_id is None
            or connection.execute(sa.select(JobRun.id).where(JobRun.id == run_id)).first()
            is not None,
            stored={kind: _stored_keys(connection, target_column(kind)) for kind in kinds},
            last_id=int(
                connection.exec_driver_sql(
                    "SELECT coalesce(max(id), 0) FROM suggestion"
                ).scalar_one()
            ),
            now=local_now(),
        )

    def split(
        self, kind: TargetKind, pairs: Iterable[tuple[int, Match]]
    ) -> tuple[list[tuple[int, Match]], list[tuple[int, Match]]]:
        """``pairs`` of ``kind`` as: those new to the table whose young person, target and
        run exist, and the others, for the merge (a pair the table holds; one whose young
        person, target or run is gone, which the merge's joins leave out)."""
        pairs = list(pairs)
        youths = np.fromiter(map(_first, pairs), dtype=np.int64, count=len(pairs))
        targets = np.fromiter(map(_target_id, map(_second, pairs)), np.int64, len(pairs))
        new = np.isin(youths, self.youths) & np.isin(targets, self.targets[kind])
        new &= self.run_present
        new &= ~np.isin(_pair_keys(youths, targets), self.stored[kind])
        return list(compress(pairs, new)), list(compress(pairs, ~new))


@dataclass(frozen=True)
class Loaded:
    """Pairs made ready by :meth:`_Store.prepare` while the table is locked by a bulk load:
    the new ones as COPY rows for the suggestion table itself, the others for the staging
    table (:meth:`_Known.split`)."""

    new: StagingCopy
    others: list[tuple[int, Match]] | StagingCopy


#: What :meth:`_Store.prepare` makes of pairs, for :meth:`_Store.stage`.
Prepared = list[tuple[int, Match]] | StagingCopy | Loaded


class _Store:
    """Applies the storage rules to batches of (youth id, match) pairs of one run."""

    def __init__(self, session: Session, run: JobRun | None) -> None:
        self.session = session
        self.run_id = run.id if run is not None else None
        self.counts = {"new": 0, "updated": 0, "unchanged": 0, "kept_decided": 0}
        self.engine_version = active_label(session)
        #: Whether this store's merges check their references at once (:meth:`_upkeep`).
        self.references_at_once = False
        #: The upkeep a bulk load entered (:meth:`begin`), for its :meth:`merge` to finish.
        self._held: AbstractContextManager[Any] | None = None
        #: What the table held when a bulk load locked it (:meth:`begin`); from then on the
        #: pairs new to the table are copied straight into it (:meth:`_load`).
        self.known: _Known | None = None
        connection = session.connection()
        self.encoding = (
            _connection_encoding(connection) if connection.dialect.name == "postgresql" else None
        )

    def begin(self, kind: TargetKind, count: int) -> None:
        """Before the night's first ``count`` pairs are staged: if they make a bulk load
        (:meth:`_bulk`: an installation's first night), lock the table and drop its
        secondary indexes (:meth:`_upkeep`, until that kind's :meth:`merge`), and note what
        it and the rows it refers to hold (:class:`_Known`). From then on, the pairs new to
        the table are copied straight into it (:meth:`_load`), and only the others go
        through the staging table and the merge.

        PostgreSQL's bulk path ("Populating a Database"): COPY inserts rows a page at a
        time, with no staging table in between and no executor step per row. Measured on a
        national first night (390,000 new pairs): the staging COPY and the merge's
        ``INSERT … SELECT`` took 2.1–2.6 s and 4.7–5.2 s of database time, this COPY
        4.5–5.4 s; the mentors' 36,600 pairs, 1.6–1.8 s merged against 0.7 s copied (load 2–4).
        In COPY's binary format (:func:`staging_copy`), on a slower day: 4.8–6.0 s against
        6.9–7.0 s as text, the mentors' 0.70–0.80 s against 1.0 s."""
        if self.known is not None or not self._bulk(count):
            return
        self.session.flush()
        self._held = self._upkeep(True, kind)
        self.known = _Known.read(self.session.connection(), self.run_id)

    def prepare(self, kind: TargetKind, pairs: Iterable[tuple[int, Match]]) -> Prepared:
        """``pairs`` of ``kind`` made ready for :meth:`stage` without the session (the
        nightly run makes the mentors' while the openings' merge has it): on PostgreSQL
        their COPY rows (a national night's 36,000 mentor pairs: 0.12 s of this process's
        CPU), split as :class:`Loaded` once a bulk load has locked the table; on SQLite the
        pairs as a list."""
        if self.encoding is None:
            return list(pairs)
        if self.known is None:
            return StagingCopy(staging_copy(pairs, self.encoding), self.encoding)
        new, others = self.known.split(kind, pairs)
        return Loaded(
            StagingCopy(staging_copy(new, self.encoding, self._constants(kind)), self.encoding),
            StagingCopy(staging_copy(others, self.encoding), self.encoding),
        )

    def stage(self, kind: TargetKind, pairs: Iterable[tuple[int, Match]] | Prepared) -> int:
        """Put ``pairs`` of ``kind`` (or what :meth:`prepare` made of them) into the staging
        table, replacing what it held; how many there are. The ORM's pending changes are
        flushed first: the merge reads the table. Once a bulk load has locked the table
        (:meth:`begin`), the pairs new to it are copied straight into it instead
        (:meth:`_load`); the staging table gets the others."""
        self.session.flush()
        _staging_table(self.session)
        if self.known is not None and not isinstance(pairs, StagingCopy):
            pairs = self._load(kind, pairs)
        assert not isinstance(pairs, Loaded)
        return _fill(self.session, pairs)

    def _load(
        self, kind: TargetKind, pairs: Iterable[tuple[int, Match]] | Loaded
    ) -> list[tuple[int, Match]] | StagingCopy:
        """COPY the pairs new to the table straight into it (streamed as they are made into
        COPY rows, unless :meth:`prepare` made them), stored as the storage rules store a new pair
        (``proposed``, this run, this engine version, the time the load began); the others,
        to stage (:meth:`_Known.split`). Only while a bulk load holds the table
        (:meth:`begin`): a delete of a young person, target or run waits for the lock, then
        deletes or clears the rows loaded here, as it would after the merge."""
        assert self.known is not None and self.encoding is not None
        if isinstance(pairs, Loaded):
            rows: Iterable[tuple[int, bytes]] = pairs.new
            others = pairs.others
        else:
            new, others = self.known.split(kind, pairs)
            rows = staging_copy(new, self.encoding, self._constants(kind))
        # The references are checked at once as in a merge (:meth:`_upkeep`); the bulk
        # load's own upkeep does that until its merge.
        with nullcontext() if self._held is not None else self._upkeep(bulk=False):
            self.counts["new"] += copy_rows(
                self.session.connection(),
                Suggestion.__tablename__,
                (
                    "youth_id",
                    target_column(kind),
                    *COPY_COLUMNS[2:-1],
                    *_NEW_ROW_COLUMNS,
                    "reasons",
                ),
                rows,
            )
        return others

    def _constants(self, kind: TargetKind) -> tuple[int, bytes]:
        """The COPY fields of the columns every new row of ``kind`` gets (:meth:`_load`)."""
        assert self.known is not None and self.encoding is not None
        now = self.known.now
        values = (kind.value, self.engine_version, self.run_id, _PROPOSED, now, now)
        return copy_fields(values, self.encoding)

    def stored_up_to(self, kind: TargetKind) -> int | None:
        """The highest id of the suggestions stored before this store copied new pairs of
        ``kind`` straight into the table (:meth:`_load`); None if it did not
        (:func:`jobs.matching.expiry.expire_unpicked` looks only at those)."""
        return self.known.last_id if self.known is not None else None

    def merge(self, kind: TargetKind, staged: int) -> None:
        """Merge the ``staged`` pairs of ``kind`` (:meth:`stage`) and count what they did. The
        staging table keeps them until the next :meth:`stage` (for
        :func:`jobs.matching.expiry.expire_unpicked`). Only SQL: the database does the work,
        and the session is used by nothing else meanwhile, so the nightly run can rank the
        mentors while it waits (:func:`jobs.matching.nightly.run_matching`)."""
        if staged > ANALYZE_ABOVE and self.session.get_bind().dialect.name == "postgresql":
            # Row estimates for the merge's joins (a fresh temporary table has none): the
            # join columns only (the JSON text would cost 0.2 of 0.35 s at national scale).
            self.session.connection().exec_driver_sql(f"ANALYZE {STAGING} (youth_id, target_id)")
        upkeep, self._held = self._held or self._upkeep(bulk=False), None
        with upkeep:
            new, updated = _merge(self.session, kind, self.run_id, self.engine_version)
        decided = _kept_decided(self.session, kind)
        self.counts["new"] += new
        self.counts["updated"] += updated
        self.counts["kept_decided"] += decided
        self.counts["unchanged"] += staged - new - updated - decided

    def _bulk(self, count: int) -> bool:
        """Whether ``count`` pairs are a bulk load: many pairs into a nearly empty table on
        PostgreSQL (an installation's first night)."""
        if count < BULK_ABOVE or self.session.get_bind().dialect.name != "postgresql":
            return False
        enough = int(count * BULK_SHARE)
        present = self.session.execute(
            sa.text("SELECT count(*) FROM (SELECT 1 FROM suggestion LIMIT :n) AS s"),
            {"n": enough},
        ).scalar_one()
        return bool(present < enough)

    def _upkeep(self, bulk: bool, kind: TargetKind | None = None) -> AbstractContextManager[Any]:
        """How the table is kept while pairs are loaded or merged: indexes and references row
        by row, or, for a ``bulk`` load of ``kind`` (:meth:`begin`), the secondary indexes it
        enters built afterwards and the references checked at once (when the role may;
        :func:`jobs.matching.pg_bulk.references_checked_at_once`). Once a bulk load has
        locked the table for the rest of the transaction, the later loads and merges of this
        store (the first night's mentors) check their references at once too: that lock is
        what the per-row checks would otherwise be needed for."""
        if not bulk and not self.references_at_once:
            return nullcontext()
        connection = self.session.connection()
        stack = ExitStack()
        if bulk:
            assert kind is not None
            stack.enter_context(
                indexes_built_afterwards(connection, Suggestion.__table__, _unentered(kind))
            )
            self.references_at_once = may_check_references_at_once(connection, "suggestion")
        if self.references_at_once:
            stack.enter_context(references_checked_at_once(connection, "suggestion"))
        return stack

    def store(self, kind: TargetKind, pairs: Iterable[tuple[int, Match]] | Prepared) -> None:
        """Stage ``pairs`` of ``kind`` and merge them (a list of them may be a bulk load:
        :meth:`begin`)."""
        if isinstance(pairs, list):
            self.begin(kind, len(pairs))
        self.merge(kind, self.stage(kind, pairs))
