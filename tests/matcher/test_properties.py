"""Property tests: caps, k, hard constraints, score range, determinism."""

from collections import Counter
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import EngineConfig, MatchEngine, MentorSlot, Opening, Youth
from matcher.allocate import allocate
from matcher.reference_scorer import score_opening, score_slot
from tests.matcher.conftest import OCC, TODAY, small_taxonomy

TAXONOMY = small_taxonomy()
POSTCODES = ["2600", "2605", "2300", "4000", "8000", "0000"]
WISHES = ["lagerarbejder", "kok", "Koekkenmedhjaelper", "ekspedient", "astronaut", OCC + "cleaner"]
SKILLS = ["gaffeltruck", "rengøring", "stock shelves", "wash the dishes", "jonglering"]
LANGS = ["da", "en", "ar"]
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def youths(draw: st.DrawFn) -> list[Youth]:
    n = draw(st.integers(0, 12))
    out = []
    for i in range(n):
        lo = draw(st.sampled_from([0.0, 10.0, 20.0, 30.0]))
        out.append(
            Youth(
                id=i + 1,
                birth_year=draw(st.integers(1996, 2012)),
                postcode=draw(st.sampled_from(POSTCODES)),
                max_commute_km=draw(st.sampled_from([0.0, 5.0, 20.0, 60.0, 300.0])),
                skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
                interests=tuple(
                    draw(st.lists(st.sampled_from(["fodbold", "musik", "skak"]), max_size=2))
                ),
                wished_occupations=tuple(draw(st.lists(st.sampled_from(WISHES), max_size=2))),
                hours_min=lo,
                hours_max=lo + draw(st.sampled_from([0.0, 5.0, 17.0])),
                languages=tuple(
                    draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=3, unique=True))
                ),
                driving_licence=draw(st.booleans()),
                needs_mentor=draw(st.booleans()),
                available_from=draw(st.sampled_from([None, TODAY, TODAY + timedelta(days=45)])),
                status=draw(st.sampled_from(["active", "active", "active", "paused"])),
            )
        )
    return out


@st.composite
def openings(draw: st.DrawFn) -> list[Opening]:
    n = draw(st.integers(0, 10))
    out = []
    for j in range(n):
        lo = draw(st.sampled_from([0.0, 15.0, 30.0]))
        out.append(
            Opening(
                id=100 + j,
                title=draw(st.sampled_from(["Lagermedarbejder", "Kok", "Butik", "Rengøring"])),
                occupation_uri=draw(
                    st.sampled_from([None, OCC + "warehouse", OCC + "cook", OCC + "shop"])
                ),
                required_skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
                nice_skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2))),
                postcode=draw(st.sampled_from(POSTCODES)),
                hours_min=lo,
                hours_max=lo + draw(st.sampled_from([0.0, 7.0, 20.0])),
                seats=draw(st.integers(1, 3)),
                min_age=draw(st.sampled_from([15, 16, 18])),
                driving_licence_required=draw(st.booleans()),
                languages=tuple(draw(st.lists(st.sampled_from(LANGS), max_size=1))),
                mentor_at_workplace=draw(st.booleans()),
                start_date=draw(
                    st.sampled_from([None, TODAY, TODAY + timedelta(days=5), date(2027, 3, 1)])
                ),
                expires=draw(
                    st.sampled_from([None, TODAY - timedelta(days=1), TODAY + timedelta(days=30)])
                ),
                status=draw(st.sampled_from(["open", "open", "open", "draft"])),
            )
        )
    return out


@st.composite
def slots(draw: st.DrawFn) -> list[MentorSlot]:
    n = draw(st.integers(0, 5))
    return [
        MentorSlot(
            id=500 + j,
            title="Mentor",
            postcode=draw(st.sampled_from(POSTCODES)),
            interests=tuple(
                draw(st.lists(st.sampled_from(["fodbold", "musik", "skak"]), max_size=2))
            ),
            languages=tuple(
                draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2, unique=True))
            ),
            max_distance_km=draw(st.sampled_from([0.0, 10.0, 50.0])),
            capacity=draw(st.integers(0, 2)),
            available_from=draw(st.sampled_from([None, TODAY + timedelta(days=60)])),
        )
        for j in range(n)
    ]


