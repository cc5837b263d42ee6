"""Occupations inferred from skills, former jobs and interests (matcher/infer.py), and how the
engine uses them: retrieval and scoring of youth without a wish, wishes first, ambiguous
wishes, preferred kinds, reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from matcher import EngineConfig, MatchEngine, Opening, Youth, parallel
from matcher.infer import InferenceSettings, OccupationModel
from matcher.possible import possible_occupations
from matcher.taxonomy import Taxonomy
from tests.matcher.conftest import TODAY


def _model(rows: list[tuple[int, int, float]], isco: list[int], **kw: Any) -> OccupationModel:
    n_occ = len(isco)
    n_skills = max(s for _, s, _ in rows) + 1
    o, s, w = zip(*rows, strict=True)
    mat = sp.csr_matrix((w, (o, s)), shape=(n_occ, n_skills))
    return OccupationModel(mat, np.array(isco), InferenceSettings(**kw))


# Skills 0-9 are specific; 10 is common to every occupation.
COMMON = 10
RELATIONS = [
    (0, 0, 1.0), (0, 1, 1.0), (0, 2, 0.5), (0, COMMON, 1.0),
    (1, 0, 0.5), (1, 3, 1.0), (1, 4, 1.0), (1, COMMON, 1.0),
    (2, 5, 1.0), (2, 6, 1.0), (2, COMMON, 1.0),
    (3, 7, 1.0), (3, 8, 1.0), (3, COMMON, 1.0),
    (4, 9, 1.0), (4, COMMON, 1.0),
]  # fmt: skip
ISCO = [9333, 9333, 5120, 5120, 7231]


@pytest.mark.parametrize("weighting", ["bayes", "idf"])
def test_essential_counts_more_than_optional(weighting: str) -> None:
    model = _model(RELATIONS, ISCO, weighting=weighting)
    inf = model.infer([[0]])  # essential for 0, optional for 1
    top = dict(zip(inf.occ[0].tolist(), inf.prob[0].tolist(), strict=True))
    assert top[0] > top[1] > 0


@pytest.mark.parametrize("weighting", ["bayes", "idf"])
def test_rare_skills_count_more_than_common(weighting: str) -> None:
    model = _model(RELATIONS, ISCO, weighting=weighting)
    inf = model.infer([[9, COMMON]])
    assert inf.occ[0, 0] == 4  # the one occupation with the rare skill
    flat = model.infer([[COMMON]])  # a skill every occupation has says little
    assert flat.prob[0, 0] < inf.prob[0, 0]
    assert flat.prob[0, 0] < 0.5  # no occupation stands out


def test_no_evidence_gives_nothing_and_posterior_is_a_distribution() -> None:
    model = _model(RELATIONS, ISCO)
    inf = model.infer([[], [0, 1], [5]])
    assert (inf.occ[0] == -1).all() and inf.best_gain[0] == 0
    assert inf.prob[1].sum() <= 1.0 + 1e-9 and inf.prob[1, 0] > 0.5
    assert inf.occ[1, 0] == 0 and inf.occ[2, 0] == 2


def test_roll_up_counts_near_occupations() -> None:
    model = _model(RELATIONS, ISCO)
    inf = model.infer([[5, 6]])  # occupation 2 (ISCO 5120)
    rows = np.zeros(3, dtype=np.int64)
    gain = model.expected_gain(inf, rows, np.array([2, 3, 4]))
    assert gain[0] > gain[1] > gain[2] >= 0  # same occupation > same group > elsewhere
    assert (
        gain[1]
        >= 0.5 * inf.prob[0, 0] * 0
        + 0.5 * dict(zip(inf.occ[0].tolist(), inf.prob[0].tolist(), strict=True))[2]
        - 1e-9
    )


def test_former_job_and_interests_are_evidence() -> None:
    model = _model(RELATIONS, ISCO)
    inf = model.infer([[]], experience=[[3]])
    assert inf.occ[0, 0] == 3  # the former job itself
    assert 2 in inf.occ[0].tolist()  # and its ISCO 4-digit group
    weak = model.infer([[5]], interests=[["biler"]])  # biler -> 7231 (occupation 4)
    assert weak.occ[0, 0] == 2  # an interest never outweighs a skill


def test_former_jobs_and_interests_give_the_stated_evidence_cell_by_cell() -> None:
    """The evidence of former jobs and interests, as the module states it: a job's occupation
    ``experience_nats``, the others of its ISCO 4-digit group half of it, an occupation
    without a group itself only; an interest ``interest_nats`` on its groups' occupations."""
    isco = [9333, 9333, 5120, -1, 7231]
    model = _model(RELATIONS, isco)
    st = model.settings
    ll = model.log_evidence([[], [], [], []], [[0], [3], [-1, 2, 0], []], [[], [], [], ["biler"]])
    dense = ll.toarray()
    nats = st.experience_nats
    assert dense[0].tolist() == [nats, nats / 2, 0, 0, 0]  # occupation 1 shares its group
    assert dense[1].tolist() == [0, 0, 0, nats, 0]  # no ISCO code: itself only
    assert dense[2].tolist() == [nats, nats / 2, nats, 0, 0]  # unknown (-1) jobs are skipped
    assert dense[3].tolist() == [0, 0, 0, 0, st.interest_nats]  # biler -> 7231


