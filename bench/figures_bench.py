"""The figures pages at national scale: a year of figure events for 98 municipalities.

Run: ``python -m bench figures`` (PostgreSQL: ``BENCH_DATABASE_URL``, default the local server).

A fresh database gets the reference data, one local partnership per municipality, a
secretariat and an admin account, and one year of figure events at national rates (drawn from
Poisson distributions around what the national benchmark population produces per day: about
200 profiles created, 110 openings and 14 mentor slots posted, 1,500 approvals, 800 company
and 100 mentor answers, 50 placements, 150 first approvals, 50 follow-ups per day, the night's
suggestions per municipality, and the daily snapshot of active young people) — about 1.2
million rows, written with COPY. The nightly roll-up (``models.operations.figures.
roll_up_figures``, the real code) then fills ``figure_day``, and ``ANALYZE`` runs as autovacuum
would. The pages are requested in process (Flask's test client, no gunicorn; the web
benchmark's load test covers the server), each 40 times after two warm-up requests, and the
benchmark prints p50 and p95. Target (issue 16): the national figures page ≤ 300 ms p95.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from bench.nightly_bench import create_database, drop_database
from models import migrate
from models.enums import OpeningKind, Role
from models.figure_event import FigureCursor, FigureKind
from models.figures import ROLLUP_CURSOR
from models.geo import Municipality
from models.operations.accounts import create_partnership, create_user
from models.operations.figures import SUGGESTION_CURSOR, roll_up_figures
from models.reference_load import load_reference_data
from models.session import make_engine, make_session_factory

PASSWORD = "figurer-bench-2026!"
REQUESTS = 40
# National events per day (the whole country); spread over municipalities by their weight.
DAILY = {
    FigureKind.PROFILE_CREATED: 200,
    FigureKind.PROFILE_ACTIVATED: 220,
    FigureKind.OPENING_POSTED: 110,
    FigureKind.SLOT_POSTED: 14,
    FigureKind.SUGGESTION_APPROVED: 1500,
    FigureKind.COMPANY_ANSWERED: 800,
    FigureKind.MENTOR_ANSWERED: 100,
    FigureKind.MENTOR_ASSIGNED: 60,
    FigureKind.PLACED_JOB: 40,
    FigureKind.PLACED_EDUCATION: 12,
    FigureKind.FIRST_APPROVAL: 150,
    FigureKind.FOLLOW_UP: 50,
}
DETAILS = {
    FigureKind.SUGGESTION_APPROVED: ("opening", "mentor_slot"),
    FigureKind.COMPANY_ANSWERED: ("interested", "declined"),
    FigureKind.MENTOR_ANSWERED: ("accepted", "declined"),
    FigureKind.PLACED_JOB: ("job", "apprenticeship", "internship"),
    FigureKind.FOLLOW_UP: ("30:placed", "30:not_placed", "90:placed", "90:not_placed"),
}
COLUMNS = (
    "kind",
    "day",
    "at",
    "partnership_id",
    "municipality_code",
    "opening_kind",
    "detail",
    "days",
    "amount",
)


def _seed(session: Any, today: Any, rng: np.random.Generator) -> int:
    """A year of events through COPY; returns how many rows."""
    codes = [m.code for m in session.query(Municipality).order_by(Municipality.code)]
    partnership = {}
    for code in codes:
        partnership[code] = create_partnership(session, f"Partnerskab {code}", [code]).id
    session.commit()
    weight = rng.dirichlet(np.full(len(codes), 2.0))
    kinds = [k.value for k in OpeningKind]
    buffer = io.StringIO()
    rows = 0
    for offset in range(365, 0, -1):
        day = today - timedelta(days=offset)
        at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat()
        for kind, rate in DAILY.items():
            counts = rng.poisson(rate * weight)
            for code, count in zip(codes, counts.tolist(), strict=True):
                for _ in range(count):
                    detail = DETAILS.get(kind)
                    cells = [
                        kind.value,
                        day.isoformat(),
                        at,
                        str(partnership[code]),
                        str(code),
                        kinds[int(rng.integers(len(kinds)))]
                        if kind is FigureKind.OPENING_POSTED
                        else "\\N",
                        detail[int(rng.integers(len(detail)))] if detail else "\\N",
                        str(int(rng.integers(1, 60)))
                        if kind is FigureKind.FIRST_APPROVAL
                        else "\\N",
                        "1",
                    ]
                    buffer.write("\t".join(cells) + "\n")
                    rows += 1
        # The night's suggestions and the snapshot of active young people, per municipality.
        for code, w in zip(codes, weight.tolist(), strict=True):
            for kind, amount in (
                (FigureKind.SUGGESTION_MADE, int(rng.poisson(430_000 * w / 30))),
                (FigureKind.YOUTH_ACTIVE, int(rng.poisson(69_000 * w))),
            ):
                cells = [kind.value, day.isoformat(), at, str(partnership[code]), str(code)]
                detail = "opening" if kind is FigureKind.SUGGESTION_MADE else "\\N"
                buffer.write("\t".join([*cells, "\\N", detail, "\\N", str(amount)]) + "\n")
                rows += 1
    buffer.seek(0)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        columns = ", ".join(COLUMNS)
        with cursor.copy(f"COPY figure_event ({columns}) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
    session.add(FigureCursor(name=SUGGESTION_CURSOR, swept_until=datetime.now(UTC)))
    session.commit()
    return rows


def _timed(client: Any, url: str) -> dict[str, float]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        clock = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - clock) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(0.95 * len(times)) - 1]}


def run(server_url: str | None = None, keep: bool = False) -> dict[str, Any]:
    server_url = server_url or os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    from web import create_app

    figures: dict[str, Any] = {}
    url = create_database(server_url)
    try:
        migrate.upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        now = datetime.now(UTC)
        today = now.date()
        with factory() as session:
            load_reference_data(session)
            for role, email in (
                (Role.SECRETARIAT, "sekretariat@bench.example.dk"),
                (Role.ADMIN, "admin@bench.example.dk"),
            ):
                create_user(session, email=email, password=PASSWORD, role=role)
            session.commit()
            clock = time.perf_counter()
            figures["events"] = _seed(session, today, np.random.default_rng(0))
            figures["seed_s"] = time.perf_counter() - clock
            clock = time.perf_counter()
            figures["days_rolled_up"] = roll_up_figures(session, now)
            session.commit()
            figures["roll_up_s"] = time.perf_counter() - clock
            assert session.get(FigureCursor, ROLLUP_CURSOR) is not None
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE figure_event")
            conn.exec_driver_sql("ANALYZE figure_day")
        engine.dispose()
        app = create_app(
            {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
        )
        year = f"start={(today - timedelta(days=365)).isoformat()}&end={today.isoformat()}"
        pages = {
            "secretariat start page (12 weeks)": ("sekretariat", "/secretariat/"),
            "national figures, a year by month": (
                "sekretariat",
                f"/figures/?scope=nation&grain=month&{year}",
            ),
            "national figures, 12 weeks by week": (
                "sekretariat",
                "/figures/?scope=nation&grain=week",
            ),
            "one municipality, a year by month": (
                "sekretariat",
                f"/figures/?scope=municipality&id=101&grain=month&{year}",
            ),
            "admin start page (12 weeks, per municipality)": ("admin", "/admin/"),
        }
        clients = {}
        for who in ("sekretariat", "admin"):
            client = app.test_client()
            response = client.post(
                "/login", data={"email": f"{who}@bench.example.dk", "password": PASSWORD}
            )
            assert response.status_code == 302, who
            clients[who] = client
        figures["pages"] = {name: _timed(clients[who], path) for name, (who, path) in pages.items()}
        app.extensions["db_engine"].dispose()
    finally:
        if not keep:
            drop_database(server_url, url)
    return figures


def report(figures: dict[str, Any]) -> bool:
    print(
        f"figures: {figures['events']:,} events over a year ({figures['seed_s']:.1f} s to write), "
        f"{figures['days_rolled_up']} days rolled up in {figures['roll_up_s']:.1f} s"
    )
    ok = True
    for name, t in figures["pages"].items():
        target = ""
        if name.startswith("national figures"):
            met = t["p95"] <= 300
            ok = ok and met
            target = f"  (target p95 <= 300 ms: {'met' if met else 'NOT met'})"
        print(f"  {name:48s} p50 {t['p50']:7.1f} ms  p95 {t['p95']:7.1f} ms{target}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="national", help="always national (a year of events)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    report(run(keep=args.keep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
