from datetime import timedelta

import numpy as np

from matcher.explain import TEMPLATES, reason, reason_text
from tests.matcher.conftest import OCC, TODAY


def test_every_template_renders_in_both_languages() -> None:
    for code, (names, _da, _en) in TEMPLATES.items():
        r = reason(code, *[3] * len(names))
        assert r.code == code and r.da and r.en and r.da != r.en or not names
        assert dict(r.params) == dict.fromkeys(names, 3)


def test_opening_reasons_danish_and_english(engine_for, make_youth, make_opening) -> None:  # type: ignore[no-untyped-def]
    opening = make_opening(
        occupation_uri=OCC + "warehouse",
        postcode="2300",
        required_skills=("gaffeltruck", "stock shelves", "monitor stock level", "wash the dishes"),
        nice_skills=("rengøring",),
        hours_min=20.0,
        hours_max=30.0,
        start_date=TODAY,
        mentor_at_workplace=True,
    )
    youth = make_youth(
        wished_occupations=("lagerarbejder",),
        max_commute_km=20.0,
        skills=("truckkørsel", "stock shelves", "monitor stock level", "rengoring"),
        hours_min=25.0,
        hours_max=37.0,
        needs_mentor=True,
        available_from=TODAY + timedelta(days=3),
    )
    m = engine_for([opening]).rank([youth], 1)[youth.id][0]
    da = [r.da for r in m.reasons]
    en = [r.en for r in m.reasons]
    assert da == [
        "Ønsker at arbejde som lagerarbejder",
        "3 af 4 krævede kompetencer",
        "1 af 1 ønskede kompetencer",
        "Stillingsteksten ligner den unges ønsker og kompetencer",
        "13 km fra hjemmet, maks. 20",
        "Timetallet passer delvist (25–30 t/uge)",
        "Kan starte 3 dage efter startdatoen",
        "Mentor på arbejdspladsen",
    ]
    assert en == [
        "Wishes to work as warehouse worker",
        "3 of 4 required skills",
        "1 of 1 nice-to-have skills",
        "The job text resembles the young person's wishes and skills",
        "13 km from home, max 20",
        "Hours partly fit (25–30 h/week)",
        "Can start 3 days after the start date",
        "Mentor at the workplace",
    ]
    assert m.reasons[1].as_dict()["params"] == {"covered": 3, "total": 4}


def test_group_reason_names_the_isco_group(engine_for, make_youth, make_opening) -> None:  # type: ignore[no-untyped-def]
    opening = make_opening(title="Transportarbejder", occupation_uri=OCC + "porter")
    youth = make_youth(wished_occupations=("lagerarbejder",))
    m = engine_for([opening]).rank([youth], 1)[youth.id][0]
    assert m.reasons[0].code == "occupation_field"
    assert (
        m.reasons[0].en == "In the same occupational field as the wish to work as warehouse worker"
    )


def test_mentor_reasons(engine_for, make_youth, make_slot) -> None:  # type: ignore[no-untyped-def]
    slot = make_slot(
        interests=("Musik", "fodbold"),
        languages=("ar", "da"),
        capacity=2,
        available_from=TODAY + timedelta(days=10),
    )
    youth = make_youth(interests=("musik", "fodbold"), languages=("ar",))
    m = engine_for([], [slot]).rank_mentors([youth], 1)[youth.id][0]
    assert [r.da for r in m.reasons] == [
        "Fælles interesser: fodbold, musik",
        "Mentoren taler den unges førstesprog (ar)",
        "0 km mellem den unge og mentoren",
        "Ledige pladser hos mentoren: 2",
        "Mentoren er ledig om 10 dage",
    ]
    assert m.reasons[-1].en == "The mentor is available in 10 days"


def test_groups_of_key_rows_are_those_of_a_row_wise_unique() -> None:
    import numpy as np

    from matcher.explain import _groups

    rng = np.random.default_rng(5)
    for size in (1, 7, 300):
        ints = rng.integers(-3, 4, size)
        floats = rng.choice([0.5, 1.0, 2.5, 12.0], size)
        flags = rng.random(size) < 0.5
        for keys in ([ints], [floats], [ints, floats, flags], [floats, floats * 2], [ints * 999]):
            first, inverse = _groups(keys)
            stacked = np.stack([k.astype(np.float64) for k in keys], axis=1)
            _, u_first, u_inverse = np.unique(
                stacked, axis=0, return_index=True, return_inverse=True
            )
            # The same partition, each group's first position the same.
            assert sorted(first.tolist()) == sorted(u_first.tolist())
            assert (first[inverse] == u_first[u_inverse.reshape(-1)]).all()


def test_a_reasons_numbers_are_written_as_its_language_writes_them() -> None:
    distance = reason("distance", 6.7, 15.0)
    assert distance.da == "6,7 km fra hjemmet, maks. 15"
    assert distance.en == "6.7 km from home, max 15"
    assert reason_text("hours_fit", {"min": 1234.5, "max": 40}, "da") == (
        "Timetallet passer (1.234,5–40 t/uge)"
    )
    assert reason_text("hours_fit", {"min": 1234.5, "max": 40}, "en_GB") == (
        "Hours fit (1,234.5–40 h/week)"
    )
    # The parameters are plain Python values, stored as JSON beside the code by the nightly
    # run: no parameter is named "code".
    assert all("code" not in names for names, _, _ in TEMPLATES.values())
    late = reason("start_late", np.int64(3))
    assert late.params == (("days", 3),) and type(late.params[0][1]) is int
    assert reason_text(late.code, dict(late.params), "da") == late.da


def test_mentor_reasons_by_column_equal_the_pair_by_pair_reasons(real_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """The mentor reasons, column by column (interest bit masks), are the very reasons the
    pair-by-pair loop gives (the same cached objects, in the same order) for every scored
    mentor pair of a small population."""
    from matcher import EngineConfig, MatchEngine
    from matcher.blocking import PairContext
    from matcher.explain import _mentor_reasons_by_pair, mentor_reasons
    from matcher.synthetic import generate

    pop = generate(
        real_taxonomy, n_youth=300, n_openings=50, n_slots=60, random_state=3, today=TODAY
    )
    engine = MatchEngine(EngineConfig(today=TODAY), real_taxonomy).fit(
        pop.openings, pop.mentor_slots
    )
    youth = engine.index(pop.youths)
    rows = np.arange(len(youth))
    slots = engine.slots_
    yi, tj = np.repeat(rows, len(slots)), np.tile(np.arange(len(slots)), len(youth))
    ctx = engine._context(youth, slots, yi, tj)
    keep = np.isfinite(ctx.dist)
    ctx = PairContext(youth, slots, yi[keep], tj[keep], ctx.dist[keep], ctx.today, ctx.tolerance)
    labels = engine.interest_labels_
    assert len(ctx.yi) > 1000 and len(labels) < 63
    want = _mentor_reasons_by_pair(ctx, engine.vocab_, labels)
    got = mentor_reasons(ctx, {}, engine.vocab_, labels)
    assert got == want
    assert all(a is b for g, w in zip(got, want, strict=True) for a, b in zip(g, w, strict=True))
    codes = {r.code for rs in got for r in rs}
    assert {"interests_shared", "language_first", "mentor_distance", "capacity"} <= codes
