"""A fitted engine is read-only, and openings, slots and youth can be added, changed and
removed incrementally with exactly the result of a fresh fit (docs/ARCHITECTURE.md, "The
engine's contract")."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import EngineConfig, MatchEngine
from matcher.synthetic import SyntheticPopulation, generate
from matcher.taxonomy import Taxonomy
from tests.matcher.conftest import TODAY

SIZES = (160, 120, 24)


@pytest.fixture(scope="module")
def population(real_taxonomy: Taxonomy) -> SyntheticPopulation:
    return generate(real_taxonomy, *SIZES, random_state=7, today=TODAY)


def _cfg(**kw: Any) -> EngineConfig:
    kw.setdefault("today", TODAY)
    return EngineConfig(**kw)


def _flat(ranked: dict[int, list[Any]]) -> dict[int, list[tuple[int, float, tuple[str, ...]]]]:
    return {
        y: [(m.target_id, round(m.score, 12), tuple(r.en for r in m.reasons)) for m in ms]
        for y, ms in ranked.items()
    }


# Eight random populations per property (each fits an engine: seconds, not milliseconds).
EIGHT_SEEDS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _same_arrays(a: Any, b: Any) -> None:
    for f in dataclasses.fields(a):
        if f.name in ("text_cache", "lang_width"):
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.shape == y.shape and np.array_equal(x, y), f.name
        elif dataclasses.is_dataclass(x):
            _same_arrays(x, y)
        else:
            assert x == y, f.name


def _changed(items: list[Any], rng: np.random.Generator, share: float) -> list[Any]:
    """Some items changed the way users change them (seats, hours, status, title...)."""
    out = []
    for item in items:
        if rng.random() >= share:
            continue
        kind = type(item).__name__
        if kind == "Opening":
            item = dataclasses.replace(
                item,
                seats=int(rng.integers(1, 4)),
                title=item.title + " (ny)",
                status=str(rng.choice(["open", "open", "closed"])),
            )
        elif kind == "MentorSlot":
            item = dataclasses.replace(item, capacity=int(rng.integers(0, 3)))
        else:
            item = dataclasses.replace(
                item,
                max_commute_km=float(rng.choice([10, 30])),
                skills=item.skills[1:],
                status=str(rng.choice(["active", "active", "paused"])),
            )
        out.append(item)
    return out


@EIGHT_SEEDS
@given(seed=st.integers(0, 10_000), exhaustive=st.sampled_from([0, 10_000_000]))
def test_updates_rank_exactly_as_a_fresh_fit(
    real_taxonomy: Taxonomy, population: SyntheticPopulation, seed: int, exhaustive: int
) -> None:
    rng = np.random.default_rng(seed)
    pop = population
    cfg = _cfg(exhaustive_max_pairs=exhaustive)
    hold = rng.random(len(pop.openings)) < 0.2
    first = [o for o, h in zip(pop.openings, hold, strict=True) if not h]
    later = [o for o, h in zip(pop.openings, hold, strict=True) if h]
    s_hold = rng.random(len(pop.mentor_slots)) < 0.3
    slots0 = [s for s, h in zip(pop.mentor_slots, s_hold, strict=True) if not h]
    slots1 = [s for s, h in zip(pop.mentor_slots, s_hold, strict=True) if h]
    base = MatchEngine(cfg, real_taxonomy).fit(first, slots0)
    before = _flat(base.rank(pop.youths, 5))

    changed = _changed(first, rng, 0.15)
    removed = [o.id for o in first if rng.random() < 0.1 and o.id not in {c.id for c in changed}]
    engine = base.with_openings([*later, *changed], removed)
    s_changed = _changed(slots0, rng, 0.3)
    engine = engine.with_slots([*slots1, *s_changed])

    final = {o.id: o for o in first if o.id not in removed}
    final.update({o.id: o for o in [*later, *changed]})
    final_slots = {s.id: s for s in slots0}
    final_slots.update({s.id: s for s in [*slots1, *s_changed]})
    fresh = MatchEngine(cfg, real_taxonomy).fit(
        list(final.values()), list(final_slots.values()), text_from=base
    )
    _same_arrays(engine.openings_, fresh.openings_)
    assert _flat(engine.rank(pop.youths, 5)) == _flat(fresh.rank(pop.youths, 5))
    assert _flat(engine.rank_mentors(pop.youths, 2)) == _flat(fresh.rank_mentors(pop.youths, 2))
    assert _flat(base.rank(pop.youths, 5)) == before  # the first engine did not change


@EIGHT_SEEDS
@given(seed=st.integers(0, 10_000))
def test_youth_index_updates_equal_a_fresh_index(
    real_taxonomy: Taxonomy, population: SyntheticPopulation, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    pop = population
    engine = MatchEngine(_cfg(), real_taxonomy).fit(pop.openings, pop.mentor_slots)
    hold = rng.random(len(pop.youths)) < 0.2
    first = [y for y, h in zip(pop.youths, hold, strict=True) if not h]
    later = [y for y, h in zip(pop.youths, hold, strict=True) if h]
    index = engine.index(first)
    engine.rank(index, 5)  # fills the index's text memo, which the update must carry along
    changed = _changed(first, rng, 0.2)
    removed = [y.id for y in first if rng.random() < 0.1 and y.id not in {c.id for c in changed}]
    updated = engine.with_youths(index, [*later, *changed], removed)
    final = {y.id: y for y in first if y.id not in removed}
    final.update({y.id: y for y in [*later, *changed]})
    fresh = engine.index(list(final.values()))
    _same_arrays(updated, fresh)
    for opening in pop.openings[:10]:
        got = engine.match_opening(opening, 5, index=updated)
        want = engine.match_opening(opening, 5, index=fresh)
        assert [(m.target_id, m.score) for m in got] == [(m.target_id, m.score) for m in want]
    assert _flat(engine.rank(updated, 5)) == _flat(engine.rank(fresh, 5))


def test_ranking_never_changes_the_engine(
    real_taxonomy: Taxonomy, population: SyntheticPopulation
) -> None:
    pop = population
    engine = MatchEngine(_cfg(), real_taxonomy).fit(pop.openings, pop.mentor_slots)
    state = {k: v for k, v in vars(engine).items()}
    vocab = dict(vars(engine.vocab_))
    index = engine.index(pop.youths)
    engine.rank(pop.youths, 5)
    engine.rank_mentors(index, 2)
    engine.match_opening(pop.openings[0], 5, index=index)
    engine.score_all(pop.youths[:20])
    engine.with_openings(pop.openings[:3], [pop.openings[5].id])
    engine.with_slots(pop.mentor_slots[:2])
    engine.with_youths(index, pop.youths[:3])
    assert vars(engine).keys() == state.keys()
    assert all(vars(engine)[k] is v for k, v in state.items())
    assert vars(engine.vocab_) == vocab


def test_free_text_gets_the_same_concept_in_every_engine(real_taxonomy: Taxonomy) -> None:
    from matcher.encode import Vocabulary

    a, b = Vocabulary(real_taxonomy), Vocabulary(real_taxonomy)
    texts = ["kan jonglere med kegler", "kører gaffeltruck", "xyzzy"]
    assert a.skill_concepts(texts) == b.skill_concepts(list(reversed(texts)))[::-1]


def test_two_threads_rank_as_one(real_taxonomy: Taxonomy, population: SyntheticPopulation) -> None:
    pop = population
    engine = MatchEngine(_cfg(exhaustive_max_pairs=0), real_taxonomy).fit(pop.openings)
    want = _flat(engine.rank(pop.youths, 5))
    got: list[Any] = []

    def work() -> None:
        got.append(_flat(engine.rank(pop.youths, 5)))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 3


def test_an_opening_that_closes_or_expires_leaves(
    real_taxonomy: Taxonomy, population: SyntheticPopulation
) -> None:
    pop = population
    live = [o for o in pop.openings if o.status == "open" and (o.expires or TODAY) >= TODAY]
    engine = MatchEngine(_cfg(), real_taxonomy).fit(live)
    closed = dataclasses.replace(live[0], status="closed")
    expired = dataclasses.replace(live[1], expires=TODAY - timedelta(days=1))
    after = engine.with_openings([closed, expired])
    ids = set(after.openings_.ids.tolist())
    assert live[0].id not in ids and live[1].id not in ids and len(ids) == len(live) - 2


@EIGHT_SEEDS
@given(seed=st.integers(0, 10_000))
def test_a_changed_youth_replaced_in_place_equals_a_fresh_index(
    real_taxonomy: Taxonomy, population: SyntheticPopulation, seed: int
) -> None:
    """The common save: profiles edited, none added or removed. The update then replaces rows
    where they are (and shares the arrays an edit leaves alone); it must still equal a fresh
    index, also when an edit widens or narrows the padded wish and skill arrays."""
    rng = np.random.default_rng(seed)
    active = [y for y in population.youths if y.status == "active"]
    engine = MatchEngine(_cfg(), real_taxonomy).fit(population.openings, population.mentor_slots)
    index = engine.index(active)
    engine.rank(index, 5)  # fills the index's text memo
    widest = max(active, key=lambda y: (len(y.wished_occupations), len(y.skills)))
    labels = sorted({w for y in active for w in y.wished_occupations})
    picks = rng.choice(len(active), size=int(rng.integers(1, 6)), replace=False).tolist()
    changed = {
        widest.id: dataclasses.replace(
            widest, wished_occupations=widest.wished_occupations[:1], skills=widest.skills[:1]
        )
    }
    for i in picks:
        y = active[i]
        if y.id in changed:
            continue
        many = [
            labels[j] for j in rng.choice(len(labels), size=min(len(labels), 20), replace=False)
        ]
        changed[y.id] = dataclasses.replace(
            y,
            wished_occupations=tuple(many) if rng.random() < 0.5 else y.wished_occupations,
            skills=(*y.skills, *widest.skills) if rng.random() < 0.5 else y.skills[1:],
            hours_max=max(y.hours_min, float(rng.choice([20, 37]))),
        )
    updated = engine.with_youths(index, list(changed.values()))
    fresh = engine.index([changed.get(y.id, y) for y in active])
    _same_arrays(updated, fresh)
    assert _flat(engine.rank(updated, 5)) == _flat(engine.rank(fresh, 5))
    for opening in population.openings[:10]:
        got = engine.match_opening(opening, 5, index=updated)
        want = engine.match_opening(opening, 5, index=fresh)
        assert [(m.target_id, m.score) for m in got] == [(m.target_id, m.score) for m in want]
