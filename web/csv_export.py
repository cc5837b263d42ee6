"""The one CSV helper: downloads that a spreadsheet opens safely.

Every cell is defused (:func:`safe_cell`: a leading ``=``, ``+``, ``-``, ``@``, tab or CR is
quoted so the spreadsheet shows text instead of running a formula); the answer is never
cached. ``spreadsheet=True`` writes what Danish Excel reads without an import dialog: ``;``
between cells and a byte-order mark (so æ, ø and å arrive intact); otherwise plain RFC 4180.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    spreadsheet: bool = False,
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if spreadsheet else ",", lineterminator="\r\n")
    writer.writerow([safe_cell(x) for x in header])
    for row in rows:
        writer.writerow([safe_cell(x) for x in row])
    body = ("\ufeff" if spreadsheet else "") + buffer.getvalue()
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "no-store"
    return response
