"""The nightly loads made in bulk (jobs.matching.inputs, matcher.types' ``*_in_bulk``) give
what the row-by-row loads gave: the same objects, field types and all, and for bad rows the
same error. The row-by-row loads are written out here as they were before the bulk path."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobs.matching import inputs
from models.enums import SuggestionStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.expiry import taken_places
from models.session import is_postgres
from models.youth import YouthProfile
from tests.factories import TODAY


def row_by_row_youths(session: Session) -> list[Any]:
    n = len(inputs._YOUTH_COLUMNS)
    rows = session.execute(
        select(*inputs._YOUTH_COLUMNS, *inputs._as_text(inputs._YOUTH_LISTS))
        .where(inputs._active_youth_filter())
        .order_by(YouthProfile.id)
    )
    return [inputs.youth_from_row(row, inputs._lists(row[n:])) for row in rows]


def row_by_row_openings(session: Session) -> list[Any]:
    n = len(inputs._OPENING_SCALARS)
    rows = session.execute(
        select(*inputs._OPENING_SCALARS, *inputs._as_text(inputs._OPENING_LISTS))
        .where(inputs._live_opening_filter(TODAY))
        .order_by(JobOpening.id)
    )
    return [inputs.opening_from_row(row, inputs._lists(row[n:])) for row in rows]


def row_by_row_slots(session: Session) -> list[Any]:
    taken = taken_places(session)
    rows = session.execute(
        select(*inputs._SLOT_COLUMNS, func.coalesce(taken.c.taken, 0).label("taken"))
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(inputs._live_slot_filter(TODAY))
        .order_by(MentorSlot.id)
    )
    slots = [inputs.slot_from_row(row, row.taken) for row in rows]
    return [s for s in slots if s.capacity > 0]


LOADS: dict[str, tuple[Callable[[Session], list[Any]], Callable[[Session], list[Any]]]] = {
    "youths": (inputs.load_youths, row_by_row_youths),
    "openings": (lambda s: inputs.load_openings(s, TODAY), row_by_row_openings),
    "slots": (lambda s: inputs.load_slots(s, TODAY), row_by_row_slots),
}


def _types(value: Any) -> Any:
    if isinstance(value, tuple):
        return (tuple, tuple(type(v) for v in value))
    return type(value)


def outcome(load: Callable[[Session], list[Any]], session: Session) -> tuple[Any, ...]:
    """What a load gives: its values with every field's type, or its error."""
    try:
        made = load(session)
    except Exception as error:  # noqa: BLE001 - compared, whatever it is
        return ("error", type(error), str(error))
    typed = [
        [(f.name, getattr(m, f.name), _types(getattr(m, f.name))) for f in dataclasses.fields(m)]
        for m in made
    ]
    return ("made", typed)


def assert_as_row_by_row(session: Session, kind: str) -> tuple[Any, ...]:
    bulk, row_by_row = LOADS[kind]
    got = outcome(bulk, session)
    assert got == outcome(row_by_row, session)
    return got


@pytest.fixture()
def varied(db, make_youth, make_opening, make_slot, make_suggestion):
    """Youth, openings and slots with lists empty, shared and not, text with escapes."""
    youths = [
        make_youth(),
        make_youth(
            skills=["Kørekort B", 'citat "ja"', "back\\slash", "emoji 😀"],
            interests=["fodbold", "spejder"],
            wished_occupations=[],
            languages=["da", "en"],
            former_jobs=["opvasker"],
            preferred_kinds=["education", "small_job"],
            hours_min=5,
            hours_max=5,
            max_commute_km=200,
            driving_licence=True,
            needs_mentor=True,
            available_from=TODAY,
        ),
        make_youth(interests=["fodbold", "spejder"], languages=["da", "en"]),
    ]
    openings = [
        make_opening(),
        make_opening(
            description="",
            required_skills=["kok", "ønsker"],
            nice_skills=["kok"],
            languages=[],
            kind="education",
            seats=3,
            min_age=13,
            mentor_at_workplace=True,
            driving_licence_required=True,
            start_date=TODAY,
            expires=TODAY,
        ),
        make_opening(publish=False),
    ]
    slots = [make_slot(), make_slot(interests=["skak"], capacity=2), make_slot(capacity=1)]
    make_suggestion(youths[1], slots[2], status=SuggestionStatus.ACCEPTED)  # full now
    make_suggestion(youths[2], slots[1], status=SuggestionStatus.ACCEPTED)
    db.flush()
    return {"youths": youths, "openings": openings, "slots": slots}


