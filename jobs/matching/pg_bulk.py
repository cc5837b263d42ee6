"""PostgreSQL's bulk path for the storage rules: COPY into a temporary table, then one statement."""

from __future__ import annotations

import json
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


def copy_insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING.

    An order of magnitude faster than executemany for the ~10^6 rows of a national night.
    """
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


def copy_update(session: Session, updates: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the new scores into a temporary table, then one UPDATE ... FROM."""
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
        {"now": local_now(), "proposed": _PROPOSED.value},
    )
