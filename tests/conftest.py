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
from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from models import migrate
from models.enums import OrganisationKind, Role, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations import accounts
from models.operations.accounts import create_organisation, create_user
from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
from models.operations.openings import OpeningInput, post_opening
from models.operations.profiles import ProfileInput, create_profile
from models.organisation import Organisation
from models.reference_load import load_reference_data
from models.session import make_engine, normalise_url
from models.suggestion import Suggestion
from models.user import User
from models.validation import CVR_WEIGHTS
from models.youth import YouthProfile

PASSWORD = "correct-horse-battery"  # noqa: S105

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


# --- factories ---------------------------------------------------------------------------

_seq = count(1)
TODAY = date.today()


def _valid_cvr(n: int) -> str:
    head = f"{1000000 + n * 7919 % 8999999:07d}"
    while True:
        check = -sum(int(d) * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
        if check < 10:
            return head + str(check)
        head = f"{int(head) + 1:07d}"


@pytest.fixture()
def make_org(db: Session) -> Callable[..., Organisation]:
    def make(kind: OrganisationKind = OrganisationKind.COMPANY, **kw: Any) -> Organisation:
        n = next(_seq)
        kw.setdefault("name", f"Org {n}")
        if kind is OrganisationKind.COMPANY:
            kw.setdefault("cvr", _valid_cvr(n))
        kw.setdefault("postcode", "2200")
        return create_organisation(db, kind=kind, **kw)

    return make


@pytest.fixture()
def make_user(db: Session, make_org: Callable[..., Organisation]) -> Callable[..., User]:
    def make(role: Role = Role.CASEWORKER, **kw: Any) -> User:
        n = next(_seq)
        kw.setdefault("email", f"user{n}@example.dk")
        if role is Role.CASEWORKER:
            kw.setdefault("municipality_code", 101)
        if role is Role.COMPANY:
            kw.setdefault("organisation", make_org())
        if role is Role.MENTOR:
            kw.setdefault("organisation", make_org(OrganisationKind.CIVIL_SOCIETY))
        return create_user(db, password=PASSWORD, role=role, **kw)

    return make


@pytest.fixture()
def make_youth(db: Session, make_user: Callable[..., User]) -> Callable[..., YouthProfile]:
    def make(caseworker: User | None = None, **kw: Any) -> YouthProfile:
        caseworker = caseworker or make_user(Role.CASEWORKER)
        kw.setdefault("birth_year", TODAY.year - 20)
        kw.setdefault("postcode", "2200")
        kw.setdefault("skills", ["kundeservice"])
        kw.setdefault("wished_occupations", ["lagerarbejder"])
        return create_profile(db, caseworker, ProfileInput(**kw))

    return make


@pytest.fixture()
def make_opening(db: Session, make_user: Callable[..., User]) -> Callable[..., JobOpening]:
    def make(user: User | None = None, **kw: Any) -> JobOpening:
        user = user or make_user(Role.COMPANY)
        publish = kw.pop("publish", True)
        kw.setdefault("title", "Lagermedarbejder")
        kw.setdefault("postcode", "2300")
        kw.setdefault("hours_min", 20)
        kw.setdefault("start_date", TODAY + timedelta(days=7))
        return post_opening(db, user, OpeningInput(**kw), publish=publish)

    return make


@pytest.fixture()
def make_slot(db: Session, make_user: Callable[..., User]) -> Callable[..., MentorSlot]:
    def make(mentor: User | None = None, **kw: Any) -> MentorSlot:
        mentor = mentor or make_user(Role.MENTOR)
        kw.setdefault("title", "Frivillig mentor")
        kw.setdefault("postcode", "2200")
        return create_mentor_slot(db, mentor, MentorSlotInput(**kw))

    return make


@pytest.fixture()
def make_suggestion(db: Session) -> Callable[..., Suggestion]:
    def make(youth: YouthProfile, target: JobOpening | MentorSlot, **kw: Any) -> Suggestion:
        is_opening = isinstance(target, JobOpening)
        kw.setdefault("score", 0.8)
        kw.setdefault("engine_version", "test")
        kw.setdefault("status", SuggestionStatus.PROPOSED)
        kw.setdefault("reasons", [{"code": "test", "da": "Test-grund", "en": "Test reason"}])
        suggestion = Suggestion(
            youth=youth,
            target_kind=TargetKind.OPENING if is_opening else TargetKind.MENTOR_SLOT,
            opening=target if is_opening else None,
            mentor_slot=None if is_opening else target,
            **kw,
        )
        db.add(suggestion)
        db.flush()
        return suggestion

    return make
