"""Learning from decisions (matcher/learn.py), proven on simulated caseworkers
(bench/learning_bench.py): it helps when they have hidden preferences, does nothing when they
decide at random, and never crosses a guard rail."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from bench import learning_bench as sim
from matcher.compare import OPENING_COMPONENTS
from matcher.config import DEFAULT_OPENING_WEIGHTS
from matcher.learn import (
    ALLOWED_COMPONENTS,
    MAX_WEIGHT,
    MIN_DECISIONS,
    MIN_WEIGHT,
    Decisions,
    GuardRailError,
    check_components,
    check_guard_rails,
    evaluate,
    learn_weights,
    weight_change,
    why_not,
)

SIZE = (700, 300, 5)  # young people, openings, weeks (the rest of the youth are the fresh cohort)


@pytest.fixture(scope="module")
def world(real_taxonomy):
    return sim.setup(real_taxonomy, *SIZE, seed=1)


def _learn(world, preference):
    decisions = sim.decide_weeks(world, preference, seed=1)
    return decisions, learn_weights(decisions, DEFAULT_OPENING_WEIGHTS)


def test_hidden_preferences_are_learned_and_raise_approvals_and_ndcg(world):
    decisions, proposal = _learn(world, sim.hidden_probability)
    assert len(decisions) >= MIN_DECISIONS
    assert proposal.p_value < 0.01 and proposal.shrinkage > 0.5
    # The start rule is what these caseworkers care about most after the occupation.
    assert proposal.weights["start"] > 2 * DEFAULT_OPENING_WEIGHTS["start"]
    # Distance, against the components that do not carry the wish or the start rule, counts
    # at least twice what it counts in the default weights (as the hidden preference does).
    rest = ("skills_required", "skills_nice", "text", "hours", "mentor", "kind")

    def distance_share(w: Mapping[str, float]) -> float:
        return w["distance"] / sum(w[c] for c in rest)

    assert distance_share(proposal.weights) > 2 * distance_share(DEFAULT_OPENING_WEIGHTS)
    # Held out (the most recent decisions): the learned weights separate better.
    assert proposal.holdout_learned["auc"] > proposal.holdout_current["auc"]
    assert proposal.holdout_learned["ndcg"] >= proposal.holdout_current["ndcg"]
    # A fresh cohort the fit never saw, ranked by the real engine with both configs.
    default, learned = sim.compare(world, proposal.weights, sim.hidden_probability)
    assert learned["approval_top"] > default["approval_top"] + 0.01
    assert learned["approval_rate"] > default["approval_rate"]
    assert learned["ndcg"] > default["ndcg"] + 0.005


def test_random_decisions_do_not_move_the_weights(world):
    _decisions, proposal = _learn(world, sim.random_probability)
    assert proposal.shrinkage == 0 and "no_evidence" in proposal.notes
    assert weight_change(proposal.weights, DEFAULT_OPENING_WEIGHTS) < 0.005


def _dislikes_wish(components: Mapping[str, float]) -> float:
    """Caseworkers who ignore the young person's wish and only look at distance."""
    if components.get("occupation", 0.0) > 0.5:
        return 0.05
    return float(np.clip(components.get("distance", 0.0), 0.02, 0.98))


def test_learning_never_breaks_a_guard_rail(world):
    _decisions, proposal = _learn(world, _dislikes_wish)
    assert proposal.coefficients["occupation"] < 0  # the data say: ignore the wish ...
    weights = proposal.weights
    check_guard_rails(weights)  # ... the wish keeps the largest weight all the same
    assert weights["occupation"] == max(weights.values())
    assert all(MIN_WEIGHT * 0.999 <= w <= MAX_WEIGHT * 1.001 for w in weights.values())
    assert set(weights) <= set(ALLOWED_COMPONENTS)
    # Hard constraints are rules, not components: the learned engine proposes only pairs the
    # rules allow (the same set as with the default weights).
    learned = world.engine_for(weights)
    allowed_y, allowed_t, _ = learned.allowed_pairs(world.fresh)
    allowed = set(zip(allowed_y.tolist(), allowed_t.tolist(), strict=True))
    ranked = learned.rank(world.fresh, k=10)
    assert ranked and all(
        (youth, m.target_id) in allowed for youth, matches in ranked.items() for m in matches
    )
    default_y, default_t, _ = world.engine_for(DEFAULT_OPENING_WEIGHTS).allowed_pairs(world.fresh)
    assert set(zip(default_y.tolist(), default_t.tolist(), strict=True)) == allowed


def test_components_are_on_the_allow_list_and_none_is_protected():
    check_components(tuple(OPENING_COMPONENTS))
    with pytest.raises(GuardRailError):
        check_components((*OPENING_COMPONENTS, "first_language"))
    with pytest.raises(GuardRailError):
        check_guard_rails(dict(DEFAULT_OPENING_WEIGHTS) | {"distance": 0.9})


def _rows(n: int, rng: np.random.Generator) -> list[dict]:
    return [
        {
            "components": {c: float(rng.random()) for c in DEFAULT_OPENING_WEIGHTS},
            "label": int(rng.random() < 0.5),
            "youth": i // 10,
            "order": i,
        }
        for i in range(n)
    ]


def test_too_few_decisions_give_no_proposal():
    rng = np.random.default_rng(0)
    few = Decisions.from_rows(_rows(MIN_DECISIONS - 1, rng))
    assert why_not(few)
    with pytest.raises(ValueError, match="fewer than"):
        learn_weights(few, DEFAULT_OPENING_WEIGHTS)
    assert why_not(Decisions.from_rows(_rows(MIN_DECISIONS, rng))) is None


def test_evaluation_figures_against_a_hand_computed_case():
    rows = [
        {"components": {"occupation": 1.0, "distance": 0.0}, "label": 1, "youth": 1, "order": 1},
        {"components": {"occupation": 0.0, "distance": 1.0}, "label": 0, "youth": 1, "order": 2},
        {"components": {"occupation": 0.5, "distance": 0.5}, "label": 0, "youth": 2, "order": 3},
        {"components": {"occupation": 0.0, "distance": 0.2}, "label": 1, "youth": 2, "order": 4},
    ]
    data = Decisions.from_rows(rows)
    figures = evaluate(data, {"occupation": 1.0, "distance": 0.0})
    # Scores 1, 0 | 0.5, 0: the approved item is first for youth 1 and last for youth 2.
    assert figures["ndcg"] == pytest.approx((1.0 + 1 / np.log2(3)) / 2)
    assert figures["auc"] == pytest.approx(0.625)  # pairs: 1>0, 1>0.5, 0=0 (half), 0<0.5
    assert figures["top3_approval"] == pytest.approx(0.5)
