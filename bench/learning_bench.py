"""Does learning from decisions help? Simulated caseworkers with hidden preferences.

Run: ``python -m bench learning [--scale small|national]``

A synthetic population (``matcher.synthetic.generate``) is split into weekly cohorts of young
people. Each simulated week the engine ranks a cohort's openings with the weights in force,
and simulated caseworkers decide every suggestion by a preference the engine does not know:

* ``hidden``: they value distance twice as much as the default weights do, and reject an
  opening whose start is far from when the young person is available (start component
  below 0.5); they approve with probability ``sigmoid(12 * (utility - 0.55))``;
* ``random``: they approve half of everything, whatever it is.

After N weeks :func:`matcher.learn.learn_weights` fits the decisions; a fresh cohort (never
seen in the fit) is ranked with the default and with the learned weights, and the expected
approval rate of its lists and the NDCG of the approved items (approval probabilities as
gains) are compared. Printed: the weights, the held-out figures of the fit and the figures
on the fresh cohort. tests/test_learning.py runs the same simulation at a small size.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.metrics import ndcg_score

from matcher import EngineConfig, Match, MatchEngine, Youth
from matcher.config import DEFAULT_OPENING_WEIGHTS
from matcher.learn import Decisions, Proposal, learn_weights
from matcher.synthetic import SyntheticPopulation, generate

TODAY = date(2026, 11, 28)
K = 10
#: The first suggestions of a list: what a caseworker reads first (and the digest shows).
TOP = 3
#: A few neighbouring municipalities (Copenhagen and around): many openings within reach of
#: each young person, so the weights decide which ten are proposed.
AREA = ("101", "147", "151", "153", "157", "159", "161", "163", "165", "167", "169", "173")
SCALES = {"small": (1_200, 400, 6), "national": (6_000, 2_000, 8)}


def hidden_weights() -> dict[str, float]:
    """The simulated caseworkers' own weights: distance counts twice the default."""
    weights = dict(DEFAULT_OPENING_WEIGHTS)
    weights["distance"] *= 2
    return weights


def hidden_probability(components: Mapping[str, float]) -> float:
    """How likely a simulated caseworker with hidden preferences approves a suggestion."""
    weights = hidden_weights()
    total = sum(weights.values())
    utility = sum(w * float(components.get(n, 0.0)) for n, w in weights.items()) / total
    if float(components.get("start", 1.0)) < 0.8:  # the start is too far from availability
        return 0.02
    return float(1.0 / (1.0 + np.exp(-15.0 * (utility - 0.28))))


def random_probability(components: Mapping[str, float]) -> float:
    return 0.5


Preference = Callable[[Mapping[str, float]], float]
PREFERENCES: dict[str, Preference] = {"hidden": hidden_probability, "random": random_probability}


@dataclass
class Simulation:
    population: SyntheticPopulation
    engine_for: Callable[[Mapping[str, float]], MatchEngine]
    cohorts: list[list[Youth]]
    fresh: list[Youth]
    rows: list[dict[str, Any]] = field(default_factory=list)


def setup(taxonomy: Any, n_youth: int, n_openings: int, weeks: int, seed: int = 0) -> Simulation:
    pop = generate(
        taxonomy, n_youth, n_openings, 0, random_state=seed, today=TODAY, municipalities=AREA
    )
    youths = list(pop.youths)
    per_week = len(youths) // (weeks + 1)
    cohorts = [youths[i * per_week : (i + 1) * per_week] for i in range(weeks)]
    fresh = youths[weeks * per_week :]

    def engine_for(weights: Mapping[str, float]) -> MatchEngine:
        config = EngineConfig(opening_weights=dict(weights), today=TODAY)
        return MatchEngine(config, taxonomy).fit(pop.openings, ())

    return Simulation(pop, engine_for, cohorts, fresh)


def decide_weeks(sim: Simulation, preference: Preference, seed: int = 0) -> Decisions:
    """Simulated weeks with the default weights: every suggestion decided, as decision rows."""
    rng = np.random.default_rng(seed)
    engine = sim.engine_for(DEFAULT_OPENING_WEIGHTS)
    rows: list[dict[str, Any]] = []
    for week, cohort in enumerate(sim.cohorts):
        for youth_id, matches in engine.rank(cohort, k=K).items():
            for place, match in enumerate(matches):
                approved = rng.random() < preference(match.components)
                rows.append(
                    {
                        "components": dict(match.components),
                        "label": int(approved),
                        "youth": youth_id,
                        "order": week * 1000 + place,
                    }
                )
    sim.rows = rows
    return Decisions.from_rows(rows)


