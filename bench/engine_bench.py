"""Benchmark of the matching engine on a synthetic population.

Run: ``PYTHONPATH=. python bench/engine_bench.py [--scale national|small] [--seed N]``

Prints (and returns from :func:`run`):

* generator time (excluded from the rest);
* full run: fit + rank (openings, k=10) + rank_mentors (k=3) wall time, peak RSS;
* fast path: ``index`` once, then ``match_opening`` median over 20 openings; a save, as the
  web does it: ``with_openings`` + ``match_opening`` for an opening, ``with_youths`` +
  ``rank([youth])`` for a profile (incremental, exact);
* throughput: vectorised pairs/s (``score_all`` on a sample of youth) vs. the per-pair
  reference scorer (``matcher.reference_scorer``) on a sample of the same pairs;
* ranking quality on the synthetic ground truth: NDCG@10 and recall@10 of the engine's
  allocated lists (what caseworkers get: capacity-limited) and of the engine without capacity
  limits (ranking alone), beside a random baseline and a fuzzy-title baseline (rapidfuzz
  token-set ratio of wished-occupation text vs. opening title), on a sample of youth.
  Relevance: an opening for the youth's true occupation (gain 1) or the same ISCO 4-digit group
  (gain 0.5). All three methods choose among the openings the hard constraints allow for the
  youth (reach, age, licence, hours, start, languages), so they are compared on ranking alone.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from bench.cli import main_with_scale_and_seed
from bench.memory import peak_rss_mib
from jobs.taxonomy import load_taxonomy
from matcher import EngineConfig, MatchEngine
from matcher.engine import import_dependencies
from matcher.normalise import fold
from matcher.reference_scorer import score_opening
from matcher.synthetic import generate

TODAY = date(2026, 11, 28)
SCALES = {"national": (75_000, 40_000, 5_000), "small": (300, 200, 30)}


def cpu_s() -> float:
    """User + system CPU seconds of this process (the machine may be shared: wall > CPU)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _dcg(gains: list[float]) -> float:
    return sum(g / np.log2(i + 2) for i, g in enumerate(gains))


def quality(
    engine: MatchEngine,
    pop: Any,
    ranked: dict[int, list[Any]],
    sample: list[Any],
    rng: np.random.Generator,
    k: int = 10,
) -> dict[str, dict[str, float]]:
    tx = engine.vocab_.taxonomy
    o = engine.openings_
    o_occ = np.array([tx.occ_index[pop.opening_occupation[i]] for i in o.ids.tolist()])
    o_grp = tx.occ_isco4[o_occ]
    titles = [fold(x.title) for x in o.items]
    index = {int(i): p for p, i in enumerate(o.ids.tolist())}
    allowed: dict[int, list[int]] = {}
    a_y, a_t, _ = engine.allowed_pairs(sample, "opening")
    for y_id, t_id in zip(a_y.tolist(), a_t.tolist(), strict=True):
        allowed.setdefault(y_id, []).append(index[t_id])
    out: dict[str, list[tuple[float, float]]] = {"engine": [], "random": [], "fuzzy_title": []}
    for y in sample:
        true = tx.occ_index[pop.truth[y.id]]
        reach = np.array(sorted(allowed.get(y.id, [])), dtype=np.int64)
        gain = np.where(o_occ == true, 1.0, np.where(o_grp == tx.occ_isco4[true], 0.5, 0.0))
        relevant = reach[gain[reach] > 0]
        if not len(relevant):
            continue
        ideal = _dcg(sorted(gain[relevant].tolist(), reverse=True)[:k])
        n_rel = min(k, len(relevant))

        def score(
            pos: list[int], gain: np.ndarray = gain, ideal: float = ideal, n_rel: int = n_rel
        ) -> tuple[float, float]:
            g = [float(gain[p]) for p in pos[:k]]
            return _dcg(g) / ideal, sum(1 for x in g if x > 0) / n_rel

        out["engine"].append(score([index[m.target_id] for m in ranked.get(y.id, [])]))
        out["random"].append(score(rng.permutation(reach)[:k].tolist()))
        wishes = [fold(w) for w in y.wished_occupations if not w.startswith("http")]
        if wishes:
            sims = np.max(
                process.cdist(wishes, [titles[p] for p in reach], scorer=fuzz.token_set_ratio),
                axis=0,
            )
            order = np.lexsort((o.ids[reach], -sims))
            out["fuzzy_title"].append(score(reach[order].tolist()))
        else:
            out["fuzzy_title"].append((0.0, 0.0))
    return {
        name: {
            "ndcg@10": float(np.mean([v[0] for v in vals])) if vals else 0.0,
            "recall@10": float(np.mean([v[1] for v in vals])) if vals else 0.0,
            "youth": float(len(vals)),
        }
        for name, vals in out.items()
    }


