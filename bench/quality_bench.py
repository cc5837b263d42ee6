"""Ranking quality of the engine on synthetic populations with ground truth.

Run: ``PYTHONPATH=. python bench/quality_bench.py [--scale small|medium|national] [--seed N]``

Two variants of the population (``matcher.synthetic.generate``): *standard* and *noisy* (a
quarter of a youth's skills from a neighbouring occupation, 35 % typos, more former jobs written
as skills); in both at least 30 % of the youth name no wish. For each variant it prints, for all
youth, for youth with a wish and for youth without one:

* NDCG@10 and recall@10 of the engine's allocated lists (the nightly path: what caseworkers
  get, capacity-limited) and of the engine without capacity limits (ranking alone);
* the same for a random order, a fuzzy-title ranker (rapidfuzz token-set ratio of the wish
  text vs. the opening title; nothing for youth without a wish) and a plain *skills →
  occupation* ranker written here, independent of the engine's inference: each occupation
  scores the number of the youth's ESCO skills among its ESCO skills, an opening takes its
  occupation's score (ties by distance);
* for the allocated lists, the share of youth who get at least one opening of their true
  occupation, over the most the seat caps allow (a maximum flow over the true-occupation pairs:
  source → youth (1) → opening (its cap) → sink).

Relevance: an opening for the youth's true occupation (gain 1) or the same ISCO 4-digit group
(gain 0.5); every method chooses among the openings the hard constraints allow for the youth,
so they are compared on ranking alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from scipy.sparse.csgraph import maximum_flow

from bench.cli import main_with_scale_and_seed
from jobs.taxonomy import load_taxonomy
from matcher import EngineConfig, MatchEngine, Youth
from matcher.normalise import fold
from matcher.synthetic import SyntheticPopulation, generate

TODAY = date(2026, 11, 28)
SCALES = {
    "small": (1_500, 1_000, 0, 600),
    "medium": (12_000, 6_400, 0, 2_000),
    "national": (75_000, 40_000, 0, 3_000),
}
GROUPS = ("all", "wish", "no_wish")


def _dcg(gains: Sequence[float]) -> float:
    return float(sum(g / np.log2(i + 2) for i, g in enumerate(gains)))


class Judge:
    """Relevance of the openings for a sample of youth, and the metrics of ranked lists."""

    def __init__(self, engine: MatchEngine, pop: SyntheticPopulation, sample: list[Youth]):
        tx = engine.vocab_.taxonomy
        self.tx = tx
        self.engine = engine
        o = engine.openings_
        self.o_ids = o.ids
        self.index = {int(i): p for p, i in enumerate(o.ids.tolist())}
        self.o_occ = np.array([tx.occ_index[pop.opening_occupation[i]] for i in o.ids.tolist()])
        self.o_grp = tx.occ_isco4[self.o_occ]
        self.titles = [fold(x.title) for x in o.items]
        a_y, a_t, a_km = engine.allowed_pairs(sample, "opening")
        self.allowed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        order = np.argsort(a_y, kind="stable")
        a_y, a_t, a_km = a_y[order], a_t[order], a_km[order]
        bounds = np.flatnonzero(np.r_[True, a_y[1:] != a_y[:-1], True])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            pos = np.array([self.index[int(t)] for t in a_t[lo:hi].tolist()], dtype=np.int64)
            self.allowed[int(a_y[lo])] = (pos, a_km[lo:hi])
        self.truth = {y.id: tx.occ_index[pop.truth[y.id]] for y in sample}
        self.sample = [y for y in sample if self._relevant(y.id).size]

    def gain(self, youth_id: int) -> np.ndarray:
        true = self.truth[youth_id]
        g4 = self.tx.occ_isco4[true]
        return np.where(self.o_occ == true, 1.0, np.where(self.o_grp == g4, 0.5, 0.0))

    def _relevant(self, youth_id: int) -> np.ndarray:
        reach = self.allowed.get(youth_id, (np.zeros(0, dtype=np.int64), None))[0]
        return reach[self.gain(youth_id)[reach] > 0]

    def metrics(self, youth_id: int, ranked: Sequence[int], k: int = 10) -> tuple[float, float]:
        gain = self.gain(youth_id)
        relevant = self._relevant(youth_id)
        ideal = _dcg(sorted(gain[relevant].tolist(), reverse=True)[:k])
        g = [float(gain[p]) for p in list(ranked)[:k]]
        return _dcg(g) / ideal, sum(1 for x in g if x > 0) / min(k, len(relevant))


def _summary(
    judge: Judge, rankings: dict[int, list[int]], wish: dict[int, bool]
) -> dict[str, tuple[float, float, int]]:
    out: dict[str, tuple[float, float, int]] = {}
    for group in GROUPS:
        vals = [
            judge.metrics(y.id, rankings.get(y.id, []))
            for y in judge.sample
            if group == "all" or wish[y.id] == (group == "wish")
        ]
        out[group] = (
            float(np.mean([v[0] for v in vals])) if vals else 0.0,
            float(np.mean([v[1] for v in vals])) if vals else 0.0,
            len(vals),
        )
    return out


def skills_baseline(judge: Judge, engine: MatchEngine) -> dict[int, list[int]]:
    """Plain skills → occupation: count of the youth's ESCO skills in each occupation."""
    tx = judge.tx
    vocab = engine.vocab_
    sets = sp.csr_matrix(
        (np.ones(tx.occ_skills.nnz), tx.occ_skills.indices, tx.occ_skills.indptr),
        shape=tx.occ_skills.shape,
    )
    out: dict[int, list[int]] = {}
    for y in judge.sample:
        concepts = [c for c in vocab.skill_concepts(list(y.skills)) if 0 <= c < tx.n_skills]
        reach, km = judge.allowed[y.id]
        if concepts:
            vec = np.zeros(tx.n_skills)
            vec[concepts] = 1.0
            per_occ = sets @ vec
            score = per_occ[judge.o_occ[reach]]
        else:
            score = np.zeros(len(reach))
        out[y.id] = reach[np.lexsort((judge.o_ids[reach], km, -score))].tolist()
    return out


