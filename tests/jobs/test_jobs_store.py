"""The storage rules (jobs/matching/store.py) and the nightly expiry of what the allocation no
longer picks, on the test database (SQLite, or PostgreSQL with TEST_DATABASE_URL): the same
statements and the same results on both."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

import jobs.matching.store as store_module
from jobs.matching import run_matching
from jobs.matching.expiry import expire_unpicked
from jobs.matching.pg_bulk import may_check_references_at_once, references_checked_at_once
from jobs.matching.store import SCORE_TOLERANCE, _Store
from matcher import Match
from matcher.types import Reason
from models.enums import SuggestionStatus, TargetKind
from models.jobrun import JobRun
from models.suggestion import Suggestion

NOW = datetime.now(UTC)
_COLUMNS = (
    Suggestion.id,
    Suggestion.youth_id,
    Suggestion.opening_id,
    Suggestion.mentor_slot_id,
    Suggestion.status,
    Suggestion.score,
    Suggestion.components,
    Suggestion.reasons,
    Suggestion.distance_km,
    Suggestion.engine_version,
    Suggestion.run_id,
    Suggestion.created_at,
    Suggestion.updated_at,
)


def _rows(db: Any) -> dict[int, tuple[Any, ...]]:
    """Every suggestion as stored, and on PostgreSQL its row version (xmin): a row that was
    written again, even with the same values, has a new one."""
    columns: list[Any] = list(_COLUMNS)
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy import literal_column

        columns.append(literal_column("xmin::text"))
    return {row[0]: tuple(row) for row in db.execute(select(*columns))}


def _match(target_id: int, score: float, code: str = "skills", km: float | None = 3.0) -> Match:
    return Match(
        target_id=target_id,
        target_kind="opening",
        score=score,
        components={"skills": score, "distance": 0.5},
        reasons=(
            Reason(
                code=code,
                da=f"Grund {code} – æøå",
                en=f"Reason {code}",
                params=(("what", f"{code} – æøå"), ("km", km)),
            ),
        ),
        distance_km=km,
    )


def test_a_second_night_with_nothing_changed_writes_nothing(
    db, make_youth, make_opening, make_slot
):
    for postcode in ("2200", "2400", "2300"):
        make_youth(postcode=postcode, needs_mentor=True, interests=["fodbold"])
    for title in ("Lagermedarbejder", "Butiksassistent", "Køkkenmedhjælper"):
        make_opening(title=title)
    make_slot(interests=["fodbold"], capacity=3)
    first = run_matching(db, NOW)
    assert first["new"] >= 6 and first["proposed_mentors"] >= 1
    before = _rows(db)

    again = run_matching(db, NOW)
    assert {k: again[k] for k in ("new", "updated", "expired", "superseded")} == dict.fromkeys(
        ("new", "updated", "expired", "superseded"), 0
    )
    assert again["unchanged"] == first["new"]
    db.expire_all()
    assert _rows(db) == before  # same values, same timestamps, and no new row version


def test_the_storage_rules_row_by_row(db, make_youth, make_opening, make_slot, make_suggestion):
    youth, other = make_youth(), make_youth()
    kept, moved, dropped, fresh, refused, lapsed = (make_opening() for _ in range(6))
    slot = make_slot()
    # A decision and an earlier expiry: neither is touched, whatever tonight says.
    rejected = make_suggestion(youth, refused, status=SuggestionStatus.REJECTED, score=0.1)
    expired = make_suggestion(youth, lapsed, status=SuggestionStatus.EXPIRED, score=0.2)
    approved = make_suggestion(other, kept, status=SuggestionStatus.APPROVED, score=0.3)

    store = _Store(db, None)
    store.store(
        TargetKind.OPENING,
        [(youth.id, _match(kept.id, 0.5)), (youth.id, _match(moved.id, 0.6))]
        + [(youth.id, _match(dropped.id, 0.7)), (other.id, _match(kept.id, 0.9))],
    )
    assert expire_unpicked(db, TargetKind.OPENING) == 0
    assert store.counts == {"new": 3, "updated": 0, "unchanged": 0, "kept_decided": 1}
    before = _rows(db)
    by_target = {(r[1], r[2]): r for r in before.values()}
    first = by_target[(youth.id, moved.id)]
    assert first[4] is SuggestionStatus.PROPOSED and first[5] == 0.6
    # Code and parameters (the texts are made in each reader's language when shown).
    assert first[7] == [{"code": "skills", "what": "skills – æøå", "km": 3.0}]
    assert first[6] == {"skills": 0.6, "distance": 0.5} and first[8] == 3.0

    store = _Store(db, None)
    store.store(
        TargetKind.OPENING,
        [
            (youth.id, _match(kept.id, 0.5 + 1e-8)),  # within the rounding: unchanged
            (youth.id, _match(moved.id, 0.6543214, "hours", km=None)),  # a new score
            (youth.id, _match(fresh.id, 0.4)),  # new tonight
            (youth.id, _match(refused.id, 0.95)),  # decided: kept as it is
            (youth.id, _match(lapsed.id, 0.95)),  # expired earlier: kept as it is
            (other.id, _match(kept.id, 0.2)),  # approved: kept as it is
        ],
    )
    # (youth, dropped) is not picked again: it expires.
    assert expire_unpicked(db, TargetKind.OPENING) == 1
    assert store.counts == {"new": 1, "updated": 1, "unchanged": 1, "kept_decided": 3}
    db.expire_all()
    after = _rows(db)
    by_target = {(r[1], r[2]): r for r in after.values()}
    assert after[by_target[(youth.id, kept.id)][0]] == before[by_target[(youth.id, kept.id)][0]]
    for decided in (rejected, expired, approved):
        assert after[decided.id] == before[decided.id]
    rescored = by_target[(youth.id, moved.id)]
    assert rescored[0] == first[0] and rescored[4] is SuggestionStatus.PROPOSED
    assert rescored[5] == 0.654321  # rounded to 6 places
    assert rescored[7][0]["code"] == "hours" and rescored[8] is None
    assert rescored[12] > first[12] and rescored[11] == first[11]  # updated, not re-created
    assert by_target[(youth.id, dropped.id)][4] is SuggestionStatus.EXPIRED
    assert by_target[(youth.id, fresh.id)][4] is SuggestionStatus.PROPOSED
    assert len(after) == len(before) + 1

    # The other kind has its own staging and expiry: the openings are not affected.
    store = _Store(db, None)
    slot_match = Match(slot.id, "mentor_slot", 0.5, {}, (), 1.0)
    store.store(TargetKind.MENTOR_SLOT, [(youth.id, slot_match)])
    assert expire_unpicked(db, TargetKind.MENTOR_SLOT) == 0
    assert store.counts["new"] == 1
    db.expire_all()
    mentoring = db.scalars(select(Suggestion).where(Suggestion.mentor_slot_id == slot.id)).one()
    assert mentoring.target_kind is TargetKind.MENTOR_SLOT and mentoring.opening_id is None
    assert {k: v[4] for k, v in _rows(db).items() if v[3] is None} == {
        k: v[4] for k, v in after.items()
    }


def test_a_drifting_score_is_kept_unless_the_reasons_read_differently(db, make_youth, make_opening):
    """Tonight's score differs from the stored one by less than a tenth of a shown percent:
    the proposal is unchanged (not written again) when its reasons read the same, and
    updated when they do not (a reason can come or go with a small move of a component)."""
    youth = make_youth()
    same, reworded, moved = (make_opening() for _ in range(3))
    store = _Store(db, None)
    store.store(
        TargetKind.OPENING,
        [(youth.id, _match(o.id, 0.5)) for o in (same, reworded, moved)],
    )
    before = _rows(db)
    tolerance = SCORE_TOLERANCE
    store = _Store(db, None)
    store.store(
        TargetKind.OPENING,
        [
            (youth.id, _match(same.id, 0.5 + tolerance * 0.8)),
            (youth.id, _match(reworded.id, 0.5 + tolerance * 0.8, "text_similar")),
            (youth.id, _match(moved.id, 0.5 + tolerance * 1.5)),
        ],
    )
    assert store.counts == {"new": 0, "updated": 2, "unchanged": 1, "kept_decided": 0}
    db.expire_all()
    after = {(r[1], r[2]): r for r in _rows(db).values()}
    old = {(r[1], r[2]): r for r in before.values()}
    assert after[(youth.id, same.id)] == old[(youth.id, same.id)]  # not written again
    assert after[(youth.id, reworded.id)][7][0]["code"] == "text_similar"
    assert after[(youth.id, reworded.id)][5] == round(0.5 + tolerance * 0.8, 6)
    assert after[(youth.id, moved.id)][5] == round(0.5 + tolerance * 1.5, 6)


def test_a_changed_score_is_updated_and_an_unpicked_proposal_expires(db, make_youth, make_opening):
    youth = make_youth(postcode="2200", max_commute_km=60)
    near = make_opening(postcode="2200")
    leaving = make_opening(postcode="2300", title="Butiksassistent")
    run_matching(db, NOW)
    stored = {s.opening_id: s for s in db.scalars(select(Suggestion))}
    assert set(stored) == {near.id, leaving.id}
    score = stored[near.id].score

    # The young person moves 20 km away: the opening nearby scores differently. The other
    # opening now asks for an age the young person has not reached: not picked again.
    youth.postcode = "2630"
    leaving.min_age = 25
    db.flush()
    counts = run_matching(db, NOW)
    assert (counts["new"], counts["updated"], counts["superseded"]) == (0, 1, 1)
    db.expire_all()
    assert stored[near.id].status is SuggestionStatus.PROPOSED
    assert stored[near.id].score != score and stored[near.id].distance_km > 10
    assert stored[leaving.id].status is SuggestionStatus.EXPIRED


def _index_definitions(db: Any) -> dict[str, str]:
    return dict(
        db.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'suggestion'")
        ).all()
    )


def _index_oids(db: Any) -> dict[str, int]:
    return dict(
        db.execute(
            text(
                "SELECT c.relname, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE i.indrelid = CAST('suggestion' AS regclass)"
            )
        ).all()
    )


def test_a_bulk_load_into_a_nearly_empty_table_builds_the_indexes_afterwards(
    db, monkeypatch, make_youth, make_opening
):
    """The first night's load (many pairs, a table holding few rows) builds the secondary
    indexes after the merge: the same indexes come back, with the same definitions, and the
    rows are stored and found through them. A night that adds to a full table keeps its
    indexes."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its indexes up to date row by row")
    youths = [make_youth() for _ in range(3)]
    openings = [make_opening() for _ in range(4)]
    before = _index_definitions(db)
    assert len(before) == 9  # the primary key, two unique and six other indexes
    monkeypatch.setattr(store_module, "BULK_ABOVE", 5)
    dropped: list[str] = []
    original = store_module.indexes_built_afterwards

    def watched(connection: Any, table: Any, kept: Any) -> Any:
        dropped.append(table.name)
        return original(connection, table, kept)

    monkeypatch.setattr(store_module, "indexes_built_afterwards", watched)
    oids = _index_oids(db)
    store = _Store(db, None)
    pairs = [(y.id, _match(o.id, 0.5)) for y in youths for o in openings]
    store.store(TargetKind.OPENING, pairs)
    assert dropped == ["suggestion"] and store.counts["new"] == 12
    assert _index_definitions(db) == before
    # The partial indexes no new proposal of an opening enters were kept as they were.
    kept = {name for name, oid in _index_oids(db).items() if oids[name] == oid}
    assert kept == {
        "pk_suggestion",
        "uq_suggestion_youth_opening",
        "uq_suggestion_youth_mentor_slot",
        "ix_suggestion_mentor_slot_id",
        "ix_suggestion_decided",
    }
    found = db.scalars(
        select(Suggestion.id).where(
            Suggestion.status == SuggestionStatus.PROPOSED, Suggestion.youth_id == youths[1].id
        )
    ).all()
    assert len(found) == 4

    # The table now holds as many rows as a night brings: the indexes are kept up to date.
    store = _Store(db, None)
    store.store(TargetKind.OPENING, [(y.id, _match(o.id, 0.9)) for y in youths for o in openings])
    assert dropped == ["suggestion"] and store.counts["updated"] == 12
    assert _index_definitions(db) == before


