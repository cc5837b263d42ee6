"""The staging rows: PostgreSQL's binary COPY rows (jobs.matching.store.staging_copy) hold the
very values of the tuples SQLite's path stages (staging_rows), for plain pairs (the fast way, a
chunk at a time) and for any others (the general way); read back by Python here, and by the
test database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import text

import jobs.matching.store as store_module
from jobs.matching.store import (
    COPY_COLUMNS,
    STAGING,
    STAGING_COLUMNS,
    _Store,
    copy_fields,
    staging_copy,
    staging_rows,
)
from matcher import Match
from matcher.types import Reason
from models.enums import TargetKind

_SHARED = Reason(code="distance", da="3 km fra hjemmet – æøå", en="3 km from home")
_ODD = Reason(code='quote"back\\slash', da="tab\there\nnew\rline", en="50% “curly”")


def _match(target: int, score: Any, km: Any = 3.14159, **kw: Any) -> Match:
    components = kw.pop("components", {"skills": 0.1234564, "distance": 1.0, "hours": 0.0})
    reasons = kw.pop("reasons", (_SHARED, Reason(code=f"r{target}", da="å", en="a")))
    return Match(target, "opening", score, components, reasons, km)


def _plain() -> list[Match]:
    """Matches the fast way takes (a chunk of them at once, with NumPy)."""
    return [
        _match(1, 0.8377774999),
        _match(2, 1.0, km=0.006),
        _match(3, 2e-7, km=-0.001, reasons=()),
        _match(4, 0.5, reasons=(_ODD, _SHARED)),
        _match(5, 0.25, components={"skills": 9.9999994, "distance": 1e-7, "hours": 0.0}),
        _match(6, 0.33, km=5_368_709.114),
        _match(28, 0.7, components={}),
    ]


def _general() -> list[Match]:
    """Matches that send their chunk the general way, each for a reason of its own (the two
    with other layouts of components: only among the others)."""
    return [
        _match(7, 1.5),  # clamped to 1
        _match(8, -0.2),  # clamped to 0
        _match(9, float("nan")),  # 0
        _match(10, 0.0),
        _match(11, -0.0),
        _match(12, np.float64(0.123456789)),
        _match(13, 1),
        _match(14, 0.4, km=None),
        _match(15, 0.4, km=np.float32(2.675)),
        _match(16, 0.4, km=float("inf")),
        _match(17, 0.4, components={"distance": 1.0, "skills": 0.5, "hours": 0.0}),
        _match(18, 0.4, components={"sk\\ills\t%": True}),
        _match(19, 0.4, reasons=iter((_ODD,))),
        _match(20, 0.1234565),  # a score next to a rounding tie
        _match(21, 0.4, km=1e300),
        _match(27, 0.4, km=0.005),  # a distance next to a rounding tie
        _match(22, 0.4, km=5_368_709.125),  # too many hundredths to tell a tie apart
        _match(23, 0.4, components={"skills": -0.0, "distance": 1.0, "hours": 0.0}),
        _match(24, 0.4, components={"skills": 2.0000005, "distance": 1.0, "hours": 0.0}),
        _match(25, 0.4, components={"skills": 9.9999996, "distance": 1.0, "hours": 0.0}),
        _match(26, 0.4, components={"skills": 12.5, "distance": 1.0, "hours": 0.0}),
    ]


def _pairs() -> list[tuple[int, Match]]:
    """Plain pairs first (two chunks of 3 with COPY_CHUNK at 3), then one chunk of each kind of
    value that sends a chunk the general way, and plain ones again."""
    plain, general = _plain(), _general()
    return [(100 + i, m) for i, m in enumerate(plain + general[:1] + plain[:2] + general[1:])]


def _parsed(chunks: Any, extra: int = 0) -> list[tuple[Any, ...]]:
    """Binary COPY rows back to values, as PostgreSQL reads them (PostgreSQL's manual, "COPY",
    "Binary Format"): each row's field count, then each field's length (-1: NULL) and bytes;
    integers and floats big-endian. ``extra`` fields after the staging columns are returned
    raw."""
    rows = []
    counted = 0
    for count, data in chunks:
        counted += count
        at = 0
        for _ in range(count):
            (fields,) = struct.unpack_from(">h", data, at)
            assert fields == len(COPY_COLUMNS) + extra
            at += 2
            values = []
            for _field in range(fields):
                (length,) = struct.unpack_from(">i", data, at)
                at += 4
                if length < 0:
                    values.append(None)
                    continue
                values.append(data[at : at + length])
                at += length
            # COPY_COLUMNS' order: the reasons last, after any extra fields.
            y, t, score, components, km = values[:5]
            reasons = values[-1]
            assert len(y) == len(t) == 4 and len(score) == 8
            rows.append(
                (
                    struct.unpack(">i", y)[0],
                    struct.unpack(">i", t)[0],
                    struct.unpack(">d", score)[0],
                    components.decode("utf-8"),
                    reasons.decode("utf-8"),
                    None if km is None else struct.unpack(">d", km)[0],
                    *values[5:-1],
                )
            )
        assert at == len(data)  # every byte of the chunk is its rows'
    return rows


def _same(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    """Equal to the bit: repr tells 0.0 from -0.0, and NaN is NaN."""
    assert [tuple(map(repr, row)) for row in got] == [tuple(map(repr, row)) for row in expected]


def test_the_copy_rows_hold_the_staging_rows_values(monkeypatch):
    monkeypatch.setattr(store_module, "COPY_CHUNK", 3)
    pairs = _pairs()
    expected = list(staging_rows(_pairs()))
    _same(_parsed(staging_copy(pairs, "utf-8")), expected)
    # The fast way was taken where it can be: the first chunk is the plain rows'.
    first = next(staging_copy(_pairs(), "utf-8"))[1]
    assert first.startswith(struct.pack(">hiiiiid", 6, 4, 100, 4, 1, 8, 0.837777))
    assert first.endswith(struct.pack(">id", 8, -0.0) + struct.pack(">i", 2) + b"[]")


def test_plain_chunks_go_the_fast_way_and_the_others_the_general_way(monkeypatch):
    """Each pair alone in a chunk: the plain ones are made without the general way's rows,
    each of the others with them (and both hold the staging rows' values)."""
    monkeypatch.setattr(store_module, "COPY_CHUNK", 1)
    general = []
    binary_rows = store_module._binary_rows

    def observed(rows: Any, encoding: str, extra: Any) -> Any:
        general.append(True)
        return binary_rows(rows, encoding, extra)

    monkeypatch.setattr(store_module, "_binary_rows", observed)
    # Other layouts of components are plain in a chunk of their own (here: another order,
    # and a name to escape with a value True, which "%.6f" writes as 1.000000 too).
    assert [list(m.components) for m in _general()[10:12]] == [
        ["distance", "skills", "hours"],
        ["sk\\ills\t%"],
    ]
    expected_plain = [True] * len(_plain()) + [False] * len(_general())
    expected_plain[len(_plain()) + 10 : len(_plain()) + 12] = [True, True]
    for i, plain in enumerate(expected_plain):
        general.clear()
        # Made anew for each look: one match's reasons are an iterator, read once.
        got = _parsed(staging_copy([(7, [*_plain(), *_general()][i])], "utf-8"))
        assert general == ([] if plain else [True]), i
        _same(got, list(staging_rows([(7, [*_plain(), *_general()][i])])))
    # An id PostgreSQL's integer cannot hold goes the general way, which refuses it.
    general.clear()
    with pytest.raises(struct.error):
        list(staging_copy([(2**31, _plain()[0])], "utf-8"))
    assert general == [True]


def test_the_extra_fields_follow_every_row(monkeypatch):
    monkeypatch.setattr(store_module, "COPY_CHUNK", 3)
    # A day and 5 µs after PostgreSQL's epoch (2000-01-01 UTC), given in Copenhagen's time.
    now = datetime(2000, 1, 2, 0, 0, 0, 5, tzinfo=UTC).astimezone(ZoneInfo("Europe/Copenhagen"))
    extra = copy_fields(("opening", None, 7, 0.5, now), "utf-8")
    assert extra[0] == 5
    rows = _parsed(staging_copy(_pairs(), "utf-8", extra), extra=5)
    _same([row[:6] for row in rows], list(staging_rows(_pairs())))
    assert {row[6:] for row in rows} == {
        (
            b"opening",
            None,
            struct.pack(">i", 7),
            struct.pack(">d", 0.5),
            struct.pack(">q", 86_400_000_005),
        )
    }
    with pytest.raises(TypeError):
        copy_fields((object(),), "utf-8")
    with pytest.raises(TypeError):
        copy_fields((True,), "utf-8")


def test_the_staging_table_holds_the_staging_rows_values(db, monkeypatch):
    monkeypatch.setattr(store_module, "COPY_CHUNK", 3)
    expected = list(staging_rows(_pairs()))
    assert _Store(db, None).stage(TargetKind.OPENING, _pairs()) == len(expected)
    got = db.execute(
        text(f"SELECT {', '.join(STAGING_COLUMNS)} FROM {STAGING} ORDER BY youth_id")  # noqa: S608
    ).all()
    if db.get_bind().dialect.name == "postgresql":
        _same([tuple(row) for row in got], expected)
    else:  # SQLite keeps -0.0 as 0.0 (its own way: SQLite's path stages the tuples as they are)
        assert [tuple(row) for row in got] == expected
    db.rollback()


def test_pairs_prepared_beforehand_are_staged_the_same(db, monkeypatch):
    monkeypatch.setattr(store_module, "COPY_CHUNK", 3)
    store = _Store(db, None)
    read = text(f"SELECT {', '.join(STAGING_COLUMNS)} FROM {STAGING} ORDER BY youth_id")  # noqa: S608
    assert store.stage(TargetKind.OPENING, _pairs()) == len(_pairs())
    streamed = [tuple(row) for row in db.execute(read)]
    prepared = store.prepare(TargetKind.OPENING, _pairs())
    assert store.stage(TargetKind.OPENING, prepared) == len(_pairs())
    assert [tuple(map(repr, row)) for row in db.execute(read)] == [
        tuple(map(repr, row)) for row in streamed
    ]
    db.rollback()
