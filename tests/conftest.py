"""Shared fixtures.

Databases: SQLite by default; PostgreSQL when ``TEST_DATABASE_URL`` points at a server (a
fresh database is created for the run and dropped after it). The schema is built with the
real migrations once per run; every test runs in a transaction that is rolled back
(SQLAlchemy 2.0 "join into an external transaction" with savepoints), so views may commit.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from models import migrate
from models.operations import accounts
from models.reference_load import load_reference_data
from models.session import make_engine, normalise_url
from models.user import User
from tests import factories
from tests.factories import PASSWORD, TODAY

__all__ = ["PASSWORD", "TODAY"]  # what test modules import from here

# Hashing cost is irrelevant to what the tests check; keep argon2 but make it cheap.
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# --- databases ---------------------------------------------------------------------------


class DatabaseFactory:
    """Creates fresh, migrated databases with reference data, and drops them at the end."""

    def __init__(self, base_dir: Any) -> None:
        self.server_url = os.environ.get("TEST_DATABASE_URL", "")
        self.base_dir = base_dir
        self.created: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return self.server_url.startswith("postgres")

    def create(self, *, reference: bool = True) -> str:
        name = f"ungeloeftet_test_{uuid.uuid4().hex[:12]}"
        if self.is_postgres:
            admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            admin.dispose()
            url = sa.make_url(normalise_url(self.server_url)).set(database=name)
            url_text = url.render_as_string(hide_password=False)
        else:
            url_text = f"sqlite:///{self.base_dir / (name + '.db')}"
        self.created.append(url_text)
        migrate.upgrade(url_text)
        if reference:
            engine = make_engine(url_text)
            with Session(engine) as session:
                load_reference_data(session)
                session.commit()
            engine.dispose()
        return url_text

    def drop_all(self) -> None:
        if not self.is_postgres:
            return
        admin = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for url_text in self.created:
                name = sa.make_url(url_text).database
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("db"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def database_url(database_factory: DatabaseFactory) -> str:
    return database_factory.create()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


def _session_on(connection: sa.Connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture()
def db(connection: sa.Connection) -> Iterator[Session]:
    session = _session_on(connection)
    yield session
    session.close()


# --- the app -----------------------------------------------------------------------------


@pytest.fixture()
def app(connection: sa.Connection, database_url: str, tmp_path: Any):  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "DB_SESSION_FACTORY": lambda: _session_on(connection),
            "WTF_CSRF_ENABLED": False,
            "MAIL_DIR": str(tmp_path / "mail"),
            "INSTANCE_DIR": str(tmp_path),
        }
    )
    return app


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture()
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture()
def login_as(client) -> Callable[[User], User]:  # type: ignore[no-untyped-def]
    """Log a user in through the real login form."""

    def login(user: User) -> User:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.text
        return user

    return login


# --- factories (tests/factories.py on the test's session) ------------------------------


def _on_the_test_session(factory: Callable[..., Any]) -> Any:
    """``factory`` as a fixture of the same name, bound to the test's session ``db``."""

    @pytest.fixture(name=factory.__name__)
    def bound(db: Session) -> Callable[..., Any]:
        return partial(factory, db)

    return bound


make_org = _on_the_test_session(factories.make_org)
make_user = _on_the_test_session(factories.make_user)
make_youth = _on_the_test_session(factories.make_youth)
make_opening = _on_the_test_session(factories.make_opening)
make_slot = _on_the_test_session(factories.make_slot)
make_suggestion = _on_the_test_session(factories.make_suggestion)
