"""Fault figures: what the service loses, duplicates or answers with 5xx when things break.

Run: ``PYTHONPATH=. python bench/faults_bench.py [--url URL] [--keep]`` (``make bench``
runs it as ``python -m bench faults``). Needs PostgreSQL (``BENCH_DATABASE_URL``); the
population is the nightly benchmark's *small* one whatever ``--scale`` says: faults do not
need a nation, they need a queue, a night and a web app.

1. **Nightly killed and rerun**: a nightly run in another process is killed (SIGKILL) after
   it stored the suggestions, before it committed the night; the night is run again.
2. **Two schedulers**: two nightly runs for the same night start at once (own engines, as
   on two hosts); one runs, the other skips.
3. **SMTP**: the outbox drains its queue against a real SMTP server (aiosmtpd) that is down,
   answers 4xx, answers 5xx for a few mails, and is slower than the client's time-out.
4. **PostgreSQL connections killed** (``pg_terminate_backend`` on the app's backends, every
   quarter second for a few seconds) under web reads from four threads, then recovery.

Printed: requests, 5xx, mails lost, mails duplicated, suggestions duplicated. Targets: 0 lost,
0 suggestions duplicated, 0 5xx after the pool recovers. Mails are delivered at least once:
a mail the server took but answered after the client gave up (the slow case) is sent again
on the retry, so the duplicates printed there are expected and counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bench import nightly_bench
from jobs.nightly import run_nightly
from jobs.outbox import outbox_summary, send_pending
from jobs.settings import JobSettings
from models.enums import Role
from models.operations.accounts import create_user
from models.session import make_engine, make_session_factory

PASSWORD = "faults-bench-password-1"  # noqa: S105 - a throwaway database
ROOT = Path(__file__).resolve().parent.parent


# --- counting --------------------------------------------------------------------------


def _beyond_the_first(session: Session, rows: str, key: str) -> int:
    """How many of ``rows`` (a FROM clause) come after the first of their ``key``."""
    return int(
        session.scalar(
            sa.text(
                f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {rows} "  # noqa: S608 - our own constants
                f"GROUP BY {key} HAVING count(*) > 1) AS d"
            )
        )
        or 0
    )


def suggestions_duplicated(session: Session) -> int:
    """Rows beyond the first for one (young person, opening or slot)."""
    return _beyond_the_first(session, "suggestion", "youth_id, opening_id, mentor_slot_id")


def digests_duplicated(session: Session) -> int:
    """Digest mails queued more than once for one recipient, kind and night."""
    return _beyond_the_first(
        session,
        "notification WHERE kind LIKE 'digest.%'",
        "recipient_id, kind, payload->>'run_date'",
    )


def night_figures(factory: Any) -> dict[str, int]:
    with factory() as session:
        return {
            "suggestions": int(session.scalar(sa.text("SELECT count(*) FROM suggestion")) or 0),
            "suggestions_duplicated": suggestions_duplicated(session),
            "mails_queued": int(session.scalar(sa.text("SELECT count(*) FROM notification")) or 0),
            "digests_duplicated": digests_duplicated(session),
        }


# --- 1 and 2: the night ------------------------------------------------------------------


KILLED_NIGHT = """
import os, signal, sys
from datetime import datetime
from jobs import nightly
from jobs.settings import JobSettings
from models.session import make_engine, make_session_factory
nightly.checkpoint = lambda stage: stage == "queued" and os.kill(os.getpid(), signal.SIGKILL)
nightly.run_nightly(make_session_factory(make_engine(sys.argv[1])),
                    datetime.fromisoformat(sys.argv[2]), JobSettings(mail_dir=sys.argv[3]))
