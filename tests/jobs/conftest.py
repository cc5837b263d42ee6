"""Fixtures for the jobs: a real SMTP server (aiosmtpd) and committed databases."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from jobs.settings import JobSettings
from models.enums import OrganisationKind, Role
from models.jobrun import JobRun
from models.notification import Notification
from models.operations.accounts import create_organisation, create_user
from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
from models.operations.openings import OpeningInput, post_opening
from models.operations.profiles import ProfileInput, create_profile
from models.session import make_engine, make_session_factory
from models.suggestion import Suggestion

PASSWORD = "correct-horse-battery"  # noqa: S105


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SmtpHandler:
    """Collects mails; ``answers`` queues SMTP replies to give DATA instead of 250."""

    messages: list[Message] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            if self.answers:
                return self.answers.pop(0)
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def ids(self) -> list[str]:
        return [m["X-Ungeloeftet-Notification"] for m in self.messages]


@dataclass
class SmtpServer:
    port: int
    handler: SmtpHandler
    controller: Any = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture()
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), SmtpHandler())
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def job_settings(tmp_path: Any) -> JobSettings:
    return JobSettings(base_url="https://match.example.dk", mail_dir=str(tmp_path / "mail"))


# --- a committed database with a small population ---------------------------------------


@dataclass
class Population:
    url: str
    factory: Callable[[], Session]
    ids: dict[str, Any]


def valid_cvr(head: str) -> str:
    from models.validation import CVR_WEIGHTS

    while True:
        check = -sum(int(d) * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
        if check < 10:
            return head + str(check)
        head = f"{int(head) + 1:07d}"


def populate(session: Session, today: date) -> dict[str, Any]:
    """Two caseworkers, a company with two users, a mentor; profiles, openings, a slot."""
    company = create_organisation(
        session,
        kind=OrganisationKind.COMPANY,
        name="Lager A/S",
        cvr=valid_cvr("1000000"),
        postcode="2300",
    )
    civil = create_organisation(session, kind=OrganisationKind.CIVIL_SOCIETY, name="Mentorhuset")
    cw1 = create_user(
        session, email="cw1@kk.dk", password=PASSWORD, role=Role.CASEWORKER, municipality_code=101
    )
    cw2 = create_user(
        session,
        email="cw2@kk.dk",
        password=PASSWORD,
        role=Role.CASEWORKER,
        municipality_code=101,
        locale="en",
    )
    boss = create_user(
        session, email="boss@lager.dk", password=PASSWORD, role=Role.COMPANY, organisation=company
    )
    create_user(
        session,
        email="hr@lager.dk",
        password=PASSWORD,
        role=Role.COMPANY,
        organisation=company,
        locale="en",
    )
    mentor = create_user(
        session, email="mentor@mh.dk", password=PASSWORD, role=Role.MENTOR, organisation=civil
    )
    youths = [
        create_profile(
            session,
            cw1,
            ProfileInput(
                birth_year=today.year - 20,
                postcode="2200",
                skills=["kundeservice"],
                wished_occupations=["lagerarbejder"],
                needs_mentor=True,
                interests=["fodbold"],
            ),
        ),
        create_profile(
            session,
            cw1,
            ProfileInput(
                birth_year=today.year - 22,
                postcode="2400",
                skills=["rengøring"],
                wished_occupations=["butiksassistent"],
            ),
        ),
        create_profile(
            session,
            cw2,
            ProfileInput(
                birth_year=today.year - 19,
                postcode="2300",
                skills=["madlavning"],
                wished_occupations=["køkkenassistent"],
            ),
        ),
    ]
    openings = [
        post_opening(
            session,
            boss,
            OpeningInput(
                title=title, postcode="2300", hours_min=20, start_date=today + timedelta(days=7)
            ),
        )
        for title in ("Lagermedarbejder", "Butiksassistent", "Køkkenmedhjælper")
    ]
    slot = create_mentor_slot(
        session,
        mentor,
        MentorSlotInput(title="Fodboldmentor", postcode="2200", interests=["fodbold"], capacity=2),
    )
    session.flush()
    return {
        "caseworkers": [cw1.id, cw2.id],
        "company_users": [boss.id],
        "mentor": mentor.id,
        "youths": [y.id for y in youths],
        "openings": [o.id for o in openings],
        "slot": slot.id,
    }


@pytest.fixture(scope="module")
def committed_population(database_factory: Any) -> Iterator[Population]:
    """One committed database per test module (creating one costs seconds on PostgreSQL)."""
    url = database_factory.create()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        ids = populate(session, datetime.now(UTC).date())
        session.commit()
    yield Population(url, factory, ids)
    engine.dispose()


@pytest.fixture()
def population(committed_population: Population) -> Population:
    """The module's population with no suggestions, mails or job runs yet."""
    with committed_population.factory() as session:
        for model in (Notification, Suggestion, JobRun):
            session.execute(delete(model))
        session.commit()
    return committed_population
