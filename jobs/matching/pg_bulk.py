"""PostgreSQL's bulk path for the storage rules: COPY rows into a (temporary) table, and
load a (nearly) empty table without keeping its secondary indexes up to date row by row.

psycopg 3's ``Copy.write_row`` packs each tuple in C; the rows are consumed as they are
generated, so a night's ~430,000 pairs never exist as a list (:mod:`jobs.matching.store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa


def copy_rows(
    connection: sa.Connection,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``, of the PostgreSQL ``types``, e.g.
    ``int4``) into ``table`` on ``connection``; how many rows. Binary COPY: the driver packs
    numbers as they are instead of formatting them as text (a night's 390,000 pairs: 3.0 ->
    2.4 s of this process's CPU), so ``types`` must be the table's column types exactly."""
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types(list(types))
        count = 0
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@contextmanager
def indexes_built_afterwards(
    connection: sa.Connection, table: sa.Table | sa.FromClause
) -> Iterator[None]:
    """Drop ``table``'s non-unique indexes, and create them again when the block is done:
    building an index from the loaded rows (one sort) costs less than adding hundreds of
    thousands of rows to it one by one (PostgreSQL's manual, "Populating a Database").

    The unique indexes stay (``ON CONFLICT`` needs them). The drop locks the table until the
    transaction ends, so the caller does this only when the table holds few rows (the first
    night). If the block fails, the indexes are not created again here: the transaction is
    rolled back, and the drop with it (DDL is transactional in PostgreSQL).
    """
    assert isinstance(table, sa.Table)  # a mapped class's __table__
    indexes = sorted((index for index in table.indexes if not index.unique), key=_name)
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


def _name(index: sa.Index) -> str:
    return str(index.name)
