"""Readers for the shipped reference data in ``models/reference_data/``.

Plain ``csv``/``gzip`` only: no SQLAlchemy, so the engine's tests and benchmark can use the
real taxonomy without a database. Each reader returns a list of dicts (one per CSV row, keys
= the CSV header, values = strings), exactly what :class:`matcher.Taxonomy` expects. The
taxonomy itself is built by :func:`jobs.taxonomy.load_taxonomy` (models do not import the
engine).
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"

Rows = list[dict[str, str]]


def _read(name: str) -> Rows:
    path = REFERENCE_DIR / name
    if name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_municipalities() -> Rows:
    return _read("municipalities.csv")


def read_postcodes() -> Rows:
    return _read("postcodes.csv")


def read_occupations() -> Rows:
    return _read("occupations.csv")


def read_isco_groups() -> Rows:
    return _read("isco_groups.csv")


def read_skills() -> Rows:
    return _read("skills.csv")


def read_occupation_skills() -> Rows:
    return _read("occupation_skills.csv.gz")


def read_star_mapping() -> Rows:
    """Jobnet (STAR) titles mapped to ESCO; licence not verified (see PROVENANCE.md §5)."""
    path = REFERENCE_DIR / "star_esco_mapping.csv"
    return _read(path.name) if path.exists() else []
