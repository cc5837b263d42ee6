from collections.abc import Callable
from datetime import date, timedelta

import pytest

from matcher import EngineConfig, Match, MatchEngine, Opening, Taxonomy, Youth
from tests.matcher.conftest import OCC, TODAY

WAREHOUSE = OCC + "warehouse"

EngineFor = Callable[..., MatchEngine]


def ids(matches: list[Match]) -> list[int]:
    return [m.target_id for m in matches]


def test_wish_lagerarbejder_fits_warehouse_opening(
    engine_for: EngineFor, make_youth, make_opening
) -> None:
    warehouse = make_opening(
        title="Medarbejder til lager",
        occupation_uri=WAREHOUSE,
        required_skills=("gaffeltruck", "monitor stock level"),
    )
    cook = make_opening(title="Kok", occupation_uri=OCC + "cook")
    porter = make_opening(title="Transportarbejder", occupation_uri=OCC + "porter")
    engine = engine_for([cook, porter, warehouse])
    youth = make_youth(wished_occupations=("Lagerarbeider",), skills=("truckkørsel",))
    ranked = engine.rank([youth], k=3)[youth.id]
    assert ids(ranked) == [warehouse.id, porter.id, cook.id]
    best = ranked[0]
    assert best.components["occupation"] == 1.0
    assert best.components["skills_required"] == 0.5
    assert ranked[1].components["occupation"] == 0.5  # same ISCO 3-digit group (933)
    assert all(0.0 <= m.score <= 1.0 for m in ranked)
    assert best.reasons[0].da == "Ønsker at arbejde som lagerarbejder"
    assert best.reasons[0].en == "Wishes to work as warehouse worker"


def test_skills_typed_as_former_occupation_count_half(
    engine_for: EngineFor, make_youth, make_opening
) -> None:
    opening = make_opening(required_skills=("operate forklift", "monitor stock level", "dishes"))
    engine = engine_for([opening])
    youth = make_youth(skills=("lagerarbejde",))  # a former job, not a skill
    m = engine.rank([youth], 1)[youth.id][0]
    assert m.components["skills_required"] == pytest.approx((0.5 + 0.5 + 0.0) / 3)
    assert any(r.code == "skills_partial" for r in m.reasons)


@pytest.mark.parametrize(
    ("youth_kw", "opening_kw"),
    [
        ({"birth_year": 2010}, {"min_age": 18}),  # 16 in 2026
        ({"driving_licence": False}, {"driving_licence_required": True}),
        ({"hours_min": 30.0, "hours_max": 37.0}, {"hours_min": 8.0, "hours_max": 15.0}),
        (
            {"available_from": TODAY + timedelta(days=90)},
            {"start_date": TODAY + timedelta(days=10)},
        ),
        ({"languages": ("ar",)}, {"languages": ("da",)}),
        ({"max_commute_km": 5.0, "postcode": "2600"}, {"postcode": "2300"}),
        ({"postcode": "0000"}, {}),
        ({}, {"postcode": "0000"}),
        ({"status": "paused"}, {}),
        ({}, {"status": "draft"}),
        ({}, {"expires": TODAY - timedelta(days=1)}),
    ],
)
def test_hard_constraints_cut_pairs(
    engine_for: EngineFor,
    make_youth,
    make_opening,
    youth_kw: dict[str, object],
    opening_kw: dict[str, object],
) -> None:
    opening = make_opening(**opening_kw)
    youth = make_youth(**youth_kw)
    engine = engine_for([opening])
    assert engine.rank([youth], 5) == {youth.id: []}
    assert engine.match_opening(opening, 5, index=engine.index([youth])) == []


def test_min_age_uses_the_start_year(engine_for: EngineFor, make_youth, make_opening) -> None:
    youth = make_youth(birth_year=2010)  # 16 in 2026, 17 in 2027
    later = make_opening(min_age=17, start_date=date(2027, 1, 5))
    now = make_opening(min_age=17, start_date=date(2026, 12, 1))
    assert ids(engine_for([later, now]).rank([youth], 5)[youth.id]) == [later.id]


def test_start_date_tolerance(engine_for: EngineFor, make_youth, make_opening) -> None:
    opening = make_opening(start_date=TODAY + timedelta(days=10))
    youth = make_youth(available_from=TODAY + timedelta(days=25))
    m = engine_for([opening], start_tolerance_days=30).rank([youth], 1)[youth.id][0]
    assert m.components["start"] == pytest.approx(1 - 15 / 31)
    assert any(r.code == "start_late" and "15" in r.da for r in m.reasons)


def test_empty_populations(engine_for: EngineFor, make_youth, make_opening) -> None:
    assert engine_for([]).rank([make_youth()], 3) == {1: []}
    assert engine_for([make_opening()]).rank([], 3) == {}
    assert engine_for([]).rank_mentors([], 3) == {}
    engine = engine_for([make_opening()])
    assert engine.match_opening(make_opening(), 3, index=engine.index([])) == []


def test_bad_calls_raise_clear_errors(
    engine_for: EngineFor, make_youth, make_opening, tiny_taxonomy: Taxonomy
) -> None:
    engine = engine_for([make_opening()])
    y = make_youth()
    with pytest.raises(ValueError, match="k must be an int >= 1"):
        engine.rank([y], 0)
    with pytest.raises(ValueError, match="duplicate youth ids: 7"):
        engine.rank([make_youth(id=7), make_youth(id=7)], 3)
    with pytest.raises(ValueError, match="duplicate opening ids: 3"):
        engine_for([make_opening(id=3), make_opening(id=3)])
    with pytest.raises(ValueError, match="not fitted"):
        MatchEngine(taxonomy=tiny_taxonomy).rank([y], 3)
    with pytest.raises(ValueError, match="needs a Taxonomy"):
        MatchEngine().fit([])
    with pytest.raises(ValueError, match="youth index"):
        engine.match_opening(make_opening(), 3)


