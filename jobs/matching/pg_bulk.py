"""PostgreSQL's bulk path for the storage rules: COPY rows into a (temporary) table.

psycopg 3's ``Copy.write_row`` formats each tuple in C; the rows are consumed as they are
generated, so a night's ~430,000 pairs never exist as a list (:mod:`jobs.matching.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa


def copy_rows(
    connection: sa.Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``) into ``table`` on ``connection``;
    how many rows."""
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        count = 0
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