def fuzzy_title(judge: Judge) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for y in judge.sample:
        reach, _ = judge.allowed[y.id]
        wishes = [fold(w) for w in y.wished_occupations if not w.startswith("http")]
        if not wishes:
            out[y.id] = []
            continue
        sims = np.max(
            process.cdist(wishes, [judge.titles[p] for p in reach], scorer=fuzz.token_set_ratio),
            axis=0,
        )
        out[y.id] = reach[np.lexsort((judge.o_ids[reach], -sims))].tolist()
    return out


def random_order(judge: Judge, rng: np.random.Generator) -> dict[int, list[int]]:
    return {y.id: rng.permutation(judge.allowed[y.id][0])[:10].tolist() for y in judge.sample}


def true_occupation_coverage(
    engine: MatchEngine, pop: SyntheticPopulation, ranked: dict[int, list[Any]]
) -> tuple[int, int]:
    """(youth served in their true occupation, the most the seat caps allow) over all youth."""
    tx = engine.vocab_.taxonomy
    o = engine.openings_
    o_occ = np.array([tx.occ_index[pop.opening_occupation[i]] for i in o.ids.tolist()])
    index = {int(i): p for p, i in enumerate(o.ids.tolist())}
    active = [y for y in pop.youths if y.status == "active"]
    a_y, a_t, _ = engine.allowed_pairs(active, "opening")
    rows = {int(y.id): r for r, y in enumerate(active)}
    truth = np.array([tx.occ_index[pop.truth[y.id]] for y in active])
    yr = np.array([rows[int(i)] for i in a_y.tolist()], dtype=np.int64)
    tc = np.array([index[int(t)] for t in a_t.tolist()], dtype=np.int64)
    keep = o_occ[tc] == truth[yr]
    yr, tc = yr[keep], tc[keep]
    n_y, n_t = len(active), len(o)
    src, sink = n_y + n_t, n_y + n_t + 1
    heads = np.r_[np.full(n_y, src), yr, n_y + np.arange(n_t)]
    tails = np.r_[np.arange(n_y), n_y + tc, np.full(n_t, sink)]
    caps = np.r_[np.ones(n_y), np.ones(len(yr)), o.cap].astype(np.int32)
    graph = sp.csr_matrix((caps, (heads, tails)), shape=(n_y + n_t + 2,) * 2)
    graph.sum_duplicates()
    best = int(maximum_flow(graph, src, sink).flow_value) if len(yr) else 0
    served = 0
    for y in active:
        true = tx.occ_index[pop.truth[y.id]]
        if any(o_occ[index[m.target_id]] == true for m in ranked.get(y.id, [])):
            served += 1
    return served, best