def test_zero_exclusion_youth_without_overlap_gets_nearby(
    engine_for: EngineFor, make_youth, make_opening
) -> None:
    near = make_opening(title="Kok", occupation_uri=OCC + "cook", postcode="2605")
    far = make_opening(title="Kok", occupation_uri=OCC + "cook", postcode="2300")
    youth = make_youth(wished_occupations=("astronaut",), max_commute_km=30.0)
    for exhaustive in (2_000_000, 0):  # exact path and retrieval path
        ranked = engine_for([far, near], exhaustive_max_pairs=exhaustive).rank([youth], 5)
        assert ids(ranked[youth.id]) == [near.id, far.id]
        assert any(r.code == "nearby_only" for r in ranked[youth.id][0].reasons)


def test_capacity_spreads_suggestions(engine_for: EngineFor, make_youth, make_opening) -> None:
    popular = make_opening(occupation_uri=WAREHOUSE, seats=1)
    other = make_opening(title="Rengøring", occupation_uri=OCC + "cleaner", seats=1)
    youths = [make_youth(wished_occupations=("lagerarbejder",)) for _ in range(5)]
    ranked = engine_for([popular, other], seat_multiplier=2.0).rank(youths, 2)
    offered = [m.target_id for ms in ranked.values() for m in ms]
    assert offered.count(popular.id) == 2 and offered.count(other.id) == 2
    # Two youth got the popular one; the others still got something.
    assert sum(1 for ms in ranked.values() if ms) == 4


def test_determinism_and_order_independence(
    engine_for: EngineFor, make_youth, make_opening
) -> None:
    openings = [
        make_opening(title=t, occupation_uri=OCC + o, postcode=p)
        for t, o, p in [
            ("Lager", "warehouse", "2600"),
            ("Kok", "cook", "2605"),
            ("Butik", "shop", "2300"),
            ("Lager", "warehouse", "2605"),
        ]
    ]
    youths = [
        make_youth(wished_occupations=(w,), postcode=p)
        for w, p in [("lagerarbejder", "2600"), ("kok", "2300"), ("ekspedient", "2605")]
    ]
    a = engine_for(openings).rank(youths, 3)
    b = engine_for(list(reversed(openings))).rank(list(reversed(youths)), 3)
    assert a == b


def test_rank_mentors(engine_for: EngineFor, make_youth, make_slot) -> None:
    football = make_slot(interests=("fodbold", "musik"), capacity=2)
    chess = make_slot(interests=("skak",), postcode="2605")
    far = make_slot(interests=("fodbold",), postcode="9000")
    arabic = make_slot(interests=("fodbold",), languages=("ar",))
    full = make_slot(interests=("fodbold",), capacity=0)
    engine = engine_for([], [football, chess, far, arabic, full])
    youth = make_youth(interests=("Fodbol",), languages=("da", "en"), needs_mentor=True)
    ranked = engine.rank_mentors([youth], 5)[youth.id]
    assert ids(ranked) == [football.id, chess.id]
    assert ranked[0].components["interests"] == 1.0
    assert ranked[0].reasons[0].da == "Fælles interesser: fodbold"


def test_fast_paths_agree_with_full_scores(engine_for: EngineFor, make_youth, make_opening) -> None:
    openings = [make_opening(occupation_uri=WAREHOUSE), make_opening(title="Kok", postcode="2605")]
    youths = [
        make_youth(wished_occupations=("lagerarbejder",)),
        make_youth(wished_occupations=("kok",)),
        make_youth(postcode="8000"),
    ]
    engine = engine_for(openings)
    found = engine.match_opening(openings[0], 5, index=engine.index(youths))
    assert [m.target_id for m in found] == [youths[0].id, youths[1].id]
    assert all(m.target_kind == "youth" for m in found)
    full = engine.rank(youths, 2)
    by_pair = {(y, m.target_id): m.score for y, ms in full.items() for m in ms}
    for m in found:
        assert by_pair[(m.target_id, openings[0].id)] == pytest.approx(m.score, abs=1e-12)


def test_duplicate_and_foreign_input_types(engine_for: EngineFor, make_youth) -> None:
    engine = engine_for([])
    with pytest.raises(ValueError, match="expects Youth"):
        engine.rank([object()], 3)  # type: ignore[list-item]


def test_custom_weights_change_the_order(engine_for: EngineFor, make_youth, make_opening) -> None:
    near_other = make_opening(title="Rengøring", occupation_uri=OCC + "cleaner", postcode="2600")
    far_wished = make_opening(occupation_uri=WAREHOUSE, postcode="4000")
    youth = make_youth(wished_occupations=("lagerarbejder",), max_commute_km=40.0)
    default = engine_for([near_other, far_wished]).rank([youth], 2)[youth.id]
    assert default[0].target_id == far_wished.id
    only_distance = engine_for([near_other, far_wished], opening_weights={"distance": 1.0}).rank(
        [youth], 2
    )[youth.id]
    assert only_distance[0].target_id == near_other.id
    assert set(only_distance[0].components) == {"distance"}


def test_youth_order_and_config_default(tiny_taxonomy: Taxonomy) -> None:
    engine = MatchEngine(taxonomy=tiny_taxonomy).fit([Opening(id=1, title="Kok", postcode="2600")])
    out = engine.rank(
        [
            Youth(id=9, birth_year=2000, postcode="2600"),
            Youth(id=3, birth_year=2000, postcode="2600"),
        ],
        1,
    )
    assert list(out) == [3, 9]
    assert isinstance(engine.config_, EngineConfig)