def test_a_pair_whose_young_person_or_target_is_gone_is_not_stored(
    db, make_youth, make_opening, make_slot
):
    """A young person or target deleted while the night ran (the ranking still holds them)
    gets no suggestion, and the night goes on: the merge joins both."""
    youth, opening, slot = make_youth(), make_opening(), make_slot()
    gone = 10_000_000
    store = _Store(db, None)
    store.store(
        TargetKind.OPENING,
        [(youth.id, _match(opening.id, 0.5)), (gone, _match(opening.id, 0.6))]
        + [(youth.id, _match(gone, 0.7))],
    )
    mentor = Match(target_id=slot.id, target_kind="mentor_slot", score=0.4)
    store.store(
        TargetKind.MENTOR_SLOT,
        [(youth.id, mentor), (gone, mentor), (youth.id, replace(mentor, target_id=gone))],
    )
    stored = db.execute(
        select(Suggestion.youth_id, Suggestion.opening_id, Suggestion.mentor_slot_id)
    )
    assert {tuple(row) for row in stored} == {
        (youth.id, None, slot.id),
        (youth.id, opening.id, None),
    }
    # Counted with the pairs that changed nothing: nothing was written for them.
    assert store.counts["new"] == 2 and store.counts["unchanged"] == 4


def _bulk(monkeypatch: Any) -> list[str]:
    """Every pair is a bulk load; the names of the tables whose references were checked at
    once are recorded."""
    monkeypatch.setattr(store_module, "BULK_ABOVE", 5)
    monkeypatch.setattr(store_module, "BULK_SHARE", 0.5)
    checked: list[str] = []
    original = store_module.references_checked_at_once

    def watched(connection: Any, table: str) -> Any:
        checked.append(table)
        return original(connection, table)

    monkeypatch.setattr(store_module, "references_checked_at_once", watched)
    return checked


