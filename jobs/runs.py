"""One run at a time: a lock that dies with its process, and a ``JobRun`` record.

Two schedulers on two hosts against one database must run the nightly job once. The lock is
PostgreSQL's session-level advisory lock (``pg_try_advisory_lock``) on a connection held for
the whole run, or on SQLite an exclusive ``flock`` on a file beside the database. Both vanish
when the process dies, so a ``running`` record found while holding the lock belongs to a run
that was killed: it is marked ``failed`` and the new run goes ahead.

Whether a day was done is decided by ``JobRun.run_date`` (the Danish calendar day), not by
the clock: a second start on the same day is recorded as ``skipped``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jobs.settings import JobSettings
from models.clock import local_date
from models.jobrun import JobRun

SessionSource = Session | sessionmaker[Session] | Callable[[], Session]

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


@contextlib.contextmanager
def session_scope(source: SessionSource) -> Iterator[Session]:
    """A session from a factory (closed afterwards) or the given session (left open)."""
    if isinstance(source, Session):
        yield source
        return
    session = source()
    try:
        yield session
    finally:
        session.close()


def take_write_lock(session: Session) -> None:
    """On SQLite, make this the transaction's first statement to hold the write lock from
    the start (like ``BEGIN IMMEDIATE``): a transaction that reads first and writes later
    fails at once with "database is locked" if another writer committed in between."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text("UPDATE job_run SET id = id WHERE 1 = 0"))


def lock_key(name: str) -> int:
    digest = hashlib.sha256(f"ungeloeftet-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def job_lock(bind: sa.Engine | sa.Connection, name: str) -> Iterator[bool]:
    """Yields True when this process holds the lock for ``name`` (never waits)."""
    engine = bind.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = bool(
                conn.scalar(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(name)})
            )
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(name)})
                    conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        with _thread_lock(f"memory:{name}") as got:
            yield got
        return
    path = Path(f"{database}.{name}.lock")
    # Threads of one process share flock ownership per open file, so guard them too.
    with _thread_lock(f"{path}") as got_thread:
        if not got_thread:
            yield False
            return
        handle: IO[Any] = path.open("a+")
        try:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()


@contextlib.contextmanager
def _thread_lock(key: str) -> Iterator[bool]:
    with _local_guard:
        lock = _local_locks.setdefault(key, threading.Lock())
    got = lock.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            lock.release()


def host_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@dataclass
class Claim:
    """The outcome of trying to start a run."""

    run_id: int | None  # the record made: the run, or the skipped start
    status: str  # "running" (go ahead), "skipped" (locked or done for the day)
    reason: str = ""


def claim_run(
    session: Session, name: str, run_date: date, now: datetime, *, once_per_day: bool, force: bool
) -> Claim:
    """Record a run as started (commits). Call while holding :func:`job_lock`."""
    take_write_lock(session)
    abandoned = session.scalars(
        select(JobRun).where(JobRun.name == name, JobRun.status == "running")
    ).all()
    for stale in abandoned:
        # We hold the lock, so its holder is gone: the process died during the run.
        stale.status = "failed"
        stale.finished_at = now
        stale.error = "abandoned: the process ended during the run"
    if once_per_day and not force:
        done = session.scalar(
            select(JobRun.id).where(
                JobRun.name == name, JobRun.run_date == run_date, JobRun.status == "succeeded"
            )
        )
        if done is not None:
            skipped = record_skipped(session, name, run_date, now, "already done for this day")
            return Claim(skipped.id, "skipped", "already done for this day")
    run = JobRun(name=name, run_date=run_date, started_at=now, status="running", host=host_name())
    session.add(run)
    session.commit()
    return Claim(run.id, "running")


def record_skipped(
    session: Session, name: str, run_date: date, now: datetime, reason: str
) -> JobRun:
    take_write_lock(session)
    skipped = JobRun(
        name=name,
        run_date=run_date,
        started_at=now,
        finished_at=now,
        status="skipped",
        host=host_name(),
        counts={"reason": reason},
    )
    session.add(skipped)
    session.commit()
    return skipped


def finish_failed(session: Session, run_id: int, now: datetime, error: BaseException) -> None:
    session.rollback()
    take_write_lock(session)
    run = session.get(JobRun, run_id)
    if run is None:  # pragma: no cover - the record is committed before the work starts
        return
    run.status = "failed"
    run.finished_at = now
    run.error = f"{type(error).__name__}: {error}"[:4000]
    session.commit()


def last_succeeded(session: Session, name: str, before_id: int | None = None) -> JobRun | None:
    query = select(JobRun).where(JobRun.name == name, JobRun.status == "succeeded")
    if before_id is not None:
        query = query.where(JobRun.id != before_id)
    return session.scalars(query.order_by(JobRun.started_at.desc()).limit(1)).first()


def run_job(
    source: SessionSource,
    name: str,
    now: datetime,
    work: Callable[[Session, JobRun], dict[str, Any]],
    *,
    run_date: date,
    once_per_day: bool = True,
    force: bool = False,
) -> JobRun:
    """Lock, record, do ``work`` in one transaction, record the outcome. Returns the record.

    ``work`` flushes; its changes and the ``succeeded`` record are committed together, so a
    run that fails or is killed leaves nothing half-stored. A failure is recorded (status
    ``failed`` with the error) and re-raised.
    """
    with session_scope(source) as session:
        with job_lock(session.get_bind(), name) as locked:
            if not locked:
                # This start's own record: the latest row may be the other run's (it can
                # commit its "running" record after this one).
                return record_skipped(session, name, run_date, now, "another run holds the lock")
            claim = claim_run(session, name, run_date, now, once_per_day=once_per_day, force=force)
            if claim.status == "skipped":
                skipped = session.get(JobRun, claim.run_id)
                assert skipped is not None
                return skipped
            take_write_lock(session)
            run = session.get(JobRun, claim.run_id)
            assert run is not None
            try:
                counts = work(session, run)
                run.status = "succeeded"
                run.counts = counts
                run.finished_at = datetime.now(now.tzinfo)
                session.commit()
            except Exception as error:
                finish_failed(session, claim.run_id, datetime.now(now.tzinfo), error)
                raise
            return run


DailyWork = Callable[[Session, JobRun, datetime, JobSettings], dict[str, Any]]


class DailyJob(Protocol):
    """What the scheduler and ``jobs run NAME`` call (jobs/schedule.py)."""

    def __call__(
        self,
        source: SessionSource,
        now: datetime,
        settings: JobSettings | None = None,
        *,
        force: bool = False,
    ) -> JobRun: ...


def daily_job(name: str, work: DailyWork) -> DailyJob:
    """The job ``name``: :func:`run_daily` of ``work``."""

    def run(
        source: SessionSource,
        now: datetime,
        settings: JobSettings | None = None,
        *,
        force: bool = False,
    ) -> JobRun:
        return run_daily(source, name, work, now, settings, force=force)

    run.__name__ = run.__qualname__ = f"run_{name}"
    run.__doc__ = f"The {name} job, once per local day (``jobs run {name}``)."
    return run


def run_daily(
    source: SessionSource,
    name: str,
    work: DailyWork,
    now: datetime,
    settings: JobSettings | None = None,
    *,
    force: bool = False,
) -> JobRun:
    """:func:`run_job` once for the local calendar day of ``now`` (models/clock.py)."""
    chosen = settings or JobSettings()
    return run_job(
        source,
        name,
        now,
        lambda session, run: work(session, run, now, chosen),
        run_date=local_date(now),
        force=force,
    )