def sparse_baseline(engine: MatchEngine, index: Any, k: int = 10) -> dict[str, float]:
    """The floor a ranking of these youth and openings cannot beat by much, measured in this
    process: one sparse product of the engine's own retrieval features (youth × openings, in
    chunks of 2,000 youth, no geography, no rules, no scoring) and a top-k per youth. The
    ratio of the engine's ranking time to it is the figure that travels between machines."""
    fy, ft = engine._retrieval_features(index, engine.openings_)
    clock = time.perf_counter()
    ftt = ft.T.tocsc()
    kept = 0
    for start in range(0, fy.shape[0], 2000):
        block = (fy[start : start + 2000] @ ftt).tocsr()
        for row in range(block.shape[0]):
            lo, hi = block.indptr[row], block.indptr[row + 1]
            if hi - lo > k:
                kept += k
                np.argpartition(block.data[lo:hi], hi - lo - k)
            else:
                kept += hi - lo
    seconds = time.perf_counter() - clock
    return {"sparse_baseline_s": seconds, "sparse_baseline_pairs_kept": float(kept)}


def run(scale: str = "small", seed: int = 0, out: Callable[[str], None] = print) -> dict[str, Any]:
    n_youth, n_openings, n_slots = SCALES[scale]
    figures: dict[str, Any] = {
        "scale": scale,
        "youth": n_youth,
        "openings": n_openings,
        "mentor_slots": n_slots,
    }
    t = time.perf_counter()
    import_dependencies()  # once per process (the scheduler does it when it starts)
    figures["imports_s"] = time.perf_counter() - t
    t = time.perf_counter()
    tx = load_taxonomy()
    _ = tx.occupation_matcher, tx.skill_matcher
    figures["taxonomy_s"] = time.perf_counter() - t
    t = time.perf_counter()
    pop = generate(tx, n_youth, n_openings, n_slots, random_state=seed, today=TODAY)
    figures["generator_s"] = time.perf_counter() - t
    figures["rss_before_run_mib"] = peak_rss_mib()

    t = time.perf_counter()
    cpu0 = cpu_s()
    engine = MatchEngine(EngineConfig(today=TODAY, random_state=seed), tx)
    engine.fit(pop.openings, pop.mentor_slots)
    t_fit = time.perf_counter() - t
    index = engine.index(pop.youths)  # once for both rankings, as the nightly run does
    figures["index_s"] = time.perf_counter() - t - t_fit
    ranked = engine.rank(index, 10)
    t_rank = time.perf_counter() - t - t_fit
    mentors = engine.rank_mentors(index, 3)
    figures["full_run_s"] = time.perf_counter() - t
    figures["full_run_cpu_s"] = cpu_s() - cpu0
    figures["fit_s"], figures["rank_s"] = t_fit, t_rank - figures["index_s"]
    figures["rank_mentors_s"] = figures["full_run_s"] - t_fit - t_rank
    figures["peak_rss_mib"] = peak_rss_mib()
    figures.update(sparse_baseline(engine, index))
    active = [y for y in pop.youths if y.status == "active"]
    figures["active_youth_with_opening"] = sum(1 for y in active if ranked[y.id]) / max(
        len(active), 1
    )
    figures["mean_openings_per_youth"] = float(np.mean([len(ranked[y.id]) for y in active]))
    figures["active_youth_with_mentor"] = sum(1 for y in active if mentors[y.id]) / max(
        len(active), 1
    )

    times = []
    cpu_times = []
    for opening in pop.openings[:40]:
        if opening.status != "open" or (opening.expires and opening.expires < TODAY):
            continue
        t, c = time.perf_counter(), cpu_s()
        engine.match_opening(opening, 10, index=index)
        times.append(time.perf_counter() - t)
        cpu_times.append(cpu_s() - c)
        if len(times) == 20:
            break
    figures["match_opening_median_ms"] = statistics.median(times) * 1000 if times else float("nan")
    figures["match_opening_median_cpu_ms"] = (
        statistics.median(cpu_times) * 1000 if cpu_times else float("nan")
    )
    t = time.perf_counter()
    engine.rank(active[:1], 10)
    figures["rank_one_profile_ms"] = (time.perf_counter() - t) * 1000
    # Incremental updates (a save): one opening changed, one profile changed.
    t = time.perf_counter()
    changed = engine.with_openings([pop.openings[0]])
    changed.match_opening(pop.openings[0], 10, index=index)
    figures["save_opening_to_youth_ms"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    engine.with_youths(index, [active[0]])
    engine.rank([active[0]], 10)
    figures["save_profile_to_openings_ms"] = (time.perf_counter() - t) * 1000

    rng = np.random.default_rng(seed)
    sample_youths = [
        active[i]
        for i in sorted(rng.choice(len(active), min(300, len(active)), replace=False).tolist())
    ]
    t = time.perf_counter()
    yid, tid, _, _ = engine.score_all(sample_youths, "opening")
    vec_s = time.perf_counter() - t
    figures["rank_over_sparse_baseline"] = figures["rank_s"] / max(
        figures["sparse_baseline_s"], 1e-9
    )
    figures["vectorised_pairs"] = len(yid)
    figures["vectorised_pairs_per_s"] = len(yid) / vec_s
    by_y = {y.id: y for y in sample_youths}
    by_o = {o.id: o for o in pop.openings}
    pick = rng.choice(
        len(yid), size=min(2000 if scale == "national" else 300, len(yid)), replace=False
    )
    t = time.perf_counter()
    for p in pick.tolist():
        score_opening(engine, by_y[int(yid[p])], by_o[int(tid[p])])
    ref_s = time.perf_counter() - t
    figures["reference_pairs_per_s"] = len(pick) / ref_s
    figures["throughput_ratio"] = (
        figures["vectorised_pairs_per_s"] / figures["reference_pairs_per_s"]
    )

    with_truth = [
        active[i]
        for i in sorted(rng.choice(len(active), min(2000, len(active)), replace=False).tolist())
    ]
    figures["quality"] = quality(engine, pop, ranked, with_truth, rng)
    # The same engine without the capacity limit, on the sample only: ranking quality alone.
    loose = MatchEngine(EngineConfig(today=TODAY, seat_multiplier=1e6), tx)
    loose.fit(pop.openings, pop.mentor_slots)
    unallocated = loose.rank(with_truth, 10)
    figures["quality"]["engine_no_caps"] = quality(
        loose, pop, unallocated, with_truth, np.random.default_rng(seed)
    )["engine"]

    out(f"scale={scale}: {n_youth} youth x {n_openings} openings x {n_slots} mentor slots")
    for key, value in figures.items():
        if key == "quality":
            for name, q in value.items():
                out(
                    f"  quality {name:12s} NDCG@10={q['ndcg@10']:.3f} "
                    f"recall@10={q['recall@10']:.3f} (youth={int(q['youth'])})"
                )
        elif isinstance(value, float):
            out(f"  {key:28s} {value:,.3f}")
        else:
            out(f"  {key:28s} {value}")
    return figures


def main(argv: list[str] | None = None) -> int:
    return main_with_scale_and_seed(run, SCALES, "national", __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
