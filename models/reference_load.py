"""Loading the shipped reference data (reference_data/, see PROVENANCE.md) into the database.

Idempotent: rows already present are left alone, missing ones are inserted in bulk.
Skills and occupation–skill relations are not stored in the database; the engine reads them
from the shipped files (see :mod:`models.reference`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.geo import Municipality, Postcode
from models.occupation import IscoGroup, Occupation

DATA_DIR = Path(__file__).with_name("reference_data")


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _insert_missing(session: Session, model: Any, key: str, rows: list[dict[str, Any]]) -> int:
    existing = set(session.scalars(select(getattr(model, key))))
    missing = [row for row in rows if row[key] not in existing]
    if missing:
        session.execute(insert(model), missing)
    return len(missing)


REFERENCE_TABLES = ("municipalities", "postcodes", "isco_groups", "occupations")


def _no_progress(_table: str) -> None:
    """The default progress callback: nothing to show."""


def load_reference_data(
    session: Session, progress: Callable[[str], None] = _no_progress
) -> dict[str, int]:
    """Insert the municipalities, postcodes, ISCO groups and occupations that are missing.

    ``progress(table)`` is called after each of ``REFERENCE_TABLES`` (the CLI's progress bar).
    """
    counts: dict[str, int] = {}
    counts["municipalities"] = _insert_missing(
        session,
        Municipality,
        "code",
        [
            {
                "code": int(r["municipality_code"]),
                "name": r["name"],
                "region": r["region_name"],
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
            }
            for r in _rows("municipalities.csv")
        ],
    )
    progress("municipalities")
    counts["postcodes"] = _insert_missing(
        session,
        Postcode,
        "code",
        [
            {
                "code": r["postcode"].zfill(4),
                "name": r["name"],
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "municipality_code": int(r["municipality_code"]),
            }
            for r in _rows("postcodes.csv")
        ],
    )
    progress("postcodes")
    # Parents before children: the ISCO hierarchy references itself.
    isco = sorted(_rows("isco_groups.csv"), key=lambda r: int(r["level"]))
    counts["isco_groups"] = _insert_missing(
        session,
        IscoGroup,
        "code",
        [
            {
                "code": r["isco_code"],
                "level": int(r["level"]),
                "parent_code": r["parent_code"] or None,
                "label_da": r["label_da"],
                "label_en": r["label_en"],
            }
            for r in isco
        ],
    )
    progress("isco_groups")
    counts["occupations"] = _insert_missing(
        session,
        Occupation,
        "uri",
        [
            {
                "uri": r["esco_uri"],
                "esco_code": r["esco_code"],
                "isco_code": r["isco_code"],
                "label_da": r["preferred_label_da"] or r["preferred_label_en"],
                "label_da_is_esco": bool(r["preferred_label_da"]),
                "alt_labels_da": r["alt_labels_da"],
                "label_en": r["preferred_label_en"],
            }
            for r in _rows("occupations.csv")
        ],
    )
    progress("occupations")
    session.flush()
    return counts
