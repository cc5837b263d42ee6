"""The per-process engine cache: always exactly what the database has, by applying changes.

A committed database (changes are made in one session and seen from another, as two gunicorn
workers would). No wall-clock threshold and no background rebuild: the next call sees a save.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from jobs.matching import EngineCache, refresh_for_opening, refresh_for_profile
from jobs.matching import cache as cache_module
from jobs.matching.inputs import load_openings, load_slots, load_youths
from models.clock import local_date
from models.enums import OpeningStatus, ProfileStatus
from models.opening import JobOpening
from models.youth import YouthProfile


@pytest.fixture()
def cache(monkeypatch: pytest.MonkeyPatch) -> EngineCache:
    cache = EngineCache()
    monkeypatch.setattr(cache_module, "engine_cache", cache)
    return cache


def _commit(population, *statements) -> None:  # type: ignore[no-untyped-def]
    with population.factory() as session:
        for statement in statements:
            session.execute(statement)
        session.commit()


def _ranked(engine, youths):  # type: ignore[no-untyped-def]
    return {
        y: [(m.target_id, round(m.score, 12)) for m in ms]
        for y, ms in engine.rank(youths, 5).items()
    }


def test_a_save_is_in_the_very_next_engine_without_a_refit(population, cache):
    today = local_date(datetime.now(UTC))
    first_id, second_id = population.ids["openings"][:2]
    with population.factory() as session:
        first = cache.fitted(session, today)
        assert cache.fitted(session, today) is first  # nothing changed: the same engine
    _commit(population, update(JobOpening).where(JobOpening.id == first_id).values(title="Ny"))
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == second_id).values(status=OpeningStatus.CLOSED),
    )
    with population.factory() as session:
        current = cache.fitted(session, today)
        youths = load_youths(session)
        # The same as a fresh fit of what the database holds (with the same text statistics).
        fresh = cache_module.new_engine(today, session).fit(
            load_openings(session, today), load_slots(session, today), text_from=first
        )
    assert current is not first
    assert current.vocab_ is first.vocab_  # applied, not refitted
    assert "Ny" in [o.title for o in current.openings_.items]
    assert second_id not in current.openings_.ids.tolist()
    assert second_id in first.openings_.ids.tolist()  # the engine given out earlier is unchanged
    assert _ranked(current, youths) == _ranked(fresh, youths)
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == second_id).values(status=OpeningStatus.OPEN),
    )


def test_the_youth_index_follows_profiles_and_the_fast_paths_never_see_stale_rows(
    population, cache
):
    now = datetime.now(UTC)
    today = local_date(now)
    with population.factory() as session:
        opening = session.get(JobOpening, population.ids["openings"][1])
        before = {s.youth_id for s in refresh_for_opening(session, opening, now)}
        session.rollback()
    assert before
    paused = min(before)
    _commit(
        population,
        update(YouthProfile).where(YouthProfile.id == paused).values(status=ProfileStatus.PAUSED),
    )
    with population.factory() as session:
        engine, index = cache.with_youth_index(session, today)
        assert paused not in index.ids.tolist()
        _same_as_fresh(engine, index, load_youths(session))
        opening = session.get(JobOpening, population.ids["openings"][1])
        after = {s.youth_id for s in refresh_for_opening(session, opening, now)}
        assert paused not in after
        session.rollback()
    _commit(
        population,
        update(YouthProfile).where(YouthProfile.id == paused).values(status=ProfileStatus.ACTIVE),
    )
    with population.factory() as session:
        _engine, index = cache.with_youth_index(session, today)
        assert paused in index.ids.tolist()


def _same_as_fresh(engine, index, youths) -> None:  # type: ignore[no-untyped-def]
    fresh = engine.index(youths)
    assert index.ids.tolist() == fresh.ids.tolist()
    assert (index.skill_keys == fresh.skill_keys).all()


def test_a_closed_opening_is_not_proposed_the_moment_it_closes(population, cache):
    now = datetime.now(UTC)
    youth_id = population.ids["youths"][0]
    with population.factory() as session:
        profile = session.get(YouthProfile, youth_id)
        proposed = {s.opening_id for s in refresh_for_profile(session, profile, now)}
        session.rollback()
    assert proposed, "the profile needs an opening to begin with"
    closed = min(o for o in proposed if o is not None)
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == closed).values(status=OpeningStatus.CLOSED),
    )
    with population.factory() as session:
        profile = session.get(YouthProfile, youth_id)
        again = {s.opening_id for s in refresh_for_profile(session, profile, now)}
        assert closed not in again
        session.rollback()
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == closed).values(status=OpeningStatus.OPEN),
    )


def test_deletions_and_rolled_back_changes_are_found_by_the_exact_difference(population, cache):
    today = local_date(datetime.now(UTC))
    with population.factory() as session:
        cache.fitted(session, today)
        # A change the cache sees inside a transaction that then rolls back ...
        session.execute(
            update(JobOpening)
            .where(JobOpening.id == population.ids["openings"][2])
            .values(title="Aldrig gemt")
        )
        assert "Aldrig gemt" in [o.title for o in cache.fitted(session, today).openings_.items]
        session.rollback()
    with population.factory() as session:
        # ... is gone at the next call: the fingerprints differ, the rows are read again.
        assert "Aldrig gemt" not in [o.title for o in cache.fitted(session, today).openings_.items]
        model = session.get(JobOpening, population.ids["openings"][2])
        values = {c.key: getattr(model, c.key) for c in JobOpening.__mapper__.column_attrs}
        values["id"] = max(population.ids["openings"]) + 100
        session.execute(JobOpening.__table__.insert().values(**values))
        session.commit()
        assert values["id"] in cache.fitted(session, today).openings_.ids.tolist()
    # A row deleted (no change time left behind to find it by).
    _commit(population, delete(JobOpening).where(JobOpening.id == values["id"]))
    with population.factory() as session:
        assert values["id"] not in cache.fitted(session, today).openings_.ids.tolist()


def test_warm_up_builds_the_youth_index_before_the_first_request(population, cache, app):
    from web.warmup import warm_up_engine

    assert cache._entries == {}
    app.extensions["db_session_factory"] = population.factory  # this test's app only
    assert warm_up_engine(app) is True
    (entry,) = cache._entries.values()
    assert entry.index is not None and len(entry.index.ids)


def test_warm_up_can_be_switched_off(app, monkeypatch):
    from web.warmup import start_warm_up

    monkeypatch.setenv("UNGELOEFTET_WARM_UP", "0")
    assert start_warm_up(app) is None