@pytest.mark.parametrize("kind", ["youths", "openings", "slots"])
def test_bulk_loads_as_row_by_row(db, varied, kind):
    got = assert_as_row_by_row(db, kind)
    assert got[0] == "made" and len(got[1]) >= 2


@pytest.mark.parametrize("kind", ["youths", "openings", "slots"])
def test_the_bulk_path_makes_them(db, varied, kind, monkeypatch):
    """Ordinary rows never go row by row (on either database)."""
    for name in ("youth_from_row", "opening_from_row", "slot_from_row"):
        monkeypatch.setattr(inputs, name, None)
    bulk, _ = LOADS[kind]
    assert len(bulk(db)) >= 2


def test_equal_lists_share_a_tuple_on_postgresql(db, varied):
    by_id = {y.id: y for y in inputs.load_youths(db)}
    second, third = (by_id[y.id] for y in varied["youths"][1:])
    assert second.interests == third.interests
    assert (second.interests is third.interests) is is_postgres(db)


def _set(db: Session, model: type, row_id: int, **values: Any) -> None:
    db.execute(sa.update(model.__table__).where(model.__table__.c.id == row_id).values(**values))


@pytest.mark.parametrize(
    "value",
    [
        ["a", "", 5, None, 1.5, True, "b"],  # _texts drops the empty, str()s the rest
        ["a", "", "b"],
        [""],
        ["a", ["nested"], {"k": 1}],
        "text",  # a JSON string: its characters
        {"key": "value"},  # a JSON object: its keys
        None,  # JSON null: nothing
        [],
        5,  # not iterable: TypeError
    ],
)
@pytest.mark.parametrize("kind", ["youths", "openings", "slots"])
def test_unusual_lists_as_row_by_row(db, varied, kind, value):
    model, column = {
        "youths": (YouthProfile, "skills"),
        "openings": (JobOpening, "nice_skills"),
        "slots": (MentorSlot, "interests"),
    }[kind]
    _set(db, model, varied[kind][1].id, **{column: value})
    assert_as_row_by_row(db, kind)


def test_an_unknown_preferred_kind_is_refused_as_row_by_row(db, varied):
    _set(db, YouthProfile, varied["youths"][1].id, preferred_kinds=["job", "gig"])
    got = assert_as_row_by_row(db, "youths")
    assert got[:2] == ("error", ValueError) and "preferred_kinds ['gig']" in got[2]


def test_text_that_is_not_json_is_refused_as_row_by_row(db, varied):
    if is_postgres(db):
        pytest.skip("PostgreSQL's json type refuses it on the way in")
    db.execute(
        sa.text("UPDATE youth_profile SET interests = '[\"a\"' WHERE id = :id"),
        {"id": varied["youths"][2].id},
    )
    got = assert_as_row_by_row(db, "youths")
    assert got[0] == "error"


@contextmanager
def checks_off(db: Session, table: str, *names: str) -> Iterator[None]:
    """The table's CHECK constraints ``names`` off (PostgreSQL: dropped in the test's
    transaction, which is rolled back; SQLite: all ignored on the connection)."""
    if is_postgres(db):
        for name in names:
            db.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
        yield
        return
    db.execute(sa.text("PRAGMA ignore_check_constraints = ON"))
    try:
        yield
    finally:
        db.execute(sa.text("PRAGMA ignore_check_constraints = OFF"))


