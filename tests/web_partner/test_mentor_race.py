"""Racing accepts for a mentor slot: the loser hears "slot full" on both databases (finding 8).

Each racer has read (its user, its offer) before the race starts, as a web request has. On
SQLite the loser used to get "database is locked" (a stale read snapshot cannot become a
write); now the answer takes the write lock first and counts what the winner committed.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import Role, SuggestionStatus
from models.errors import Conflict
from models.operations.suggestions import answer_as_mentor
from models.session import make_engine
from models.suggestion import Suggestion
from models.user import User
from tests.factories import make_slot, make_suggestion, make_user, make_youth


@pytest.fixture()
def committed_db(database_factory):
    engine = make_engine(database_factory.create())
    yield engine
    engine.dispose()


def _world(engine, capacity: int, racers: int):
    """A mentor slot with ``capacity`` places and ``racers`` approved offers, committed."""
    with Session(engine) as session:
        mentor = make_user(session, Role.MENTOR)
        slot = make_slot(session, mentor, title="Mentor", capacity=capacity)
        caseworker = make_user(session, Role.CASEWORKER)
        offers = [
            make_suggestion(
                session,
                make_youth(session, caseworker),
                slot,
                score=0.5,
                status=SuggestionStatus.APPROVED,
            ).id
            for _ in range(racers)
        ]
        session.commit()
        return mentor.id, slot.id, offers


@pytest.mark.parametrize(
    ("capacity", "racers", "read_first"),
    [(1, 2, False), (1, 2, True), (2, 4, True)],
    ids=["last-place", "last-place-after-a-count", "two-places-after-a-count"],
)
def test_the_losers_of_a_race_hear_slot_full(committed_db, capacity, racers, read_first):
    """Only ``capacity`` accepts win; ``read_first``: each racer has also counted rows."""
    mentor_id, slot_id, offers = _world(committed_db, capacity, racers)
    barrier = threading.Barrier(racers)
    results: dict[int, str] = {}

    def accept(suggestion_id: int) -> None:
        with Session(committed_db) as session:
            suggestion = session.get(Suggestion, suggestion_id)
            user = session.get(User, mentor_id)
            if read_first:
                session.scalar(select(func.count()).select_from(Suggestion))  # a read snapshot
            barrier.wait()
            try:
                answer_as_mentor(session, user, suggestion, True)
                session.commit()
                results[suggestion_id] = "accepted"
            except Conflict as error:
                session.rollback()
                results[suggestion_id] = error.message
            except Exception as error:  # noqa: BLE001 - what the test must not see
                session.rollback()
                results[suggestion_id] = f"{type(error).__name__}: {error}"

    threads = [threading.Thread(target=accept, args=(i,)) for i in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(results.values()) == sorted(
        ["accepted"] * capacity + ["This mentor slot is full."] * (racers - capacity)
    ), results
    with Session(committed_db) as session:
        accepted = session.scalar(
            select(func.count())
            .select_from(Suggestion)
            .where(
                Suggestion.mentor_slot_id == slot_id,
                Suggestion.status == SuggestionStatus.ACCEPTED,
            )
        )
    assert accepted == capacity


def test_sqlite_connections_wait_for_a_busy_database(committed_db):
    if committed_db.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with committed_db.connect() as conn:
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() >= 5000