def test_a_bulk_load_checks_the_references_at_once_and_switches_the_triggers_on_again(
    db, monkeypatch, make_youth, make_opening, make_slot
):
    """On PostgreSQL, a first night's bulk load checks its references in one statement per
    table instead of a trigger per row, when the role may (the tests' role may): the rows
    are stored, the session's triggers are on again afterwards, and deleting a young person
    still takes its suggestions with it."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's path is the row-by-row one")
    checked = _bulk(monkeypatch)
    youths = [make_youth() for _ in range(4)]
    openings = [make_opening() for _ in range(3)]
    run = JobRun(name="nightly_matching", run_date=NOW.date())
    db.add(run)
    db.flush()
    store = _Store(db, run)
    store.store(TargetKind.OPENING, [(y.id, _match(o.id, 0.5)) for y in youths for o in openings])
    assert store.counts["new"] == 12
    assert checked == ["suggestion"]
    assert db.execute(text("SHOW session_replication_role")).scalar() == "origin"
    # The night's later loads and merges (the mentors) hold the same lock: they check at
    # once too (the copy of the new pairs, then the merge of the others).
    mentor = Match(target_id=make_slot().id, target_kind="mentor_slot", score=0.4)
    store.store(TargetKind.MENTOR_SLOT, [(youths[0].id, mentor), (youths[1].id, mentor)])
    assert checked == ["suggestion"] * 3 and store.counts["new"] == 14
    assert db.execute(text("SHOW session_replication_role")).scalar() == "origin"
    assert db.scalar(select(func.count()).where(Suggestion.run_id == run.id)) == 14

    db.execute(text("DELETE FROM youth_profile WHERE id = :id"), {"id": youths[0].id})
    assert db.scalar(select(func.count()).select_from(Suggestion)) == 10
    with pytest.raises(IntegrityError), db.begin_nested():
        # The reference triggers are on again: a pair for no young person is refused.
        db.execute(
            text(
                "INSERT INTO suggestion (youth_id, target_kind, opening_id, score, components,"
                " reasons, engine_version, status, created_at, updated_at) VALUES (:y,"
                " 'opening', :o, 0.5, '{}', '[]', 'v', 'proposed', now(), now())"
            ),
            {"y": youths[0].id, "o": openings[0].id},
        )


def test_only_a_role_that_may_switch_its_triggers_off_checks_references_at_once(db):
    """The probe asks the server: a role of its own may not until granted (PostgreSQL 15's
    ``GRANT SET ON PARAMETER``); the tests' superuser may."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    connection = db.connection()
    assert may_check_references_at_once(connection, "suggestion")
    role = f"ungeloeftet_probe_{uuid.uuid4().hex[:12]}"
    # Roles are created in the test's transaction, and rolled back with it.
    connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
    connection.exec_driver_sql(f"SET LOCAL ROLE {role}")
    assert not may_check_references_at_once(connection, "suggestion")
    connection.exec_driver_sql("RESET ROLE")
    if connection.dialect.server_version_info >= (15,):
        connection.exec_driver_sql(f"GRANT SET ON PARAMETER session_replication_role TO {role}")
        connection.exec_driver_sql(f"SET LOCAL ROLE {role}")
        assert may_check_references_at_once(connection, "suggestion")
        connection.exec_driver_sql("RESET ROLE")