@SETTINGS
@given(
    youths(),
    openings(),
    slots(),
    st.integers(1, 4),
    st.sampled_from([0, 10_000]),
    st.sampled_from([1.0, 2.0, 5.0]),
)
def test_engine_properties(ys, os_, ss, k, exhaustive, multiplier) -> None:  # type: ignore[no-untyped-def]
    cfg = EngineConfig(
        today=TODAY,
        exhaustive_max_pairs=exhaustive,
        seat_multiplier=multiplier,
        candidates_per_youth=3,
        fallback_candidates=2,
    )
    engine = MatchEngine(cfg, TAXONOMY).fit(os_, ss)
    ranked = engine.rank(ys, k)
    assert set(ranked) == {y.id for y in ys}
    by_id_y = {y.id: y for y in ys}
    by_id_o = {o.id: o for o in os_}
    per_target: Counter[int] = Counter()
    for yid, matches in ranked.items():
        assert len(matches) <= k
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
        for m in matches:
            per_target[m.target_id] += 1
            y, o = by_id_y[yid], by_id_o[m.target_id]
            assert 0.0 <= m.score <= 1.0
            assert all(0.0 <= v <= 1.0 for v in m.components.values())
            assert score_opening(engine, y, o) is not None  # every hard constraint holds
            assert (o.start_date or TODAY).year - y.birth_year >= o.min_age
            assert m.reasons and all(r.da and r.en for r in m.reasons)
    for tid, n in per_target.items():
        assert n <= int(np.ceil(multiplier * by_id_o[tid].seats))
    # Zero exclusion: whoever has an allowed opening gets at least one suggestion.
    for y in ys:
        if any(score_opening(engine, y, o) is not None for o in os_):
            assert ranked[y.id], y
    # Determinism, also under permuted input.
    again = MatchEngine(cfg, TAXONOMY).fit(list(reversed(os_)), ss).rank(list(reversed(ys)), k)
    assert again == ranked

    mentors = engine.rank_mentors(ys, k)
    by_id_s = {s.id: s for s in ss}
    per_slot: Counter[int] = Counter()
    for yid, matches in mentors.items():
        assert len(matches) <= k
        for m in matches:
            per_slot[m.target_id] += 1
            assert 0.0 <= m.score <= 1.0
            assert score_slot(engine, by_id_y[yid], by_id_s[m.target_id]) is not None
    for sid, n in per_slot.items():
        assert n <= int(np.ceil(multiplier * by_id_s[sid].capacity))


def sequential_two_stage(yi, tj, score, k, cap, n_youth):  # type: ignore[no-untyped-def]
    order = sorted(range(len(yi)), key=lambda p: (-score[p], yi[p], tj[p]))
    accepted = [False] * len(yi)
    room_t = list(cap)
    for limit in (1, k):
        count = Counter(yi[p] for p in range(len(yi)) if accepted[p])
        for p in order:
            if not accepted[p] and count[yi[p]] < limit and room_t[tj[p]] > 0:
                accepted[p] = True
                count[yi[p]] += 1
                room_t[tj[p]] -= 1
    return accepted


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_allocation_equals_sequential_greedy(data: st.DataObject) -> None:
    n_y = data.draw(st.integers(1, 8))
    n_t = data.draw(st.integers(1, 6))
    pairs = data.draw(
        st.lists(
            st.tuples(st.integers(0, n_y - 1), st.integers(0, n_t - 1)), unique=True, max_size=40
        )
    )
    scores = data.draw(
        st.lists(
            st.sampled_from([0.1, 0.5, 0.5, 0.9, 1.0]), min_size=len(pairs), max_size=len(pairs)
        )
    )
    cap = data.draw(st.lists(st.integers(0, 3), min_size=n_t, max_size=n_t))
    k = data.draw(st.integers(1, 4))
    yi = np.array([p[0] for p in pairs], dtype=np.int64)
    tj = np.array([p[1] for p in pairs], dtype=np.int64)
    score = np.array(scores, dtype=np.float64)
    got = allocate(yi, tj, score, np.arange(n_y), np.arange(n_t), k, np.array(cap), n_y)
    assert got.tolist() == sequential_two_stage(yi.tolist(), tj.tolist(), scores, k, cap, n_y)
    assert all(c <= k for c in np.bincount(yi[got], minlength=n_y))
    assert all(np.bincount(tj[got], minlength=n_t) <= np.array(cap))


def test_allocation_sequential_finish_gives_same_result(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import matcher.allocate as alloc

    rng = np.random.default_rng(3)
    n_y, n_t = 50, 20
    pairs = np.unique(rng.integers(0, [n_y, n_t], size=(600, 2)), axis=0)
    yi, tj = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    score = rng.random(len(yi)).round(2)
    cap = rng.integers(0, 4, size=n_t)
    full = allocate(yi, tj, score, np.arange(n_y), np.arange(n_t), 3, cap, n_y)
    monkeypatch.setattr(alloc, "MAX_ROUNDS", 1)
    short = allocate(yi, tj, score, np.arange(n_y), np.arange(n_t), 3, cap, n_y)
    assert full.tolist() == short.tolist()
    assert full.tolist() == sequential_two_stage(
        yi.tolist(), tj.tolist(), score.tolist(), 3, cap.tolist(), n_y
    )
