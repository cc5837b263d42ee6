"""PostgreSQL's bulk path for the storage rules: COPY rows into a (temporary) table, and
load a (nearly) empty table without keeping its secondary indexes up to date row by row, and
without checking its references (foreign keys) one row at a time.

The rows come as chunks in COPY's binary format (:func:`jobs.matching.store.staging_copy` makes
them a chunk of pairs at a time), so a night's ~430,000 pairs never exist as a list.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa

#: COPY's binary format: its signature, flags (none) and header extension length (none);
#: and the end of the rows (PostgreSQL's manual, "COPY", "Binary Format").
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
BINARY_TRAILER = b"\xff\xff"


def copy_rows(
    connection: sa.Connection,
    table: str,
    columns: Sequence[str],
    chunks: Iterable[tuple[int, bytes]],
) -> int:
    """COPY ``chunks`` (how many rows, and the rows in COPY's binary format, text in the
    connection's encoding) into ``table``'s ``columns`` on ``connection``; how many rows.

    Rows made in bulk by the caller, one ``write`` per chunk: psycopg's ``write_row`` took a
    Python call per row (a national night's 388,000 pairs: 0.5 s of this process's CPU). The
    server reads them meanwhile, on a core of its own; in binary it reads the integers,
    floats and timestamps as they are, without parsing text (about a third less of its
    time)."""
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    count = 0
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(BINARY_HEADER)
        for rows, data in chunks:
            copy.write(data)
            count += rows
        copy.write(BINARY_TRAILER)
    return count


@contextmanager
def indexes_built_afterwards(
    connection: sa.Connection, table: sa.Table | sa.FromClause, kept: Collection[str] = ()
) -> Iterator[None]:
    """Drop ``table``'s non-unique indexes (but those named in ``kept``: partial indexes no
    loaded row enters, which would only be scanned for), and create them again when the
    block is done: building an index from the loaded rows (one sort) costs less than adding
    hundreds of thousands of rows to it one by one (PostgreSQL's manual, "Populating a
    Database").

    The unique indexes stay (``ON CONFLICT`` needs them). The drop locks the table until the
    transaction ends, so the caller does this only when the table holds few rows (the first
    night). If the block fails, the indexes are not created again here: the transaction is
    rolled back, and the drop with it (DDL is transactional in PostgreSQL).
    """
    assert isinstance(table, sa.Table)  # a mapped class's __table__
    indexes = sorted(
        (index for index in table.indexes if not index.unique and index.name not in kept),
        key=_name,
    )
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


def may_check_references_at_once(connection: sa.Connection, table: str) -> bool:
    """Whether :func:`references_checked_at_once` may be used for ``table``:

    * this session's role may switch its own triggers off, i.e. set
      ``session_replication_role`` (a superuser, or from PostgreSQL 15 a role granted ``SET
      ON PARAMETER session_replication_role``);
    * ``table`` has no trigger but its foreign keys' own (an audit or change-capture
      trigger a database administrator added would be switched off too);
    * each of its foreign keys deletes or clears the rows that refer to a deleted row
      (``ON DELETE CASCADE`` or ``SET NULL``): such a delete must write to ``table``, so it
      waits for the lock; a ``NO ACTION`` or ``RESTRICT`` key only reads it, and would not.

    Otherwise each row is checked by its trigger."""
    if (connection.dialect.server_version_info or (0,)) >= (15,):
        privilege = "has_parameter_privilege('session_replication_role', 'SET')"
    else:
        privilege = "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    query = sa.text(
        f"SELECT {privilege}"  # noqa: S608 - one of the two fixed expressions above
        " AND NOT EXISTS (SELECT 1 FROM pg_trigger t"
        " LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint"
        " WHERE t.tgrelid = CAST(:table AS regclass)"
        " AND (NOT t.tgisinternal OR c.contype IS DISTINCT FROM 'f'))"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conrelid = CAST(:table AS regclass) AND c.contype = 'f'"
        " AND c.confdeltype NOT IN ('c', 'n'))"
    )
    return bool(connection.execute(query, {"table": table}).scalar())


@contextmanager
def references_checked_at_once(connection: sa.Connection, table: str) -> Iterator[None]:
    """Run the block without this session's row-by-row foreign-key checks of ``table``:
    the block itself must write only rows whose references exist (the storage rules' merge
    joins the young person and the target, so it checks them all in one statement).

    What the per-row checks would also guard against is a referenced row deleted by someone
    else before this transaction ends: their delete would leave this transaction's new rows
    behind, referring to nothing. So ``table`` is first locked against writes until the
    transaction ends (``SHARE ROW EXCLUSIVE``; reading it goes on): a delete of a young
    person, a target or a run must delete or clear the rows that refer to it in ``table``,
    so it waits, and then applies to what this transaction wrote, as with the triggers; one
    committed before the block is not seen by the block's join. (A first night's bulk load
    holds an even stronger lock already, to rebuild the indexes: :func:`indexes_built_afterwards`.)

    Measured at national scale (390,000 new suggestions, each referring to a young person,
    an opening and the run): the merge's insert falls from 7.2 to 2.5 s of database time.
    ``SET LOCAL``: only this transaction, and only until the block is done. If the block
    fails, the caller must roll back (to a savepoint at least), which restores the setting:
    a statement in a failed transaction could not. Use only where
    :func:`may_check_references_at_once` says so.
    """
    connection.exec_driver_sql(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    yield
    connection.exec_driver_sql("SET LOCAL session_replication_role = origin")


def _name(index: sa.Index) -> str:
    return str(index.name)