def test_without_the_privilege_a_bulk_load_checks_each_row(
    db, monkeypatch, make_youth, make_opening
):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    checked = _bulk(monkeypatch)
    monkeypatch.setattr(
        store_module, "may_check_references_at_once", lambda connection, table: False
    )
    youths, openings = [make_youth() for _ in range(4)], [make_opening() for _ in range(3)]
    store = _Store(db, None)
    store.store(TargetKind.OPENING, [(y.id, _match(o.id, 0.5)) for y in youths for o in openings])
    assert store.counts["new"] == 12 and checked == []


def test_the_schema_has_no_trigger_but_the_foreign_keys(db):
    """What references_checked_at_once relies on: switching the session's triggers off
    switches off nothing but the foreign keys' row-by-row checks."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    triggers = db.execute(
        text(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND (NOT t.tgisinternal OR t.tgconstraint = 0"
            " OR (SELECT contype FROM pg_constraint WHERE oid = t.tgconstraint) <> 'f')"
        )
    ).all()
    assert triggers == []


def test_a_young_person_being_deleted_waits_while_references_are_checked_at_once(population):
    """While a transaction writes suggestions without the row-by-row checks, the table is
    locked against writes (reading goes on): someone deleting a young person meanwhile waits
    until that transaction ends (the delete must cascade to the suggestions), so it never
    leaves rows behind that refer to no one."""
    with population.factory() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        with references_checked_at_once(session.connection(), "suggestion"):
            assert session.scalar(text("SHOW session_replication_role")) == "replica"
        assert session.scalar(text("SHOW session_replication_role")) == "origin"
        with population.factory() as other:
            other.execute(text("SET LOCAL lock_timeout = '200ms'"))
            assert other.scalar(select(func.count()).select_from(Suggestion)) == 0
            with pytest.raises(OperationalError, match="lock timeout"):
                other.execute(
                    text("DELETE FROM youth_profile WHERE id = :id"),
                    {"id": population.ids["youths"][0]},
                )
            other.rollback()
        session.rollback()


def test_references_are_checked_row_by_row_where_a_switch_would_skip_more(db):
    """A trigger of its own on the table (an administrator's audit trigger, say) would be
    switched off too, and a foreign key that neither cascades nor clears would not wait for
    the lock: either keeps the row-by-row checks."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    connection = db.connection()
    name = f"probe_{uuid.uuid4().hex[:12]}"
    # Created in the test's transaction, and rolled back with it.
    connection.exec_driver_sql(
        f"CREATE TABLE {name}_cascade (id integer,"
        " youth_id integer REFERENCES youth_profile (id) ON DELETE CASCADE)"
    )
    connection.exec_driver_sql(
        f"CREATE TABLE {name}_restrict (id integer, youth_id integer REFERENCES youth_profile (id))"
    )
    assert may_check_references_at_once(connection, f"{name}_cascade")
    assert not may_check_references_at_once(connection, f"{name}_restrict")
    assert may_check_references_at_once(connection, "suggestion")
    connection.exec_driver_sql(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
    )
    connection.exec_driver_sql(
        f"CREATE TRIGGER {name} AFTER INSERT ON suggestion FOR EACH ROW EXECUTE FUNCTION {name}()"
    )
    assert not may_check_references_at_once(connection, "suggestion")


def test_nothing_is_stored_for_a_run_that_no_longer_exists(db, make_youth, make_opening):
    youth, opening = make_youth(), make_opening()
    run = JobRun(name="nightly_matching", run_date=NOW.date())
    db.add(run)
    db.flush()
    store = _Store(db, run)
    db.execute(text("DELETE FROM job_run WHERE id = :id"), {"id": run.id})
    store.store(TargetKind.OPENING, [(youth.id, _match(opening.id, 0.5))])
    assert store.counts["new"] == 0
    assert db.scalar(select(func.count()).select_from(Suggestion)) == 0


def _stored(db: Any) -> list[tuple[Any, ...]]:
    """The suggestions as the storage rules wrote them, without ids and times (youth,
    opening, slot, status, score, components, reasons, distance, engine version, run), and
    whether each was written as new (created when updated); sorted."""
    return sorted(
        (*row[1:6], json.dumps(row[6]), json.dumps(row[7]), *row[8:11], row[11] == row[12])
        for row in db.execute(select(*_COLUMNS)).all()
    )


def _first_night(
    db: Any, make_youth: Any, make_opening: Any, n_youths: int, n_openings: int
) -> tuple[list[Any], list[Any], JobRun]:
    """Young people, openings and a nightly run, on PostgreSQL (the bulk load's database)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's path is the merge of every pair")
    youths = [make_youth() for _ in range(n_youths)]
    openings = [make_opening() for _ in range(n_openings)]
    run = JobRun(name="nightly_matching", run_date=NOW.date())
    db.add(run)
    db.flush()
    return youths, openings, run


def test_a_first_nights_new_pairs_are_copied_in_as_the_merge_would_store_them(
    db, monkeypatch, make_youth, make_opening, make_suggestion
):
    """On PostgreSQL, a bulk load (an installation's first night) copies the pairs new to
    the table straight into it, and merges only the pairs it holds already: the same rows
    and counts as the merge of every pair. A pair of a young person gone is not stored; the
    expiry looks only at what was stored before, so tonight's new rows stay proposed."""
    youths, openings, run = _first_night(db, make_youth, make_opening, 4, 3)
    make_suggestion(youths[0], openings[0], score=0.2)  # proposed: updated tonight
    make_suggestion(youths[1], openings[0], status=SuggestionStatus.APPROVED)  # decided
    unpicked = make_suggestion(youths[2], openings[2], score=0.3)  # not picked tonight
    pairs = [
        (y.id, _match(o.id, 0.9 - 0.1 * i))
        for y in youths
        for i, o in enumerate(openings)
        if (y, o) != (youths[2], openings[2])
    ] + [(10_000_000, _match(openings[0].id, 0.5))]  # a young person deleted meanwhile

    def night(bulk_above: int) -> tuple[set[tuple[Any, ...]], dict[str, int], int]:
        monkeypatch.setattr(store_module, "BULK_ABOVE", bulk_above)
        monkeypatch.setattr(store_module, "BULK_SHARE", 0.9)
        savepoint = db.begin_nested()
        before = datetime.now(UTC)
        store = _Store(db, run)
        store.store(TargetKind.OPENING, pairs)
        after = datetime.now(UTC)
        copied = store.known is not None
        # The new rows carry the time they were stored at (COPY's binary timestamps).
        times = db.execute(
            select(Suggestion.created_at).where(
                Suggestion.run_id == run.id, Suggestion.created_at == Suggestion.updated_at
            )
        ).scalars()
        assert {before <= t <= after for t in times} == {True}
        expired = expire_unpicked(db, TargetKind.OPENING, store.stored_up_to(TargetKind.OPENING))
        rows = _stored(db)
        assert db.get(Suggestion, unpicked.id, populate_existing=True).status is (
            SuggestionStatus.EXPIRED
        )
        savepoint.rollback()
        assert copied is (bulk_above == 5)
        return rows, store.counts, expired

    merged = night(bulk_above=1_000)
    loaded = night(bulk_above=5)
    assert loaded == merged
    rows, counts, expired = loaded
    assert counts == {"new": 9, "updated": 1, "unchanged": 1, "kept_decided": 1}
    assert expired == 1
    new = [row for row in rows if row[-1] and row[9] == run.id]
    assert len(new) == 9 and {row[3] for row in new} == {SuggestionStatus.PROPOSED}
    reasons = [{"code": "skills", "what": "skills – æøå", "km": 3.0}]
    assert {row[6] for row in new} == {json.dumps(reasons)}
    assert {(row[4], row[7]) for row in new} >= {(0.9, 3.0), (0.8, 3.0), (0.7, 3.0)}


def test_a_bulk_loads_mentors_prepared_beforehand_are_copied_in_too(
    db, monkeypatch, make_youth, make_opening, make_slot, make_suggestion
):
    """Once the first night's bulk load has locked the table, the mentors' pairs are
    prepared (without the session) as COPY text for the table itself and the rest for the
    merge, and stored as the merge would store them."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's path is the merge of every pair")
    youths = [make_youth() for _ in range(3)]
    slots = [make_slot() for _ in range(2)]
    held = make_suggestion(youths[0], slots[0], score=0.2)
    mentors = [
        (y.id, Match(target_id=s.id, target_kind="mentor_slot", score=0.6, distance_km=2.0))
        for y in youths
        for s in slots
    ]
    store = _Store(db, None)
    assert isinstance(store.prepare(TargetKind.MENTOR_SLOT, mentors), store_module.StagingCopy)
    monkeypatch.setattr(store_module, "BULK_ABOVE", 5)
    monkeypatch.setattr(store_module, "BULK_SHARE", 0.5)
    store.begin(TargetKind.MENTOR_SLOT, 10)
    prepared = store.prepare(TargetKind.MENTOR_SLOT, mentors)
    assert isinstance(prepared, store_module.Loaded) and len(prepared.others) == 1
    store.store(TargetKind.MENTOR_SLOT, prepared)
    assert store.counts == {"new": 5, "updated": 1, "unchanged": 0, "kept_decided": 0}
    assert (
        expire_unpicked(db, TargetKind.MENTOR_SLOT, store.stored_up_to(TargetKind.MENTOR_SLOT)) == 0
    )
    rows = db.execute(
        select(Suggestion.youth_id, Suggestion.mentor_slot_id, Suggestion.score, Suggestion.status)
    ).all()
    assert sorted(rows) == sorted(
        (y.id, s.id, 0.6, SuggestionStatus.PROPOSED) for y in youths for s in slots
    )
    assert db.get(Suggestion, held.id, populate_existing=True).score == 0.6


def test_a_bulk_load_stores_nothing_for_a_run_that_no_longer_exists(
    db, monkeypatch, make_youth, make_opening
):
    youths, openings, run = _first_night(db, make_youth, make_opening, 3, 2)
    monkeypatch.setattr(store_module, "BULK_ABOVE", 5)
    monkeypatch.setattr(store_module, "BULK_SHARE", 0.5)
    store = _Store(db, run)
    db.execute(text("DELETE FROM job_run WHERE id = :id"), {"id": run.id})
    store.store(TargetKind.OPENING, [(y.id, _match(o.id, 0.5)) for y in youths for o in openings])
    assert store.known is not None
    assert store.counts == {"new": 0, "updated": 0, "unchanged": 6, "kept_decided": 0}
    assert db.scalar(select(func.count()).select_from(Suggestion)) == 0
