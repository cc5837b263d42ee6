"""Database connections killed under load answer no 500 (issue 14, finding 6; PostgreSQL).

``pg_terminate_backend`` ends the app's connections between requests (the pool's pre-ping
replaces them) and in the middle of a request, after it has used its connection (a read is
run again on a fresh connection; a write answers 503 with Retry-After, nothing half-stored).
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import Session

from bench.faults_bench import terminate_backends
from models.enums import Role
from models.session import make_engine
from tests.factories import PASSWORD, make_user
from web.db import get_db


@pytest.fixture(scope="module")
def live_url(database_factory):
    if not database_factory.is_postgres:
        pytest.skip("PostgreSQL only: pg_terminate_backend")
    url = database_factory.create()
    engine = make_engine(url)
    with Session(engine) as session:
        make_user(session, Role.CASEWORKER, email="cw@example.dk")
        session.commit()
    engine.dispose()
    return url


@pytest.fixture()
def live(live_url, database_factory, tmp_path):
    from web import create_app

    url = live_url
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "WTF_CSRF_ENABLED": False,
            "MAIL_DIR": str(tmp_path / "mail"),
            "INSTANCE_DIR": str(tmp_path),
        }
    )
    admin = make_engine(database_factory.server_url, isolation_level="AUTOCOMMIT")
    database = sa.make_url(url).database
    yield app, admin, database
    admin.dispose()
    app.extensions["db_engine"].dispose()


def _kill_all(admin, database) -> int:
    killed = terminate_backends(admin, database)
    time.sleep(0.2)
    return killed


def _kill_this_requests_connection(admin, killed: list[int]) -> None:
    """The request's connection is ended by the server (after the query that finds it)."""
    pid = get_db().scalar(sa.text("SELECT pg_backend_pid()"))
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    time.sleep(0.2)
    killed.append(pid)


def _kill_during_requests(app, admin, times: list[int]) -> list[int]:
    """The n-th requests kill their own connection after their first query."""
    seen = {"n": 0}
    killed: list[int] = []

    @app.before_request
    def _kill_own_connection():  # runs before the blueprints' own checks
        seen["n"] += 1
        if seen["n"] in times and not request.path.startswith("/static"):
            _kill_this_requests_connection(admin, killed)

    return killed


def test_connections_killed_between_requests(live):
    app, admin, database = live
    client = app.test_client()
    assert (
        client.post("/login", data={"email": "cw@example.dk", "password": PASSWORD}).status_code
        == 302
    )
    for _ in range(3):
        assert client.get("/caseworker/").status_code == 200
        assert _kill_all(admin, database) >= 1
    assert client.get("/caseworker/").status_code == 200
    assert client.get("/caseworker/profiles/new").status_code == 200


def test_a_read_whose_connection_dies_is_run_again(live):
    app, admin, _database = live
    killed = _kill_during_requests(app, admin, times=[2, 4])
    client = app.test_client()
    assert (
        client.post("/login", data={"email": "cw@example.dk", "password": PASSWORD}).status_code
        == 302
    )
    statuses = [client.get("/caseworker/").status_code for _ in range(4)]
    assert len(killed) == 2
    assert statuses == [200, 200, 200, 200]


def test_a_connection_that_dies_after_the_answer_is_made(live):
    """Killed between the view's last query and the end of the request (the rollback)."""
    app, admin, _database = live
    killed = []

    @app.after_request
    def _kill_after_the_view(response):
        if request.path == "/caseworker/" and not killed:
            _kill_this_requests_connection(admin, killed)
        return response

    client = app.test_client()
    login = client.post("/login", data={"email": "cw@example.dk", "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/caseworker/").status_code == 200
    assert killed
    assert client.get("/caseworker/").status_code == 200


def test_a_write_whose_connection_dies_answers_503_not_500(live):
    app, admin, _database = live
    killed = _kill_during_requests(app, admin, times=[2])
    client = app.test_client()
    assert (
        client.post("/login", data={"email": "cw@example.dk", "password": PASSWORD}).status_code
        == 302
    )
    response = client.post(
        "/caseworker/profiles/new", data={"birth_year": "2006", "postcode": "2200"}
    )
    assert killed
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "Traceback" not in response.text
    # The next request is served on a fresh connection.
    assert client.get("/caseworker/").status_code == 200