def run_variant(noisy: bool, scale: str, seed: int, out: Callable[[str], None]) -> dict[str, Any]:
    n_youth, n_openings, n_slots, n_sample = SCALES[scale]
    tx = load_taxonomy()
    t = time.perf_counter()
    pop = generate(tx, n_youth, n_openings, n_slots, random_state=seed, today=TODAY, noisy=noisy)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    engine = MatchEngine(EngineConfig(today=TODAY), tx).fit(pop.openings, pop.mentor_slots)
    ranked = engine.rank(pop.youths, 10)
    rank_s = time.perf_counter() - t
    active = [y for y in pop.youths if y.status == "active"]
    rng = np.random.default_rng(seed)
    sample = [
        active[i]
        for i in sorted(rng.choice(len(active), min(n_sample, len(active)), replace=False).tolist())
    ]
    judge = Judge(engine, pop, sample)
    index = judge.index
    wish = {y.id: any(w.strip() for w in y.wished_occupations) for y in judge.sample}
    loose = MatchEngine(EngineConfig(today=TODAY, seat_multiplier=1e6), tx)
    loose.fit(pop.openings, pop.mentor_slots)
    unallocated = loose.rank(judge.sample, 10)
    methods: dict[str, dict[int, list[int]]] = {
        "engine (allocated)": {
            y.id: [index[m.target_id] for m in ranked[y.id]] for y in judge.sample
        },
        "engine (no caps)": {
            y.id: [index[m.target_id] for m in unallocated[y.id]] for y in judge.sample
        },
        "skills->occupation": skills_baseline(judge, engine),
        "fuzzy title": fuzzy_title(judge),
        "random": random_order(judge, rng),
    }
    results = {name: _summary(judge, r, wish) for name, r in methods.items()}
    served, best = true_occupation_coverage(engine, pop, ranked)
    name = "noisy" if noisy else "standard"
    out(
        f"variant {name}: {n_youth:,} youth x {n_openings:,} openings, sample {len(judge.sample)} "
        f"youth with a relevant allowed opening (generator {gen_s:.1f} s, fit+rank {rank_s:.1f} s)"
    )
    out(f"  {'method':22s}" + "".join(f"{g:>22s}" for g in GROUPS))
    out(f"  {'':22s}" + "".join(f"{'NDCG@10 recall@10 (n)':>22s}" for _ in GROUPS))
    for method, res in results.items():
        out(
            f"  {method:22s}"
            + "".join(f"{res[g][0]:>9.3f} {res[g][1]:>7.3f} {res[g][2]:>4d}" for g in GROUPS)
        )
    share = served / best if best else 1.0
    out(
        f"  true occupation served (allocated): {served:,} of the {best:,} the seat caps allow "
        f"= {share:.1%}"
    )
    return {
        "variant": name,
        "results": results,
        "served": served,
        "servable": best,
        "served_share": share,
        "rank_s": rank_s,
    }


def run(scale: str = "medium", seed: int = 0, out: Callable[[str], None] = print) -> list[Any]:
    return [run_variant(noisy, scale, seed, out) for noisy in (False, True)]


def main(argv: list[str] | None = None) -> int:
    return main_with_scale_and_seed(run, SCALES, "medium", __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
