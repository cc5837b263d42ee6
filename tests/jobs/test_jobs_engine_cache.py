"""The per-process engine cache: expensive rebuilds in the background, stale answers checked.

A committed database (the background thread reads with its own session). ``background_after``
is set to 0 so that the small test population counts as "expensive", as the national one is.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from jobs.matching import EngineCache, refresh_for_opening, refresh_for_profile
from jobs.matching import cache as cache_module
from models.clock import local_date
from models.enums import OpeningStatus, ProfileStatus
from models.opening import JobOpening
from models.youth import YouthProfile


@pytest.fixture()
def cache(monkeypatch: pytest.MonkeyPatch) -> EngineCache:
    cache = EngineCache(background_after=0.0, rebuild_interval=0.0)
    monkeypatch.setattr(cache_module, "engine_cache", cache)
    return cache


def _commit(population, statement) -> None:  # type: ignore[no-untyped-def]
    with population.factory() as session:
        session.execute(statement)
        session.commit()


def test_a_changed_population_is_rebuilt_in_the_background_while_the_old_engine_answers(
    population, cache
):
    now = datetime.now(UTC)
    today = local_date(now)
    with population.factory() as session:
        first = cache.fitted(session, today)  # nothing cached: built at once
        assert cache.fitted(session, today) is first
    opening_id = population.ids["openings"][0]
    _commit(population, update(JobOpening).where(JobOpening.id == opening_id).values(title="Ny"))
    with population.factory() as session:
        assert cache.fitted(session, today) is first  # stale, answered at once
        cache.wait_for_rebuilds()
        rebuilt = cache.fitted(session, today)
    assert rebuilt is not first
    assert "Ny" in [o.title for o in rebuilt.openings_.items]


def test_what_a_stale_engine_proposes_is_checked_against_the_database(population, cache):
    now = datetime.now(UTC)
    today = local_date(now)
    youth_id = population.ids["youths"][0]
    with population.factory() as session:
        profile = session.get(YouthProfile, youth_id)
        proposed = {s.opening_id for s in refresh_for_profile(session, profile, now)}
        session.rollback()
    assert proposed, "the profile needs an opening to begin with"
    closed = min(o for o in proposed if o is not None)
    cache.rebuild_interval = 1e9  # keep the stale engine for the rest of the test
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == closed).values(status=OpeningStatus.CLOSED),
    )
    with population.factory() as session:
        stale = cache.fitted(session, today)
        assert closed in stale.openings_.ids.tolist()  # the engine still has it ...
        profile = session.get(YouthProfile, youth_id)
        again = {s.opening_id for s in refresh_for_profile(session, profile, now)}
        assert closed not in again  # ... but it is not proposed
        session.rollback()

    # The same for the youth index behind a saved opening: a paused profile is not proposed.
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
        assert paused in cache.with_youth_index(session, today).youth_index_.ids.tolist()
        opening = session.get(JobOpening, population.ids["openings"][1])
        after = {s.youth_id for s in refresh_for_opening(session, opening, now)}
        assert paused not in after
        session.rollback()
    _commit(
        population,
        update(YouthProfile).where(YouthProfile.id == paused).values(status=ProfileStatus.ACTIVE),
    )
    _commit(
        population,
        update(JobOpening).where(JobOpening.id == closed).values(status=OpeningStatus.OPEN),
    )


def test_warm_up_builds_the_youth_index_before_the_first_request(population, cache, app):
    from web.warmup import warm_up_engine

    assert cache._youth_index == {}
    app.extensions["db_session_factory"] = population.factory  # this test's app only
    assert warm_up_engine(app) is True
    assert len(cache._youth_index) == 1


def test_warm_up_can_be_switched_off(app, monkeypatch):
    from web.warmup import start_warm_up

    monkeypatch.setenv("UNGELOEFTET_WARM_UP", "0")
    assert start_warm_up(app) is None