def test_an_unknown_opening_kind_is_refused_as_row_by_row(db, varied):
    """The enum column's LookupError, before any opening's own error (a later row's, here:
    the ORM processed every row before the first opening was made)."""
    with checks_off(db, "job_opening", "ck_job_opening_opening_kind", "ck_job_opening_hours_order"):
        _set(db, JobOpening, varied["openings"][0].id, hours_min=30, hours_max=20)
        db.execute(
            sa.text("UPDATE job_opening SET kind = 'gig' WHERE id = :id"),
            {"id": varied["openings"][1].id},
        )
        got = assert_as_row_by_row(db, "openings")
    assert got[:2] == ("error", LookupError) and "'gig' is not among" in got[2]


@pytest.mark.parametrize(
    ("kind", "table", "check", "values", "message"),
    [
        ("youths", "youth_profile", "hours_order", {"hours_min": 30, "hours_max": 20}, "greater"),
        ("youths", "youth_profile", "birth_year_range", {"birth_year": 1800}, "birth_year"),
        ("youths", "youth_profile", "commute_range", {"max_commute_km": -1}, "non-negative"),
        ("openings", "job_opening", "hours_max_range", {"hours_max": 90}, "outside 0..80"),
        ("openings", "job_opening", "seats_positive", {"seats": 0}, "seats must be"),
        ("openings", "job_opening", "min_age_range", {"min_age": 101}, "min_age"),
    ],
)
def test_bad_rows_are_refused_as_row_by_row(db, varied, kind, table, check, values, message):
    """What a constraint keeps out of the database, were it let in: the same error, for the
    first bad row."""
    model = {"youths": YouthProfile, "openings": JobOpening}[kind]
    with checks_off(db, table, f"ck_{table}_{check}"):
        for item in varied[kind][:2]:
            _set(db, model, item.id, **values)
        got = assert_as_row_by_row(db, kind)
    assert got[:2] == ("error", ValueError) and message in got[2]
    assert f" {varied[kind][0].id}: " in got[2]  # the first one's


def test_a_negative_slot_distance_is_refused_as_row_by_row(db, varied):
    with checks_off(db, "mentor_slot", *_slot_checks(db)):
        _set(db, MentorSlot, varied["slots"][1].id, max_distance_km=-3)
        got = assert_as_row_by_row(db, "slots")
    assert got[:2] == ("error", ValueError) and "max_distance_km" in got[2]


def _slot_checks(db: Session) -> list[str]:
    if not is_postgres(db):
        return []
    return list(
        db.scalars(
            sa.text(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'mentor_slot'::regclass "
                "AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%max_distance_km%'"
            )
        )
    )


def test_the_loads_see_what_the_session_has_not_flushed(db, varied):
    """As ``session.execute`` would, the loads flush the session first (autoflush)."""
    youth, opening, slot = varied["youths"][0], varied["openings"][0], varied["slots"][0]
    youth.hours_max, opening.seats, slot.capacity = 30, 4, 5
    assert db.dirty
    assert {y.id: y.hours_max for y in inputs.load_youths(db)}[youth.id] == 30.0
    assert {o.id: o.seats for o in inputs.load_openings(db, TODAY)}[opening.id] == 4
    assert {s.id: s.capacity for s in inputs.load_slots(db, TODAY)}[slot.id] == 5
    with db.no_autoflush:
        youth.hours_max = 20
        assert {y.id: y.hours_max for y in inputs.load_youths(db)}[youth.id] == 30.0


def test_the_collector_is_back_as_it_was(db, varied):
    import gc

    assert gc.isenabled()
    inputs.load_youths(db)
    assert gc.isenabled()
    gc.disable()
    try:
        inputs.load_openings(db, TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_column_helpers_do_what_the_row_helpers_did():
    """Where the database cannot hold a value (a NULL description), the helper itself."""
    values = ["", None, "Køkken"]
    assert inputs._texts_or_empty(values) == [v or "" for v in values]
    assert inputs._texts_or_empty([1, "x"]) is None
    assert inputs._floats([1, 2.5, True]) is None and inputs._floats([1, 2.5]) == [1.0, 2.5]
    assert inputs._floats([10**400]) is None
    assert inputs._bools([True, 0, None]) == [True, False, False]
    assert inputs._bools(["x"]) is None
    assert inputs._text_column([["a"], None, []]) == [("a",), (), ()]
    assert inputs._text_column([["a", ""]]) is None and inputs._text_column(["ab"]) is None