def list_figures(ranked: Mapping[int, Sequence[Match]], preference: Preference) -> dict[str, float]:
    """Expected approval rate of the lists and NDCG of approved items (probabilities as gains)."""
    probabilities: list[float] = []
    top: list[float] = []
    ndcgs: list[float] = []
    for matches in ranked.values():
        p = np.array([preference(m.components) for m in matches])
        probabilities.extend(p.tolist())
        top.extend(p[:TOP].tolist())  # matches come best first
        if len(p) >= 2 and p.sum() > 0:
            scores = np.array([m.score for m in matches])
            ndcgs.append(float(ndcg_score(p[None, :], scores[None, :])))
    return {
        "approval_rate": float(np.mean(probabilities)) if probabilities else 0.0,
        "approval_top": float(np.mean(top)) if top else 0.0,
        "ndcg": float(np.mean(ndcgs)) if ndcgs else 0.0,
        "suggestions": float(len(probabilities)),
    }


def compare(sim: Simulation, weights: Mapping[str, float], preference: Preference):
    """Figures on the fresh cohort: default weights vs ``weights``."""
    default = list_figures(sim.engine_for(DEFAULT_OPENING_WEIGHTS).rank(sim.fresh, k=K), preference)
    learned = list_figures(sim.engine_for(weights).rank(sim.fresh, k=K), preference)
    return default, learned


def run(
    taxonomy: Any,
    preference: str,
    n_youth: int,
    n_openings: int,
    weeks: int,
    seed: int = 0,
) -> tuple[Proposal, dict[str, float], dict[str, float]]:
    sim = setup(taxonomy, n_youth, n_openings, weeks, seed)
    decisions = decide_weeks(sim, PREFERENCES[preference], seed)
    proposal = learn_weights(decisions, DEFAULT_OPENING_WEIGHTS)
    default, learned = compare(sim, proposal.weights, PREFERENCES[preference])
    return proposal, default, learned


def _print(name: str, proposal: Proposal, default: dict[str, float], learned: dict[str, float]):
    print(f"\n--- caseworkers: {name}")
    print(
        f"decisions: {proposal.n_train} fitted, {proposal.n_holdout} held out; "
        f"likelihood ratio {proposal.lr_statistic:.1f} (p = {proposal.p_value:.2g}), "
        f"shrinkage {proposal.shrinkage:.2f}"
    )
    print(f"{'component':<16}{'default':>9}{'learned':>9}")
    for component, weight in proposal.weights.items():
        print(f"{component:<16}{proposal.current.get(component, 0):>9.3f}{weight:>9.3f}")
    for label, figures in (
        ("held out, current", proposal.holdout_current),
        ("held out, learned", proposal.holdout_learned),
    ):
        print(
            f"{label:<20}"
            + "  ".join(f"{k} {v:.3f}" if v is not None else f"{k} –" for k, v in figures.items())
        )
    for label, figures in (("fresh, default", default), ("fresh, learned", learned)):
        print(
            f"{label:<20}approval rate {figures['approval_rate']:.3f}  "
            f"in the first {TOP} {figures['approval_top']:.3f}  "
            f"NDCG {figures['ndcg']:.3f}  ({figures['suggestions']:.0f} suggestions)"
        )


def main(argv: list[str] | None = None) -> None:
    from jobs.taxonomy import load_taxonomy

    parser = argparse.ArgumentParser(prog="python -m bench learning")
    parser.add_argument("--scale", default="small", choices=list(SCALES))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n_youth, n_openings, weeks = SCALES[args.scale]
    taxonomy = load_taxonomy()
    print(f"population: {n_youth} young people, {n_openings} openings, {weeks} weeks + fresh")
    for name in PREFERENCES:
        _print(name, *run(taxonomy, name, n_youth, n_openings, weeks, args.seed))


if __name__ == "__main__":
    main()
