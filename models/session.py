"""Engine and session set-up, shared by the web app, the jobs and the CLI.

Nothing here runs at import time: callers build an engine from a URL when they start.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {})
        kwargs["connect_args"].setdefault("check_same_thread", False)
        kwargs["connect_args"].setdefault("timeout", 30)
        engine = sa.create_engine(url, **kwargs)
        _make_sqlite_behave(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def _make_sqlite_behave(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over
    # (the recipe of SQLAlchemy's SQLite dialect documentation) and enforce foreign keys.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.info["sqlite_wrote"] = False
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(conn: sa.Connection, _c: Any, statement: str, *_args: Any) -> None:
        # Remembers whether this transaction holds SQLite's write lock (see hold_write_lock).
        if not statement.lstrip()[:6].upper().startswith(("SELECT", "PRAGMA", "BEGIN")):
            conn.info["sqlite_wrote"] = True


def hold_write_lock(session: Session) -> None:
    """SQLite: hold the database's write lock before reading what a write depends on.

    A SQLite transaction that has only read cannot become a writer once another writer has
    committed after its first read: SQLite answers "database is locked" at once, without
    waiting. So a transaction that has not written yet is ended (nothing is lost: it only
    read; pending ORM changes are flushed first, which makes it a writer) and a new one
    starts with a write, which waits (``busy_timeout``) for the other writer and then sees
    what it committed. PostgreSQL needs none of this (row locks, ``FOR UPDATE``).
    """
    if is_postgres(session):
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    connection = session.connection()
    if connection.in_transaction() and not connection.info.get("sqlite_wrote", True):
        session.rollback()
        connection = session.connection()
    # A write that changes nothing still takes the lock (like BEGIN IMMEDIATE).
    connection.exec_driver_sql("UPDATE job_run SET id = id WHERE 1 = 0")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_postgres(session_or_engine: Session | Engine | sa.Connection) -> bool:
    bind = (
        session_or_engine.get_bind()
        if isinstance(session_or_engine, Session)
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"
