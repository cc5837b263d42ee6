"""Score components: one small vectorised function per comparison (recordlinkage style).

Every component maps a block of pairs (:class:`matcher.blocking.PairContext`) to an array of
values in [0, 1]. The registries :data:`OPENING_COMPONENTS` and :data:`MENTOR_COMPONENTS`
name them; :class:`matcher.EngineConfig` weights them. A new comparison is a new function and a
new registry entry, nothing else.

Opening components
------------------
occupation
    Best over the youth's wished occupations: same ESCO occupation 1.0, same ISCO 4-digit
    group 0.75, 3-digit 0.5, 2-digit 0.25 (``occupation_levels``), else 0.
skills_required, skills_nice
    Mean coverage of the opening's skills: 1 if the youth has the skill (or the same free
    text), 0.5 / 0.25 if it is an essential / optional skill of an occupation the youth has
    worked in. No required skills -> ``required_vacuous``; no nice-to-have -> ``nice_vacuous``.
text
    Cosine of TF-IDF vectors: opening title + description + skills vs. the youth's wishes,
    skills and interests.
distance
    ``1 - km / max_commute`` (1 at the same postcode).
hours
    Share of the youth's wished hours range that the opening's range covers.
start
    1 if the youth is available by the start date, falling linearly to 0 at the tolerance.
mentor
    For a youth who needs a mentor: 1 with a mentor at the workplace, else 0. Otherwise 1.

Mentor-slot components
----------------------
interests (share of the youth's interests the slot offers; ``interests_vacuous`` if either
lists none), text (TF-IDF), language (1 if the youth's first language is spoken, 0.5 for
another common language), distance (``1 - km / max(commute, mentor distance)``), capacity
(``c / (c + 1)`` free places), availability (like start).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.arrays import spans
from matcher.blocking import PairContext, _openings, _slots
from matcher.encode import KEY_SHIFT, FloatArray, IntArray, OpeningArrays, YouthArrays
from matcher.infer import OccupationModel
from matcher.parallel import ordered_map


@dataclass
class ScoringModel:
    """What components need beyond the pair block: taxonomy arrays, TF-IDF rows, settings."""

    occ_isco4: IntArray
    levels: tuple[float, float, float, float]
    youth_text: sp.csr_matrix | None
    target_text: sp.csr_matrix | None
    nice_vacuous: float
    interests_vacuous: float
    required_vacuous: float = 1.0
    occupation_model: OccupationModel | None = None
    inferred_with_wish: float = 0.3


Component = Callable[[PairContext, ScoringModel], FloatArray]


def pair_wish_cells(ctx: PairContext) -> tuple[IntArray, IntArray, IntArray]:
    """Each pair's cells of :attr:`YouthArrays.wish_cells`, pair by pair: ``(pair, cell,
    n_cells)`` — cell ``cell[c]`` belongs to pair ``pair[c]``; pair ``p`` has ``n_cells[p]``."""
    cells = ctx.youth.wish_cells
    n_cells = cells.count[ctx.yi]
    pair = np.repeat(np.arange(len(ctx.yi)), n_cells)
    cell = spans(cells.first[ctx.yi], n_cells)
    return pair, cell, n_cells


def occupation_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    """Best over the youth's wished occupations of the level the opening reaches, times the
    wish's weight. Computed over the (pair, wish) cells that exist only — most youth have
    one or two wishes, the padded width is that of the youth with the most."""
    occ = _openings(ctx).occ[ctx.tj]
    isco = model.occ_isco4
    l1, l2, l3, l4 = model.levels
    y = ctx.youth
    pair, cell, n_cells = pair_wish_cells(ctx)
    cells = y.wish_cells
    wish, t_occ = cells.occ[cell], occ[pair]
    c4 = isco[wish]
    t4 = np.where(t_occ >= 0, isco[np.maximum(t_occ, 0)], -1)
    valid = (t4 >= 0) & (c4 >= 0)
    level = np.where(wish == t_occ, l1, 0.0)
    level = np.maximum(level, np.where(valid & (c4 == t4), l2, 0.0))
    level = np.maximum(level, np.where(valid & (c4 // 10 == t4 // 10), l3, 0.0))
    level = np.maximum(level, np.where(valid & (c4 // 100 == t4 // 100), l4, 0.0))
    level = level * cells.weight[cell]
    out: FloatArray = np.zeros(len(ctx.yi))
    has = np.flatnonzero(n_cells)
    if len(has):
        out[has] = np.maximum.reduceat(level, np.cumsum(n_cells)[has] - n_cells[has])
    return out


def inferred_occupation(ctx: PairContext, model: ScoringModel) -> FloatArray:
    """How well the opening's occupation fits the occupations the youth's skills, former jobs
    and interests point to (:mod:`matcher.infer`): its expected gain relative to the youth's
    best. Its weight is scaled per youth (:data:`WEIGHT_SCALES`): ``inferred_with_wish`` for a
    youth with a wish (IPS: the wish first; the skills only order what the wish leaves
    open), 0 for a youth with nothing to infer from."""
    y = ctx.youth
    if model.occupation_model is None or not len(ctx.yi):
        return np.zeros(len(ctx.yi))
    occ = _openings(ctx).occ[ctx.tj]
    gain = model.occupation_model.expected_gain(y.inferred, ctx.yi, occ)
    best = y.inferred.best_gain[ctx.yi]
    out: FloatArray = np.clip(np.where(best > 0, gain / np.maximum(best, 1e-12), 0.0), 0.0, 1.0)
    return out


def kind_preference(ctx: PairContext, model: ScoringModel) -> FloatArray:
    """1 when the opening is of a kind the youth prefers (or the youth states none), else 0."""
    pref = ctx.youth.kind_pref[ctx.yi]
    kind = _openings(ctx).kind[ctx.tj]
    out: FloatArray = np.where(pref == 0, 1.0, ((pref >> kind) & 1).astype(np.float64))
    return out


def concept_hits(ctx: PairContext, concepts: IntArray) -> FloatArray:
    """Coverage value of each (pair, concept) cell; 0 for padding (only the cells that hold
    a concept are looked up: about half of the padded width)."""
    keys, vals = ctx.youth.skill_keys, ctx.youth.skill_vals
    out: FloatArray = np.zeros(concepts.shape)
    if len(keys) == 0:
        return out
    rows, cols = np.nonzero(concepts >= 0)
    query = (ctx.yi[rows] << KEY_SHIFT) | concepts[rows, cols]
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    out[rows, cols] = np.where(keys[pos] == query, vals[pos], 0.0)
    return out


def skills_required(ctx: PairContext, model: ScoringModel) -> FloatArray:
    o = _openings(ctx)
    n = o.n_req[ctx.tj]
    covered = concept_hits(ctx, o.req[ctx.tj]).sum(axis=1)
    out: FloatArray = np.where(n > 0, covered / np.maximum(n, 1), model.required_vacuous)
    return out


def skills_nice(ctx: PairContext, model: ScoringModel) -> FloatArray:
    o = _openings(ctx)
    n = o.n_nice[ctx.tj]
    covered = concept_hits(ctx, o.nice[ctx.tj]).sum(axis=1)
    out: FloatArray = np.where(n > 0, covered / np.maximum(n, 1), model.nice_vacuous)
    return out


def text_similarity(ctx: PairContext, model: ScoringModel) -> FloatArray:
    if model.youth_text is None or model.target_text is None or not len(ctx.yi):
        return np.zeros(len(ctx.yi))
    prod = model.youth_text[ctx.yi].multiply(model.target_text[ctx.tj])
    out: FloatArray = np.clip(np.asarray(prod.sum(axis=1)).ravel(), 0.0, 1.0)
    return out


def shared_columns(
    target_text: sp.csr_matrix | None, youth_text: sp.csr_matrix | None
) -> sp.csr_matrix | None:
    """``target_text`` without the entries in columns (terms) no row of ``youth_text`` has:
    what :func:`text_similarity` reads per pair, smaller. Equal products to the bit: the
    elementwise product of a youth row and a target row keeps only the columns both have,
    in column order, so the dropped entries never reach it (at national scale a third of the
    openings' entries, and the text component's CPU 0.60 s -> 0.49 s)."""
    if target_text is None or youth_text is None:
        return target_text
    used = np.zeros(target_text.shape[1], dtype=np.bool_)
    used[youth_text.indices] = True
    keep = used[target_text.indices]
    kept = np.r_[0, np.cumsum(keep)].astype(target_text.indptr.dtype)
    return sp.csr_matrix(
        (target_text.data[keep], target_text.indices[keep], kept[target_text.indptr]),
        shape=target_text.shape,
    )


def distance_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    limit = ctx.youth.commute[ctx.yi]
    out: FloatArray = np.where(
        limit > 0, np.clip(1.0 - ctx.dist / np.maximum(limit, 1e-9), 0.0, 1.0), 1.0
    )
    return out


def hours_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    o, y = _openings(ctx), ctx.youth
    ylo, yhi = y.hours_min[ctx.yi], y.hours_max[ctx.yi]
    overlap = np.minimum(yhi, o.hours_max[ctx.tj]) - np.maximum(ylo, o.hours_min[ctx.tj])
    span = yhi - ylo
    out: FloatArray = np.where(
        span > 0, np.clip(overlap / np.maximum(span, 1e-9), 0.0, 1.0), (overlap >= 0) * 1.0
    )
    return out


def _timeliness(ready: IntArray, due: IntArray, tolerance: int) -> FloatArray:
    late = (ready - due).astype(np.float64)
    out: FloatArray = np.where(late <= 0, 1.0, np.clip(1.0 - late / (tolerance + 1), 0.0, 1.0))
    return out


def start_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    ready = np.maximum(ctx.youth.avail[ctx.yi], ctx.today)
    due = np.maximum(_openings(ctx).start[ctx.tj], ctx.today)
    return _timeliness(ready, due, ctx.tolerance)


def mentor_support(ctx: PairContext, model: ScoringModel) -> FloatArray:
    needs = ctx.youth.needs_mentor[ctx.yi]
    out: FloatArray = np.where(needs, _openings(ctx).mentor[ctx.tj] * 1.0, 1.0)
    return out


def interest_overlap(ctx: PairContext, model: ScoringModel) -> FloatArray:
    s = _slots(ctx)
    yint = ctx.youth.interest_ids[ctx.yi]
    n_youth = (yint >= 0).sum(axis=1)
    n_slot = s.n_interests[ctx.tj]
    if s.interest_ids.size and int(s.interest_ids.max()) < 63:
        # Each slot's interests as bits of one integer: a youth's interest is shared when
        # its bit is set (the same count as comparing with every interest of the slot).
        bits = np.where(s.interest_ids >= 0, np.left_shift(1, np.maximum(s.interest_ids, 0)), 0)
        offered = np.bitwise_or.reduce(bits, axis=1)[ctx.tj]
        common = np.zeros(len(ctx.yi), dtype=np.int64)
        for c in range(yint.shape[1]):
            own = yint[:, c]
            common += (own >= 0) & ((offered >> np.maximum(own, 0)) & 1).astype(np.bool_)
    else:
        same = (yint[:, :, None] == s.interest_ids[ctx.tj][:, None, :]) & (yint[:, :, None] >= 0)
        common = same.any(axis=2).sum(axis=1)
    out: FloatArray = np.where(
        (n_youth > 0) & (n_slot > 0), common / np.maximum(n_youth, 1), model.interests_vacuous
    )
    return out


def language_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    w = max(ctx.target.lang_width, ctx.youth.lang_width)
    first = (ctx.target.langs[ctx.tj, :w] & ctx.youth.first_lang[ctx.yi, :w]).any(axis=1)
    out: FloatArray = np.where(first, 1.0, 0.5)
    return out


def mentor_distance(ctx: PairContext, model: ScoringModel) -> FloatArray:
    limit = np.maximum(ctx.youth.commute[ctx.yi], _slots(ctx).max_dist[ctx.tj])
    out: FloatArray = np.where(
        limit > 0, np.clip(1.0 - ctx.dist / np.maximum(limit, 1e-9), 0.0, 1.0), 1.0
    )
    return out


def capacity_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    c = _slots(ctx).capacity[ctx.tj].astype(np.float64)
    out: FloatArray = c / (c + 1.0)
    return out


def availability_fit(ctx: PairContext, model: ScoringModel) -> FloatArray:
    ready = np.maximum(ctx.youth.avail[ctx.yi], ctx.today)
    due = np.maximum(_slots(ctx).from_day[ctx.tj], ctx.today)
    return _timeliness(due, ready, ctx.tolerance)


OPENING_COMPONENTS: Mapping[str, Component] = {
    "occupation": occupation_fit,
    "inferred": inferred_occupation,
    "skills_required": skills_required,
    "skills_nice": skills_nice,
    "text": text_similarity,
    "distance": distance_fit,
    "hours": hours_fit,
    "start": start_fit,
    "mentor": mentor_support,
    "kind": kind_preference,
}

MENTOR_COMPONENTS: Mapping[str, Component] = {
    "interests": interest_overlap,
    "text": text_similarity,
    "language": language_fit,
    "distance": mentor_distance,
    "capacity": capacity_fit,
    "availability": availability_fit,
}


def _has_wish(youth: YouthArrays, model: ScoringModel) -> FloatArray:
    out: FloatArray = (youth.wish_occ[:, 0] >= 0).astype(np.float64)
    return out


def _inferred_scale(youth: YouthArrays, model: ScoringModel) -> FloatArray:
    has_wish = youth.wish_occ[:, 0] >= 0
    out: FloatArray = np.where(
        youth.inferred.best_gain > 0, np.where(has_wish, model.inferred_with_wish, 1.0), 0.0
    )
    return out


#: Per-youth multipliers of a component's weight: a component that does not apply to a youth
#: (no wish: "occupation"; nothing to infer from: "inferred") leaves the weighted mean, so a
#: youth without a wish competes for openings on equal terms with one who has a wish.
WEIGHT_SCALES: Mapping[str, Callable[[YouthArrays, ScoringModel], FloatArray]] = {
    "occupation": _has_wish,
    "inferred": _inferred_scale,
}


def score_pairs(
    ctx: PairContext,
    model: ScoringModel,
    registry: Mapping[str, Component],
    weights: Mapping[str, float],
    chunk: int = 250_000,
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Weighted mean of the components for every pair, in chunks of pairs; a component's
    weight is scaled per youth by :data:`WEIGHT_SCALES` (the mean over what applies).

    From two full chunks on, the chunks (the same as on one thread: a chunk's values depend
    on its pairs only) run on the engine's threads (:mod:`matcher.parallel`; components are
    NumPy and SciPy array work, which releases the GIL). Each writes its own slice, computed
    from its chunk alone, so the result does not depend on the threads or their timing."""
    names = [name for name in registry if weights.get(name, 0.0) > 0]
    n = len(ctx.yi)
    comps = {name: np.zeros(n) for name in names}

    def score_chunk(start: int) -> None:
        sl = slice(start, start + chunk)
        sub = PairContext(
            ctx.youth, ctx.target, ctx.yi[sl], ctx.tj[sl], ctx.dist[sl], ctx.today, ctx.tolerance
        )
        for name in names:
            comps[name][sl] = registry[name](sub, model)

    starts = range(0, n, chunk)
    if n >= 2 * chunk:
        ordered_map(score_chunk, starts)
    else:  # one full chunk at most: a second thread would have (almost) nothing to do
        for start in starts:
            score_chunk(start)
    score = np.zeros(n)
    total = np.zeros(n)
    scaled = isinstance(ctx.target, OpeningArrays)
    for name in names:
        w = np.full(n, weights[name])
        if scaled and name in WEIGHT_SCALES:
            w = w * WEIGHT_SCALES[name](ctx.youth, model)[ctx.yi]
        score += w * comps[name]
        total += w
    score = np.where(total > 0, score / np.maximum(total, 1e-12), 0.0)
    return np.clip(score, 0.0, 1.0), comps
