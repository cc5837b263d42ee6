"""PostgreSQL's bulk path for the storage rules: COPY into a temporary table, then one statement."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.clock import local_now
from models.enums import SuggestionStatus

_PROPOSED = SuggestionStatus.PROPOSED

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
_LOAD_TABLE = (
    "youth_id integer, target_kind varchar(20), opening_id integer, mentor_slot_id integer,"
    " score double precision, components text, reasons text, distance_km double precision,"
    " engine_version varchar(40), run_id integer, status varchar(20),"
    " created_at timestamptz, updated_at timestamptz"
)
_RESCORE_COLUMNS = ("id", "score", "components", "reasons", "distance_km", "engine_version")
_RESCORE_TABLE = (
    "id integer primary key, score double precision, components text, reasons text,"
    " distance_km double precision, engine_version varchar(40)"
)
#: How a value is written for COPY, where it is not written as it is.
_AS_TEXT: dict[str, Callable[[Any], Any]] = {
    "components": json.dumps,
    "reasons": lambda value: json.dumps(value, ensure_ascii=False),
    "target_kind": str,
    "status": str,
}


def _copy_into(
    session: Session,
    table: str,
    definition: str,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
) -> sa.Connection:
    """A fresh temporary ``table`` (dropped at commit) holding ``rows``; the connection."""
    connection = session.connection()
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {table} ({definition}) ON COMMIT DROP"
    )
    connection.exec_driver_sql(f"TRUNCATE {table}")
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection
    values = itemgetter(*columns)
    converted = [(i, _AS_TEXT[c]) for i, c in enumerate(columns) if c in _AS_TEXT]
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            cells = list(values(row))
            for index, convert in converted:
                cells[index] = convert(cells[index])
            copy.write_row(cells)
    return connection


def copy_insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING.

    An order of magnitude faster than executemany for the ~10^6 rows of a national night.
    """
    connection = _copy_into(session, "suggestion_load", _LOAD_TABLE, _COPY_COLUMNS, rows)
    columns = ", ".join(_COPY_COLUMNS)
    casts = [f"{c}::json" if c in ("components", "reasons") else c for c in _COPY_COLUMNS]
    connection.exec_driver_sql(
        f"INSERT INTO suggestion ({columns}) SELECT {', '.join(casts)} FROM suggestion_load "  # noqa: S608 - fixed column names
        "ON CONFLICT DO NOTHING"
    )


def copy_update(session: Session, updates: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the new scores into a temporary table, then one UPDATE ... FROM."""
    connection = _copy_into(
        session, "suggestion_rescore", _RESCORE_TABLE, _RESCORE_COLUMNS, updates
    )
    connection.execute(
        sa.text(
            "UPDATE suggestion SET score = r.score, components = r.components::json,"
            " reasons = r.reasons::json, distance_km = r.distance_km,"
            " engine_version = r.engine_version, updated_at = :now"
            " FROM suggestion_rescore r"
            " WHERE suggestion.id = r.id AND suggestion.status = :proposed"
        ),
        {"now": local_now(), "proposed": _PROPOSED.value},
    )