def test_inference_on_threads_equals_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are inferred in independent chunks on the engine's threads: the result is the
    one-thread result, bit for bit, whichever thread finishes first."""
    model = _model(RELATIONS, ISCO)
    skills = [[0], [5, 6], [], [9, COMMON], [0, 1, 2], [7]] * 7
    experience = [[3], [], [1], [], [], [4]] * 7
    interests = [[], ["biler"], [], [], ["biler"], []] * 7
    monkeypatch.setattr(parallel, "WORKERS", 1)
    alone = model.infer(skills, experience, interests, chunk=4)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    shared = model.infer(skills, experience, interests, chunk=4)
    for name in ("occ", "prob", "gain", "best_gain", "group"):
        assert np.array_equal(getattr(alone, name), getattr(shared, name)), name


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="weighting"):
        InferenceSettings(weighting="magic")
    with pytest.raises(ValueError, match="smoothing"):
        InferenceSettings(smoothing=0)
    with pytest.raises(ValueError, match="preferred_kinds"):
        Youth(id=1, birth_year=2004, postcode="2600", preferred_kinds=("cruise",))


# --- the engine on the real taxonomy ---------------------------------------------------------

WAREHOUSE_SKILLS = ("gaffeltruck", "pakning", "lagerstyring", "rengøring")


def _engine(tx: Taxonomy, openings: list[Opening], **cfg: Any) -> MatchEngine:
    return MatchEngine(EngineConfig(today=TODAY, **cfg), tx).fit(openings)


def _many_openings(make_opening: Callable[..., Opening]) -> list[Opening]:
    titles = ["Kok", "Frisør", "Salgsassistent", "Tømrer", "Rengøringsassistent", "Bager"]
    others = [make_opening(title=t, postcode="2600") for t in titles for _ in range(3)]
    return [*others, make_opening(id=1, title="Flyttearbejder", postcode="2605")]


@pytest.mark.parametrize("exhaustive", [10_000_000, 0])  # exact path, retrieval path
def test_youth_without_wish_gets_the_occupation_their_skills_point_to(
    real_taxonomy: Taxonomy,
    make_youth: Callable[..., Youth],
    make_opening: Callable[..., Opening],
    exhaustive: int,
) -> None:
    openings = _many_openings(make_opening)
    engine = _engine(
        real_taxonomy,
        openings,
        exhaustive_max_pairs=exhaustive,
        candidates_per_youth=3,
        fallback_candidates=0,
    )
    youth = make_youth(skills=WAREHOUSE_SKILLS)
    ranked = engine.rank([youth], 3)[youth.id]
    assert ranked[0].target_id == 1  # farther away than the others, but what the skills say
    why = [r.da for r in ranked[0].reasons]
    assert any(w.startswith("Kompetencerne bruges som flyttearbejder (") for w in why), why
    en = [r.en for r in ranked[0].reasons]
    assert any(w.startswith("The skills are used as mover (") for w in en), en
    assert ranked[0].components["inferred"] == pytest.approx(1.0)


def test_a_wish_comes_before_the_skills(
    real_taxonomy: Taxonomy, make_youth: Callable[..., Youth], make_opening: Callable[..., Opening]
) -> None:
    openings = [make_opening(id=1, title="Flyttearbejder"), make_opening(id=2, title="Kok")]
    engine = _engine(real_taxonomy, openings)
    youth = make_youth(skills=WAREHOUSE_SKILLS, wished_occupations=("kok",))
    ranked = engine.rank([youth], 2)[youth.id]
    assert [m.target_id for m in ranked] == [2, 1]


def test_an_ambiguous_wish_is_read_through_the_skills(
    real_taxonomy: Taxonomy, make_youth: Callable[..., Youth], make_opening: Callable[..., Opening]
) -> None:
    tx = real_taxonomy
    from matcher.encode import Vocabulary

    readings = Vocabulary(tx).wish_hits(["pædagogmedhjælper"])[0]
    assert len(readings) > 1
    a, b = readings[0], readings[1]
    skills_a = tx.occupation_model.skill_sets[a].indices[:4]
    openings = [
        make_opening(id=1, title="Stilling", occupation_uri=tx.occ_uris[b]),
        make_opening(id=2, title="Stilling", occupation_uri=tx.occ_uris[a]),
    ]
    engine = _engine(real_taxonomy, openings)
    youth = make_youth(
        wished_occupations=("pædagogmedhjælper",),
        skills=tuple(tx.skill_uris[s] for s in skills_a),
    )
    ranked = engine.rank([youth], 2)[youth.id]
    assert ranked[0].target_id == 2
    assert ranked[0].components["occupation"] > ranked[1].components["occupation"]


def test_preferred_kind_is_a_soft_preference(
    real_taxonomy: Taxonomy, make_youth: Callable[..., Youth], make_opening: Callable[..., Opening]
) -> None:
    openings = [
        make_opening(id=1, title="Kok", kind="job"),
        make_opening(id=2, title="Kok", kind="apprenticeship"),
    ]
    engine = _engine(real_taxonomy, openings)
    youth = make_youth(wished_occupations=("kok",), preferred_kinds=("apprenticeship",))
    ranked = engine.rank([youth], 2)[youth.id]
    assert [m.target_id for m in ranked] == [2, 1]  # both proposed, the preferred kind first
    assert any(r.code == "kind_preferred" for r in ranked[0].reasons)
    assert any(r.en == "Not the kind the young person prefers (job)" for r in ranked[1].reasons)


def test_no_wish_and_no_skills_still_gets_what_is_near(
    real_taxonomy: Taxonomy, make_youth: Callable[..., Youth], make_opening: Callable[..., Opening]
) -> None:
    engine = _engine(real_taxonomy, [make_opening(id=1, title="Kok")])
    youth = make_youth()
    ranked = engine.rank([youth], 2)[youth.id]
    assert [m.target_id for m in ranked] == [1]
    assert any(r.code == "nearby_only" for r in ranked[0].reasons)


def test_possible_occupations_name_the_skills_in_both_languages(
    real_taxonomy: Taxonomy, make_youth: Callable[..., Youth]
) -> None:
    youth = make_youth(skills=WAREHOUSE_SKILLS, former_jobs=("lagerarbejder",))
    found = possible_occupations(real_taxonomy, youth, 5)
    assert 1 <= len(found) <= 5
    assert [f.probability for f in found] == sorted((f.probability for f in found), reverse=True)
    best = found[0]
    assert best.matched >= 2 and best.recognised == 4
    assert best.skills("da") and best.skills("en")
    assert best.label("en") != best.label("da")
    assert any(f.from_experience for f in found)
    assert possible_occupations(real_taxonomy, make_youth(), 5) == []