"""


def nightly_killed_and_rerun(url: str, factory: Any, night: datetime, mail_dir: str) -> dict:
    before = night_figures(factory)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", KILLED_NIGHT, url, night.isoformat(), mail_dir],
        env=env,
        timeout=600,
        check=False,
    )
    killed = done.returncode == -signal.SIGKILL
    after_kill = night_figures(factory)
    rerun = run_nightly(factory, night, JobSettings(mail_dir=mail_dir))
    after = night_figures(factory)
    return {
        "killed": killed,
        "stored_by_the_killed_run": after_kill["suggestions"] - before["suggestions"],
        "rerun": rerun.status,
        "new_suggestions": after["suggestions"] - before["suggestions"],
        "suggestions_duplicated": after["suggestions_duplicated"],
        "digests_duplicated": after["digests_duplicated"],
    }


def two_schedulers(url: str, factory: Any, night: datetime, mail_dir: str) -> dict:
    barrier = threading.Barrier(2)
    statuses: list[str] = []
    errors: list[str] = []

    def start() -> None:
        engine = make_engine(url)
        try:
            barrier.wait()
            job = run_nightly(make_session_factory(engine), night, JobSettings(mail_dir=mail_dir))
            statuses.append(job.status)
        except Exception as error:  # noqa: BLE001 - counted
            errors.append(repr(error))
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    after = night_figures(factory)
    return {
        "statuses": sorted(statuses),
        "errors": errors,
        "suggestions_duplicated": after["suggestions_duplicated"],
        "digests_duplicated": after["digests_duplicated"],
    }


# --- 3: SMTP -------------------------------------------------------------------------------


@dataclass
class FaultySmtp:
    """An aiosmtpd handler that answers what it is told: codes, or slowly."""

    delivered: Counter[str] = field(default_factory=Counter)
    answers: list[str] = field(default_factory=list)
    slow: int = 0
    slow_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes

        with self.lock:
            answer = self.answers.pop(0) if self.answers else None
            slow = self.slow > 0
            self.slow -= 1 if slow else 0
        if answer:
            return answer
        if slow:
            await asyncio.sleep(self.slow_seconds)  # the client has given up by now
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.delivered[message["X-Ungeloeftet-Notification"]] += 1
        return "250 OK"


def smtp_faults(factory: Any, start: datetime) -> dict:
    from aiosmtpd.controller import Controller

    with factory() as session:
        queued = {
            str(i)
            for i in session.scalars(sa.text("SELECT id FROM notification WHERE status='pending'"))
        }
    handler = FaultySmtp()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    settings = JobSettings(smtp_url=f"smtp://127.0.0.1:{port}", smtp_timeout=1.0)
    now = start
    phases: dict[str, dict[str, int]] = {}

    def run(name: str, limit: int | None = None) -> None:
        nonlocal now
        now += timedelta(hours=10)  # past any back-off (6 h cap, +50 % jitter)
        phases[name] = send_pending(factory, now, settings, limit=limit or len(queued) or 1)

    run("down")  # connection refused: everything waits for a retry
    controller.start()
    try:
        handler.answers = ["451 4.3.0 try later"] * (len(queued) * 2 // 3)
        run("4xx")
        handler.answers = ["550 5.1.1 no such mailbox"] * 3
        run("5xx", limit=10)
        handler.slow, handler.slow_seconds = 3, 2.5
        run("slow", limit=10)
        for round_ in range(8):
            run(f"drain {round_ + 1}")
            if not phases[f"drain {round_ + 1}"]["claimed"]:
                break
        time.sleep(handler.slow_seconds)  # the slow answers land
    finally:
        controller.stop()
    with factory() as session:
        rows = dict(
            session.execute(
                sa.text("SELECT id, status FROM notification WHERE id = ANY(:ids)"),
                {"ids": [int(i) for i in queued]},
            ).all()
        )
        summary = outbox_summary(session)
    dead = {str(i) for i, status in rows.items() if status == "dead"}
    delivered = set(handler.delivered)
    return {
        "queued": len(queued),
        "delivered": len(delivered & queued),
        "dead_by_5xx": len(dead),
        "still_pending": sum(1 for s in rows.values() if s in ("pending", "sending")),
        "lost": len(queued - delivered - dead),
        "duplicated": sum(n - 1 for n in handler.delivered.values() if n > 1),
        "phases": {k: v for k, v in phases.items() if v["claimed"]},
        "outbox": summary,
    }


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- 4: PostgreSQL connections killed under web load ------------------------------------


def terminate_backends(admin: sa.Engine, database: str) -> int:
    """End every connection to ``database`` but ``admin``'s own (``pg_terminate_backend``);
    how many it ended. tests/security/test_security_db_disconnect.py kills with it too."""
    with admin.connect() as conn:
        killed = conn.scalar(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": database},
        )
    return int(killed or 0)


def connections_killed(url: str, server_url: str, seconds: float = 4.0) -> dict:
    from web import create_app

    engine = make_engine(url)
    with Session(engine) as session:
        user = create_user(
            session,
            email="faults-bench@example.dk",
            password=PASSWORD,
            role=Role.CASEWORKER,
            municipality_code=101,
        )
        session.commit()
        email = user.email
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    database = sa.make_url(url).database
    phase = {"name": "before"}
    stats: dict[str, Counter[str]] = {p: Counter() for p in ("before", "killing", "after")}
    lock = threading.Lock()
    stop = threading.Event()
    kills = Counter[str]()

    clients = []
    for _ in range(4):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        clients.append(client)

    def reader(client: Any) -> None:
        paths = ["/caseworker/", "/caseworker/queue", "/caseworker/profiles/new"]
        n = 0
        while not stop.is_set():
            status = client.get(paths[n % len(paths)]).status_code
            n += 1
            with lock:
                stats[phase["name"]]["requests"] += 1
                if status >= 500:
                    stats[phase["name"]][f"{status}"] += 1

    def killer() -> None:
        while phase["name"] == "killing":
            kills["backends"] += terminate_backends(admin, database)
            kills["rounds"] += 1
            time.sleep(0.25)

    threads = [threading.Thread(target=reader, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 2)
    phase["name"] = "killing"
    kill_thread = threading.Thread(target=killer)
    kill_thread.start()
    time.sleep(seconds)
    phase["name"] = "after"
    kill_thread.join()
    time.sleep(seconds / 2)
    stop.set()
    for thread in threads:
        thread.join(60)
    app.extensions["db_engine"].dispose()
    admin.dispose()
    return {
        "kill_rounds": kills["rounds"],
        "backends_killed": kills["backends"],
        **{f"{name}_requests": counts["requests"] for name, counts in stats.items()},
        **{
            f"{name}_5xx": sum(v for k, v in counts.items() if k != "requests")
            for name, counts in stats.items()
        },
    }


# --- the run -------------------------------------------------------------------------------


def run(server_url: str | None = None, keep: bool = False) -> dict[str, Any]:
    server_url = (
        server_url
        or os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    base = nightly_bench.run("small", server_url, keep=True)  # a population and one night
    url = base["database"]
    figures: dict[str, Any] = {"population": base["population"]}
    mail_dir = "/tmp/ungeloeftet-faults-mail"  # noqa: S108 - a benchmark's scratch files
    try:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        # The night after the base's last (it ran tonight's and the next night).
        tomorrow = base["last_night"] + timedelta(days=1)
        figures["nightly_killed"] = nightly_killed_and_rerun(url, factory, tomorrow, mail_dir)
        figures["two_schedulers"] = two_schedulers(
            url, factory, tomorrow + timedelta(days=1), mail_dir
        )
        figures["smtp"] = smtp_faults(factory, tomorrow + timedelta(days=1))
        engine.dispose()
        figures["pg_killed"] = connections_killed(url, server_url)
    finally:
        if not keep:
            nightly_bench.drop_database(server_url, url)
        else:
            figures["database"] = url
    return figures


def report(figures: dict[str, Any]) -> bool:
    night = figures["nightly_killed"]
    two = figures["two_schedulers"]
    smtp = figures["smtp"]
    pg = figures["pg_killed"]
    print(f"Fault benchmark on PostgreSQL (population {figures['population']})")
    print(
        f"  nightly killed    killed={night['killed']} stored by the killed run="
        f"{night['stored_by_the_killed_run']} rerun={night['rerun']} new suggestions="
        f"{night['new_suggestions']} suggestions duplicated={night['suggestions_duplicated']} "
        f"digests duplicated={night['digests_duplicated']}"
    )
    print(
        f"  two schedulers    runs={two['statuses']} errors={len(two['errors'])} suggestions "
        f"duplicated={two['suggestions_duplicated']} digests duplicated="
        f"{two['digests_duplicated']}"
    )
    print(
        f"  SMTP down/4xx/5xx/slow  mails queued={smtp['queued']} delivered={smtp['delivered']} "
        f"dead (5xx, by design)={smtp['dead_by_5xx']} still pending={smtp['still_pending']} "
        f"lost={smtp['lost']} duplicated={smtp['duplicated']}"
    )
    if smtp["duplicated"]:
        print(
            "      (at-least-once: the slow server kept mails after the client's time-out and "
            "the retry sent them again)"
        )
    else:
        print("      (the slow server dropped the mails whose client had given up: no duplicate)")
    for name, counts in smtp["phases"].items():
        print(f"      {name:<9} {counts}")
    print(
        f"  PG connections killed  {pg['backends_killed']} backends in {pg['kill_rounds']} "
        f"rounds; requests before/while/after = {pg['before_requests']}/"
        f"{pg['killing_requests']}/{pg['after_requests']}; 5xx before/while/after = "
        f"{pg['before_5xx']}/{pg['killing_5xx']}/{pg['after_5xx']}"
    )
    requests = pg["before_requests"] + pg["killing_requests"] + pg["after_requests"]
    five_xx = pg["before_5xx"] + pg["killing_5xx"] + pg["after_5xx"]
    print(
        f"  totals            requests={requests} 5xx={five_xx} mails lost={smtp['lost']} "
        f"mails duplicated={smtp['duplicated']} suggestions duplicated="
        f"{night['suggestions_duplicated'] + two['suggestions_duplicated']}"
    )
    at_target = (
        night["killed"]
        and night["rerun"] == "succeeded"
        and night["suggestions_duplicated"] == 0
        and night["digests_duplicated"] == 0
        and sorted(two["statuses"]) == ["skipped", "succeeded"]
        and two["suggestions_duplicated"] == 0
        and two["digests_duplicated"] == 0
        and smtp["lost"] == 0
        and smtp["still_pending"] == 0
        and pg["after_5xx"] == 0
    )
    print(f"  verdict           {'at target' if at_target else 'NOT at target'}")
    return at_target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", help="ignored: always the small population")
    parser.add_argument("--url", default=None, help="PostgreSQL server URL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    return 0 if report(run(args.url, args.keep)) else 1


if __name__ == "__main__":
    sys.exit(main())
