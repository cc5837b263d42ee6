"""The vectorised scorer equals the plain per-pair reference implementation."""

from datetime import date

import numpy as np
import pytest

from matcher import EngineConfig, MatchEngine, Taxonomy
from matcher.reference_scorer import score_opening, score_slot
from matcher.synthetic import generate

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def population(real_taxonomy: Taxonomy):  # type: ignore[no-untyped-def]
    return generate(
        real_taxonomy,
        n_youth=60,
        n_openings=80,
        n_slots=30,
        random_state=7,
        today=TODAY,
        municipalities=("101", "147", "151", "153", "157", "161", "165"),
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_vectorised_opening_scores_equal_reference(real_taxonomy, population, seed) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    weights = dict(
        zip(
            [
                "occupation",
                "skills_required",
                "skills_nice",
                "text",
                "distance",
                "hours",
                "start",
                "mentor",
            ],
            rng.random(8).tolist(),
            strict=True,
        )
    )
    engine = MatchEngine(EngineConfig(today=TODAY, opening_weights=weights), real_taxonomy)
    engine.fit(population.openings, population.mentor_slots)
    yid, tid, score, comps = engine.score_all(population.youths, "opening")
    got = {
        (int(y), int(t)): (float(s), {n: float(v[i]) for n, v in comps.items()})
        for i, (y, t, s) in enumerate(zip(yid, tid, score, strict=True))
    }
    expected = {}
    for y in population.youths:
        for o in population.openings:
            ref = score_opening(engine, y, o)
            if ref is not None:
                expected[(y.id, o.id)] = ref
    assert len(expected) > 200
    assert set(got) == set(expected)
    for pair, (s, c) in expected.items():
        assert got[pair][0] == pytest.approx(s, abs=1e-9), pair
        for name, value in c.items():
            assert got[pair][1][name] == pytest.approx(value, abs=1e-9), (pair, name)


def test_vectorised_mentor_scores_equal_reference(real_taxonomy, population) -> None:  # type: ignore[no-untyped-def]
    engine = MatchEngine(EngineConfig(today=TODAY), real_taxonomy)
    engine.fit(population.openings, population.mentor_slots)
    yid, tid, score, _ = engine.score_all(population.youths, "mentor_slot")
    got = {(int(y), int(t)): float(s) for y, t, s in zip(yid, tid, score, strict=True)}
    expected = {}
    for y in population.youths:
        for s in population.mentor_slots:
            ref = score_slot(engine, y, s)
            if ref is not None:
                expected[(y.id, s.id)] = ref[0]
    assert len(expected) > 100
    assert set(got) == set(expected)
    for pair, s in expected.items():
        assert got[pair] == pytest.approx(s, abs=1e-9)


def test_scores_do_not_depend_on_the_threads(real_taxonomy, population, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Chunks of pairs scored on one thread or two: the same arrays, bit for bit."""
    import functools

    import matcher.engine
    from matcher import parallel
    from matcher.compare import score_pairs

    engine = MatchEngine(EngineConfig(today=TODAY), real_taxonomy)
    engine.fit(population.openings, population.mentor_slots)
    monkeypatch.setattr(matcher.engine, "score_pairs", functools.partial(score_pairs, chunk=37))
    for kind in ("opening", "mentor_slot"):
        monkeypatch.setattr(parallel, "WORKERS", 1)
        alone = engine.score_all(population.youths, kind)
        monkeypatch.setattr(parallel, "WORKERS", 2)
        shared = engine.score_all(population.youths, kind)
        assert len(alone[0]) > 100
        for a, b in zip(alone[:3], shared[:3], strict=True):
            assert np.array_equal(a, b)
        assert list(alone[3]) == list(shared[3])
        for name in alone[3]:
            assert np.array_equal(alone[3][name], shared[3][name]), name
