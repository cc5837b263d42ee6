"""The staging rows: PostgreSQL's COPY text (jobs.matching.store.staging_text) holds the very
values of the tuples SQLite's path stages (staging_rows), for plain pairs (the fast way, a
chunk at a time) and for any others (the general way); read back by Python here, and by the
test database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import text

import jobs.matching.store as store_module
from jobs.matching.store import STAGING, STAGING_COLUMNS, _Store, staging_rows, staging_text
from matcher import Match
from matcher.types import Reason
from models.enums import TargetKind

_SHARED = Reason(code="distance", da="3 km fra hjemmet – æøå", en="3 km from home")
_ODD = Reason(code='quote"back\\slash', da="tab\there\nnew\rline", en="50% “curly”")


def _pairs() -> list[tuple[int, Match]]:
    """Plain pairs first (two chunks of 3 with COPY_CHUNK at 3), then one chunk of each kind of
    value that sends a chunk the general way, and plain ones again."""

    def match(target: int, score: Any, km: Any = 3.14159, **kw: Any) -> Match:
        components = kw.pop("components", {"skills": 0.1234565, "distance": 1.0, "hours": 0.0})
        reasons = kw.pop("reasons", (_SHARED, Reason(code=f"r{target}", da="å", en="a")))
        return Match(target, "opening", score, components, reasons, km)

    plain = [
        match(1, 0.8377774999),
        match(2, 1.0, km=0.005),
        match(3, 2e-7, km=-0.001, reasons=()),
        match(4, 0.5, reasons=(_ODD, _SHARED)),
        match(5, 0.1234565, km=1e300),
        match(6, 0.33, components={"skills": -0.0, "distance": 1e-7, "hours": 2.0000005}),
    ]
    general = [
        match(7, 1.5),  # clamped to 1
        match(8, -0.2),  # clamped to 0
        match(9, float("nan")),  # 0
        match(10, 0.0),
        match(11, -0.0),
        match(12, np.float64(0.123456789)),
        match(13, 1),
        match(14, 0.4, km=None),
        match(15, 0.4, km=np.float32(2.675)),
        match(16, 0.4, km=float("inf")),
        match(17, 0.4, components={"distance": 1.0, "skills": 0.5, "hours": 0.0}),
        match(18, 0.4, components={"sk\\ills\t%": True}),
        match(19, 0.4, reasons=iter((_ODD,))),
    ]
    return [(100 + i, m) for i, m in enumerate(plain + general[:1] + plain[:2] + general[1:])]


def _parsed(chunks: Any) -> list[tuple[Any, ...]]:
    """COPY text back to values, as PostgreSQL reads it (floats correctly rounded)."""
    unescape = {b"\\\\": "\\", b"\\t": "\t", b"\\n": "\n", b"\\r": "\r"}

    def field(raw: bytes) -> str:
        out, i = [], 0
        while i < len(raw):
            if raw[i : i + 1] == b"\\":
                out.append(unescape[raw[i : i + 2]])
                i += 2
            else:
                j = raw.find(b"\\", i)
                j = len(raw) if j < 0 else j
                out.append(raw[i:j].decode("utf-8"))
                i = j
        return "".join(out)

    rows = []
    counted = 0
    for count, data in chunks:
        lines = data.split(b"\n")
        assert lines.pop() == b""
        assert len(lines) == count
        counted += count
        for line in lines:
            y, t, score, components, reasons, km = line.split(b"\t")
            rows.append(
                (
                    int(y),
                    int(t),
                    float(score),
                    field(components),
                    field(reasons),
                    None if km == b"\\N" else float(km),
                )
            )
    return rows


def _same(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    """Equal to the bit: repr tells 0.0 from -0.0, and NaN is NaN."""
    assert [tuple(map(repr, row)) for row in got] == [tuple(map(repr, row)) for row in expected]


def test_the_copy_text_holds_the_staging_rows_values(monkeypatch):
    monkeypatch.setattr(store_module, "COPY_CHUNK", 3)
    pairs = _pairs()
    expected = list(staging_rows(_pairs()))
    _same(_parsed(staging_text(pairs, "utf-8")), expected)
    # The fast way was taken where it can be: the first chunk's text is the plain format's.
    first = next(staging_text(_pairs(), "utf-8"))[1]
    assert first.startswith(b"100\t1\t0.837777\t{") and b"\t3.14\n" in first


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
