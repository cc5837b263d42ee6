"""The caseworker review queue and the company dashboard under load, at national scale.

Run: ``PYTHONPATH=. python bench/web_bench.py [--scale national|small] [--db URL]``

1. a PostgreSQL database with the national synthetic population and the suggestions of a
   nightly run (made by bench/nightly_bench.py, or an existing one given with ``--db``);
2. gunicorn serving the app on a free loopback port with the production settings
   (web/gunicorn_conf.py: sync workers, two per core; ``BENCH_GUNICORN`` adds options);
3. locust, headless, 50 concurrent users (half caseworkers of København on the review queue,
   half company users on their dashboard; 0.5–1.5 s think time), started two a second (each
   logs in first); the figures are reset when the last has logged in and then cover
   ``--seconds`` (bench/locustfile.py);
4. prints the request count, failures and the 50th/95th/99th percentiles per page, with the
   database, the gunicorn settings and the machine's load average before and after.

``python -m bench web`` builds the national population first (about 5 minutes); ``--db URL``
reuses one kept with ``--keep``.

Target (issue #18): both pages at most 50 ms at the 95th percentile, no errors. Locust runs on
the same two cores as gunicorn and PostgreSQL, so the figures include its cost; on a shared
machine compare runs made close in time (the load averages printed say how busy it was).
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import func, make_url, select

from models.enums import Role
from models.opening import JobOpening
from models.operations.accounts import hash_password
from models.session import make_engine, make_session_factory
from models.user import User

PASSWORD = "bench-password-2026"  # noqa: S105 - a throw-away database
TARGET_MS = 50
SPAWN_RATE = 2  # users started per second
LOGIN_ALLOWANCE = 300  # seconds the logins may take beyond the ramp before locust gives up
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bench_users(url: str) -> tuple[str, str]:
    """A København caseworker and the company user with the most openings; known password."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        caseworker = session.scalars(
            select(User).where(User.role == Role.CASEWORKER, User.municipality_code == 101)
        ).first()
        busiest = session.execute(
            select(JobOpening.organisation_id, func.count())
            .group_by(JobOpening.organisation_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        company = session.scalars(
            select(User).where(User.role == Role.COMPANY, User.organisation_id == busiest[0])
        ).first()
        for user in (caseworker, company):
            user.password_hash = hash_password(PASSWORD)
        session.commit()
        emails = (caseworker.email, company.email)
    engine.dispose()
    return emails


def _vacuum(url: str) -> None:
    """VACUUM ANALYZE: the state autovacuum brings the tables to within minutes of the
    nightly run's bulk insert (visibility map set, so the queue's count is an index-only
    scan; fresh statistics). Without it the figures describe the first minute after the
    nightly run rather than the working day."""
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def _wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not come up")


def load_test(url: str, users: int = 50, seconds: int = 60) -> dict[str, Any]:
    # Users log in as they start (argon2: about 0.3 s of CPU each), two a second; the
    # locustfile resets the figures when the last has logged in and stops ``seconds`` later,
    # so they measure the pages, not the login storm. ``-t`` is only a safety net.
    ramp = -(-users // SPAWN_RATE) + 2
    caseworker, company = _bench_users(url)
    _vacuum(url)
    database = _describe_database(url)
    load_before = os.getloadavg()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "RATELIMIT_ENABLED": "0",  # 50 users log in from one address at once
        # The pages measured read stored suggestions; the workers' engine warm-up (12 s of
        # CPU each at this scale) would only compete with the logins.
        "UNGELOEFTET_WARM_UP": "0",
        "UNGELOEFTET_INSTANCE": tempfile.mkdtemp(prefix="ungeloeftet-bench-"),
        "PYTHONPATH": str(ROOT),
    }
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(bin_dir / "gunicorn"),
            "-c",
            "python:web.gunicorn_conf",  # the production settings
            *os.environ.get("BENCH_GUNICORN", "").split(),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "web:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_until_up(base)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "stats"
            subprocess.run(  # noqa: S603
                [
                    str(bin_dir / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(SPAWN_RATE),
                    "-t",
                    f"{seconds + ramp + LOGIN_ALLOWANCE}s",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={
                    **env,
                    "BENCH_CASEWORKER": caseworker,
                    "BENCH_COMPANY": company,
                    "BENCH_PASSWORD": PASSWORD,
                    "BENCH_USERS": str(users),
                    "BENCH_SECONDS": str(seconds),
                },
                check=False,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            with (Path(f"{prefix}_stats.csv")).open(newline="") as handle:
                rows = {row["Name"]: row for row in csv.DictReader(handle)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {
        "users": users,
        "seconds": seconds,
        "rows": rows,
        "database": database,
        "server": _describe_server(),
        "load": (load_before, os.getloadavg()),
    }


def _describe_database(url: str) -> str:
    """Which database the pages read: server version, name and the suggestions in it."""
    engine = make_engine(url)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
        suggestions = conn.exec_driver_sql("SELECT count(*) FROM suggestion").scalar()
        youths = conn.exec_driver_sql("SELECT count(*) FROM youth_profile").scalar()
    engine.dispose()
    name = make_url(url).database
    return f"PostgreSQL {version}, {name}: {youths:,} profiles, {suggestions:,} suggestions"


def _describe_server() -> str:
    from web import gunicorn_conf

    conf = gunicorn_conf
    extra = os.environ.get("BENCH_GUNICORN", "")
    return (
        f"gunicorn -c python:web.gunicorn_conf: {conf.workers} {conf.worker_class} workers "
        f"x {conf.threads} thread{' ' + extra if extra else ''}"
    )


def report(figures: dict[str, Any]) -> None:
    print(
        f"Web under load: {figures['users']} concurrent users for {figures['seconds']} s, "
        "after all had started and logged in "
        "(gunicorn as in production, web/gunicorn_conf.py; PostgreSQL and locust on the same "
        "machine)"
    )
    (before, after) = figures["load"]
    print(f"  database   {figures['database']}")
    print(f"  server     {figures['server']}")
    print(
        f"  machine    {os.cpu_count()} cores; load average {before[0]:.1f} before, "
        f"{after[0]:.1f} after (1 min)"
    )
    print(
        f"  {'page':<26} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for name in ("caseworker review queue", "company dashboard"):
        row = figures["rows"].get(name)
        if row is None or not int(row["Request Count"]):
            print(f"  {name:<26} no requests measured (did every user log in?)")
            continue
        p95 = float(row["95%"])
        verdict = "  ok" if p95 <= TARGET_MS else "  OVER target"
        print(
            f"  {name:<26} {row['Request Count']:>8} {row['Failure Count']:>8} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}{verdict}"
        )


def fast_paths(url: str, repeat: int = 5) -> dict[str, float]:
    """Saving an opening or a profile: its suggestions through the fast path, in ms.

    In this process, against the same database: the first call (cold: taxonomy, fit and
    youth index, what a worker's warm-up does at start), then the median of ``repeat``
    calls on a warm engine, each after the opening or profile was changed (so the cache's
    fingerprint changed, as it does when a company saves). Nothing is committed.
    """
    from datetime import UTC, datetime

    from jobs.matching import refresh_for_opening, refresh_for_profile
    from models.enums import OpeningStatus, ProfileStatus
    from models.youth import YouthProfile

    engine = make_engine(url)
    figures: dict[str, float] = {}
    with make_session_factory(engine)() as session:
        openings = session.scalars(
            select(JobOpening).where(JobOpening.status == OpeningStatus.OPEN).limit(repeat + 1)
        ).all()
        profiles = session.scalars(
            select(YouthProfile).where(YouthProfile.status == ProfileStatus.ACTIVE).limit(repeat)
        ).all()
        now = datetime.now(UTC)
        clock = time.perf_counter()
        refresh_for_opening(session, openings[0], now)
        figures["cold_ms"] = (time.perf_counter() - clock) * 1000
        times: dict[str, list[float]] = {"opening_ms": [], "profile_ms": []}
        for opening in openings[1:]:
            opening.title = opening.title + " (ændret)"
            clock = time.perf_counter()
            refresh_for_opening(session, opening, now)
            times["opening_ms"].append((time.perf_counter() - clock) * 1000)
        for profile in profiles:
            profile.max_commute_km = profile.max_commute_km + 1
            clock = time.perf_counter()
            refresh_for_profile(session, profile, now)
            times["profile_ms"].append((time.perf_counter() - clock) * 1000)
        session.rollback()
    engine.dispose()
    figures.update({name: sorted(v)[len(v) // 2] for name, v in times.items()})
    return figures


def report_fast_paths(figures: dict[str, float]) -> None:
    print("Fast path on save (in process, this database; median of 5, each after a change):")
    print(f"  first call of a process (cold)   {figures['cold_ms']:>8.0f} ms")
    print(f"  opening saved -> its youth       {figures['opening_ms']:>8.0f} ms")
    print(f"  profile saved -> its openings    {figures['profile_ms']:>8.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--db", default=None, help="an existing populated database URL")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the database it made")
    parser.add_argument(
        "--pages-only", action="store_true", help="the pages under load, not the fast paths"
    )
    args = parser.parse_args(argv)
    url = args.db
    cleanup = None
    if url is None:
        from bench import nightly_bench

        server = os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
        figures = nightly_bench.run(args.scale, server, keep=True)
        nightly_bench.report(figures)
        print(flush=True)
        url = figures["database"]
        cleanup = (server, url)
    try:
        report(load_test(url, args.users, args.seconds))
        if not args.pages_only:
            print(flush=True)
            report_fast_paths(fast_paths(url))
    finally:
        if cleanup and args.keep:
            print(f"  database kept: {url} (again: python -m bench.web_bench --db {url})")
        if cleanup and not args.keep:
            from bench import nightly_bench

            nightly_bench.drop_database(*cleanup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
