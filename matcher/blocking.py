"""Blocking: which (youth, target) pairs are scored at all.

Three stages, all vectorised over arrays of pair indices:

1. **Hard constraints** (:data:`OPENING_RULES`, :data:`MENTOR_RULES`) — small functions
   ``rule(ctx) -> bool array`` that keep a pair only if the job allows it: reachable within the
   youth's max commute (and the mentor's max distance), minimum age in the start year,
   driving licence, hours overlap, start date within tolerance, required languages.
2. **Geography** — postcodes carry the coordinates. :class:`GeoIndex` holds a scikit-learn
   ``BallTree`` (haversine) over the postcode points to list, for each postcode, the
   postcodes within a radius ordered by distance, and a postcode × postcode distance table
   (1,090² floats) so the distance of any block of pairs is one gather.
3. **Retrieval** — at national scale about a quarter of all pairs are within reach, far too
   many to score in full. A sparse product of youth × target feature matrices (occupation,
   ISCO groups, skill concepts, rare words) gives a cheap plausibility score for pairs that
   share anything; after the hard constraints only the best ``candidates_per_youth`` per youth
   are kept. Youth who end up with fewer than k plausible targets get the nearest reachable
   targets as well (IPS: zero exclusion), scanned postcode by postcode in distance order.

Unknown postcodes have no coordinates: a youth or target with an unknown postcode is not
reachable (distance = inf) and so gets no geographic suggestions; the engine lists such ids in
``unknown_postcodes_``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matcher.arrays import rank_in_runs, run_starts
from matcher.encode import FloatArray, IntArray, OpeningArrays, SlotArrays, YouthArrays
from matcher.parallel import ordered_map
from matcher.taxonomy import Taxonomy

if TYPE_CHECKING:
    from sklearn.neighbors import BallTree

BoolArray = npt.NDArray[np.bool_]
EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle distance in km (degrees in)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


class GeoIndex:
    """BallTree over postcode points plus a postcode distance table."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        lat, lon = taxonomy.pc_lat, taxonomy.pc_lon
        n = len(lat)
        self.n = n
        self._points: FloatArray = np.radians(np.c_[lat, lon])
        # Imported here: scikit-learn is slow to import and only needed once an engine is fit.
        from sklearn.neighbors import BallTree

        self.tree: BallTree | None = BallTree(self._points, metric="haversine") if n else None
        table = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        # One extra row/column for "unknown postcode" (index -1): never reachable.
        self.table: FloatArray = np.full((n + 1, n + 1), np.inf)
        self.table[:n, :n] = table
        self._flat: FloatArray = self.table.ravel()
        self._radius = -1.0
        self._neigh: list[tuple[IntArray, FloatArray]] = []

    def distance(self, pc_a: IntArray, pc_b: IntArray) -> FloatArray:
        """Distance of postcode pairs; inf when either is unknown (-1)."""
        size = self.n + 1
        a = np.where(pc_a < 0, self.n, pc_a)
        b = np.where(pc_b < 0, self.n, pc_b)
        out: FloatArray = np.take(self._flat, a * size + b)
        return out

    def prepare(self, radius_km: float) -> None:
        """Neighbour lists of every postcode up to ``radius_km``: one BallTree query."""
        if self.tree is None or radius_km <= self._radius:
            return
        ind = self.tree.query_radius(self._points, r=radius_km / EARTH_RADIUS_KM)
        neigh: list[tuple[IntArray, FloatArray]] = []
        for pc, idx in enumerate(ind):
            idx = idx.astype(np.int64)
            d = self.table[pc, idx]
            order = np.lexsort((idx, d))
            neigh.append((idx[order], d[order]))
        # A memo shared by engines and threads: publish the whole list, then its radius, so
        # a concurrent reader sees either the old lists or complete new ones.
        self._neigh = neigh
        self._radius = radius_km

    def within(self, pc: int, radius_km: float) -> tuple[IntArray, FloatArray]:
        """Postcodes within ``radius_km`` of postcode ``pc``, nearest first (ties by index)."""
        if pc < 0 or self.tree is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        self.prepare(radius_km)
        idx, d = self._neigh[pc]
        cut = int(np.searchsorted(d, radius_km, side="right"))
        return idx[:cut], d[:cut]


@dataclass
class PairContext:
    """A block of pairs: youth rows ``yi``, target rows ``tj`` and their distance."""

    youth: YouthArrays
    target: OpeningArrays | SlotArrays
    yi: IntArray
    tj: IntArray
    dist: FloatArray
    today: int
    tolerance: int


Rule = Callable[[PairContext], BoolArray]


def _openings(ctx: PairContext) -> OpeningArrays:
    assert isinstance(ctx.target, OpeningArrays)
    return ctx.target


def _slots(ctx: PairContext) -> SlotArrays:
    assert isinstance(ctx.target, SlotArrays)
    return ctx.target


def rule_commute(ctx: PairContext) -> BoolArray:
    return ctx.dist <= ctx.youth.commute[ctx.yi]


def rule_min_age(ctx: PairContext) -> BoolArray:
    # start_year - birth_year >= min_age with the opening's side precomputed (exact: integers).
    return ctx.youth.birth_year[ctx.yi] <= _openings(ctx).latest_birth_year[ctx.tj]


def rule_licence(ctx: PairContext) -> BoolArray:
    return ~_openings(ctx).licence[ctx.tj] | ctx.youth.licence[ctx.yi]


def rule_hours(ctx: PairContext) -> BoolArray:
    o, y = _openings(ctx), ctx.youth
    lo = np.maximum(y.hours_min[ctx.yi], o.hours_min[ctx.tj])
    hi = np.minimum(y.hours_max[ctx.yi], o.hours_max[ctx.tj])
    return hi >= lo


def rule_start(ctx: PairContext) -> BoolArray:
    o = _openings(ctx)
    ready = np.maximum(ctx.youth.avail[ctx.yi], ctx.today)
    return ready - ctx.tolerance <= np.maximum(o.start[ctx.tj], ctx.today)


def _lang_words(ctx: PairContext) -> int:
    """Number of 64-bit words in use (almost always 1: fewer than 64 language codes)."""
    return max(ctx.target.lang_width, ctx.youth.lang_width)


def rule_languages(ctx: PairContext) -> BoolArray:
    w = _lang_words(ctx)
    if w == 1:
        out1: BoolArray = (ctx.target.lang_word[ctx.tj] & ~ctx.youth.lang_word[ctx.yi]) == 0
        return out1
    missing = ctx.target.langs[ctx.tj, :w] & ~ctx.youth.langs[ctx.yi, :w]
    out: BoolArray = ~np.any(missing, axis=1)
    return out


def rule_mentor_distance(ctx: PairContext) -> BoolArray:
    s = _slots(ctx)
    return (ctx.dist <= ctx.youth.commute[ctx.yi]) | (ctx.dist <= s.max_dist[ctx.tj])


def rule_mentor_reach(ctx: PairContext) -> BoolArray:
    # The mentor travels up to max_distance_km; the youth up to max_commute_km: either works.
    return rule_mentor_distance(ctx)


def rule_common_language(ctx: PairContext) -> BoolArray:
    w = _lang_words(ctx)
    if w == 1:
        out1: BoolArray = (ctx.target.lang_word[ctx.tj] & ctx.youth.lang_word[ctx.yi]) != 0
        return out1
    common = ctx.target.langs[ctx.tj, :w] & ctx.youth.langs[ctx.yi, :w]
    out: BoolArray = np.any(common, axis=1)
    return out


def rule_slot_window(ctx: PairContext) -> BoolArray:
    s = _slots(ctx)
    ready = np.maximum(ctx.youth.avail[ctx.yi], ctx.today)
    return (ready <= s.until_day[ctx.tj]) & (s.from_day[ctx.tj] - ctx.tolerance <= ready)


OPENING_RULES: Mapping[str, Rule] = {
    "commute": rule_commute,
    "min_age": rule_min_age,
    "driving_licence": rule_licence,
    "hours": rule_hours,
    "start_date": rule_start,
    "languages": rule_languages,
}

MENTOR_RULES: Mapping[str, Rule] = {
    "distance": rule_mentor_reach,
    "language": rule_common_language,
    "availability": rule_slot_window,
}


def subset(ctx: PairContext, sel: IntArray | BoolArray) -> PairContext:
    return PairContext(
        ctx.youth, ctx.target, ctx.yi[sel], ctx.tj[sel], ctx.dist[sel], ctx.today, ctx.tolerance
    )


#: ``passes`` drops the failed pairs from the block only when fewer than this share survive a
#: rule: a copy of the block (three gathers) costs more than the next rules spend on the few
#: pairs it would remove (at national scale most rules keep over 90 % of the pairs).
COMPACT_BELOW = 0.6


def passes(ctx: PairContext, rules: Mapping[str, Rule]) -> BoolArray:
    """Mask of the pairs that satisfy every rule. The rules are elementwise, so the result is
    their conjunction whatever pairs each sees; a rule that removes many pairs shrinks the
    block the next ones see (:data:`COMPACT_BELOW`). A block whose distances are all finite
    (a retrieval block's always are) and that is never shrunk is checked in place: its
    mask is the result, no positions are listed and scattered back."""
    n = len(ctx.yi)
    finite = np.isfinite(ctx.dist)
    idx: IntArray | None = None  # the positions ``sub`` holds; None: every pair, in order
    sub = ctx
    if not bool(finite.all()):
        idx = np.flatnonzero(finite)
        sub = subset(ctx, idx)
    del finite
    alive = np.ones(len(sub.yi), dtype=np.bool_)
    for rule in rules.values():
        if not len(alive):
            break
        alive &= rule(sub)
        left = int(np.count_nonzero(alive))
        if left < COMPACT_BELOW * len(alive):
            at = np.flatnonzero(alive)
            idx = at if idx is None else idx[at]
            sub = subset(sub, at)
            alive = np.ones(left, dtype=np.bool_)
    if idx is None:
        return alive
    keep = np.zeros(n, dtype=np.bool_)
    keep[idx[alive]] = True
    return keep


def reach_radius(youth: YouthArrays, target: OpeningArrays | SlotArrays) -> FloatArray:
    """Per-youth maximum distance at which some target could be reachable."""
    if isinstance(target, SlotArrays) and len(target):
        return np.maximum(youth.commute, float(target.max_dist.max()))
    return youth.commute


def grouped_by(values: IntArray) -> Iterator[tuple[int, IntArray]]:
    """(value, row indices) for each distinct value, ascending, rows ascending."""
    order = np.argsort(values, kind="stable")
    sorted_vals = values[order]
    bounds = np.flatnonzero(np.diff(sorted_vals)) + 1
    for rows in np.split(order, bounds):
        if len(rows):
            yield int(values[rows[0]]), rows


def nearest_pairs(
    geo: GeoIndex,
    youth: YouthArrays,
    target: OpeningArrays | SlotArrays,
    rows: IntArray,
    rules: Mapping[str, Rule],
    today: int,
    tolerance: int,
    limit: int | None,
) -> tuple[IntArray, IntArray]:
    """Reachable pairs for youth ``rows``, nearest targets first; at most ``limit`` per youth.

    Works postcode by postcode (at most ~1,100 groups): the youth of one postcode are crossed
    with the targets of the postcodes around it, in distance order, in one array operation;
    the hard rules then check the pairs of many postcodes at once (:data:`NEAREST_BATCH`).
    ``limit=None`` keeps every reachable pair (exhaustive mode), in the youth's order in
    ``rows``; with a limit, each postcode's youth come in ascending order.
    """
    t_by_pc: dict[int, IntArray] = dict(grouped_by(target.pc))
    t_count = np.bincount(target.pc[target.pc >= 0], minlength=geo.n)
    look_at = max(limit * 8, 200) if limit is not None else 0
    radius = reach_radius(youth, target)
    if len(rows):
        geo.prepare(float(radius[rows].max()))
    out_y: list[IntArray] = []
    out_t: list[IntArray] = []
    batch: list[tuple[IntArray, IntArray]] = []  # (a postcode's youth, their candidates)
    pending = 0

    def allowed(yi: IntArray, tj: IntArray) -> BoolArray:
        dist = geo.distance(youth.pc[yi], target.pc[tj])
        return passes(PairContext(youth, target, yi, tj, dist, today, tolerance), rules)

    def crossed(groups: list[tuple[IntArray, IntArray]]) -> tuple[IntArray, IntArray]:
        if not groups:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return (
            np.concatenate([np.repeat(m, len(c)) for m, c in groups]),
            np.concatenate([np.tile(c, len(m)) for m, c in groups]),
        )

    def flush() -> None:
        """The hard rules and the limit over the postcodes gathered so far, at once (the
        rules are elementwise; each youth's pairs are one run, in the order of its
        postcode's turn). With a limit, in two looks: each youth's first
        :data:`FIRST_LOOK` × limit candidates, then the rest only for the youth with fewer
        than ``limit`` allowed among those (a youth's first allowed pairs are among its
        first candidates when enough of those are allowed: most youth)."""
        nonlocal pending
        groups = batch[:]
        batch.clear()
        pending = 0
        if limit is None:
            yi, tj = crossed(groups)
            keep = allowed(yi, tj)
            out_y.append(yi[keep])
            out_t.append(tj[keep])
            return
        first = FIRST_LOOK * limit
        # Each youth's place in the batch (postcode by postcode, ascending within one).
        place = np.cumsum([0] + [len(m) for m, _ in groups])
        yi, tj = crossed([(m, c[:first]) for m, c in groups])
        at = np.concatenate([np.repeat(np.arange(len(m)), len(c[:first])) for m, c in groups])
        at += np.repeat(place[:-1], [len(m) * len(c[:first]) for m, c in groups])
        keep = allowed(yi, tj)
        yi, tj, at = yi[keep], tj[keep], at[keep]
        found = np.bincount(at, minlength=int(place[-1]))
        more: list[tuple[IntArray, IntArray]] = []
        more_at: list[IntArray] = []
        for g, (m, c) in enumerate(groups):
            if len(c) <= first:
                continue
            short = np.flatnonzero(found[place[g] : place[g + 1]] < limit)
            if len(short):
                more.append((m[short], c[first:]))
                more_at.append(np.repeat(place[g] + short, len(c) - first))
        if more:
            yi2, tj2 = crossed(more)
            at2 = np.concatenate(more_at)
            keep = allowed(yi2, tj2)
            # Each youth's second look after its first: a stable merge by place.
            at = np.concatenate([at, at2[keep]])
            order = np.argsort(at, kind="stable")
            at = at[order]
            yi = np.concatenate([yi, yi2[keep]])[order]
            tj = np.concatenate([tj, tj2[keep]])[order]
        if len(yi):
            head = rank_in_runs(at) < limit
            yi, tj = yi[head], tj[head]
        out_y.append(yi)
        out_t.append(tj)

    for pc, group in grouped_by(youth.pc[rows]):
        if pc < 0:
            continue
        members = rows[group]
        pcs, _ = geo.within(pc, float(radius[members].max()))
        if limit is not None:
            # Hard constraints remove some; look a little further than the limit: the
            # nearest postcodes that hold that many targets (not every postcode in reach).
            pcs = pcs[: int(np.searchsorted(np.cumsum(t_count[pcs]), look_at)) + 1]
            members = np.sort(members)  # (rows given in any order: the same lists)
        parts = [t_by_pc[p] for p in pcs.tolist() if p in t_by_pc]
        if not parts:
            continue
        cand = np.concatenate(parts)
        if limit is not None:
            cand = cand[:look_at]
        batch.append((members, cand))
        pending += len(members) * len(cand)
        if pending >= NEAREST_BATCH:
            flush()
    if batch:
        flush()
    if not out_y:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_y), np.concatenate(out_t)


#: :func:`nearest_pairs` checks the pairs of many postcodes at once, up to about this many
#: (a national fallback: 1,000 postcodes of a few dozen youth × 240 targets each).
NEAREST_BATCH = 1_000_000
#: :func:`nearest_pairs` with a limit first checks this many times the limit of each youth's
#: candidates (national fallbacks: three in four of the openings' youth and nine in ten of
#: the mentors' have at least twice the limit allowed among their first 240).
FIRST_LOOK = 3


#: Youth per geographic block of :func:`retrieve_pairs` (a block's product is with every
#: target within reach of any of its postcodes: small blocks waste little of it).
BLOCK_YOUTH = 256
#: The same for mentor slots: a mentor's reach (the largest slot distance) covers most of a
#: region, so neighbouring postcodes reach nearly the same slots and a larger block adds few
#: to its product, while each block's Python glue holds the GIL (national: 0.6 -> 0.5 s).
SLOT_BLOCK_YOUTH = 1024


def top_per_row(rows: IntArray, vals: FloatArray, m: int) -> BoolArray:
    """Mask of the ``m`` best entries per row (value desc; equal values keep input order).

    One float sort on ``row * span - value`` instead of a lexsort; ``span`` exceeds every value,
    so rows never mix.
    """
    if not len(rows):
        return np.zeros(0, dtype=np.bool_)
    span = float(vals.max()) + 1.0
    order = np.argsort((rows - rows.min()) * span - vals, kind="stable")
    keep = np.zeros(len(rows), dtype=np.bool_)
    keep[order[rank_in_runs(rows[order]) < m]] = True
    return keep


def retrieve_pairs(
    geo: GeoIndex,
    youth: YouthArrays,
    target: OpeningArrays | SlotArrays,
    youth_features: sp.csr_matrix,
    target_features: sp.csr_matrix,
    rules: Mapping[str, Rule],
    today: int,
    tolerance: int,
    per_youth: int,
    rows: IntArray | None = None,
    chunk: int = 2000,
    block_youth: int = BLOCK_YOUTH,
) -> tuple[IntArray, IntArray]:
    """Plausible pairs from the sparse product, restricted to allowed pairs; top per youth.

    Youth are sorted by postcode (Danish postcodes are numbered geographically) and cut into
    *geographic blocks* of neighbouring postcodes (about ``block_youth`` youth, never part of
    a postcode); each block is multiplied only with the targets within reach of its
    postcodes, so the product never touches most out-of-reach pairs, and only pairs within
    the block's reach radius go on to the hard rules. The best ``per_youth`` are chosen per
    ``chunk`` of youth.

    Exactly the pairs of one product per chunk against every target in the chunk's reach:
    a row of a sparse product does not depend on the other rows or on the columns that
    cannot be reached, and the blocks keep the chunk's row order and each row's column order
    (target rows ascending in every block), so ties are broken the same way.
    """
    if rows is None:
        rows = np.arange(len(youth), dtype=np.int64)
    rows = rows[youth.pc[rows] >= 0]
    rows = rows[np.lexsort((rows, youth.pc[rows]))]
    radius = reach_radius(youth, target)
    if rules.get("commute") is rule_commute and radius is youth.commute:
        # A block keeps only the pairs within the youth's reach radius (_block_pairs): for
        # openings that is the commute rule itself, which then removes nothing (national:
        # 20 million pairs a night, 0.14 s of CPU).
        rules = {name: rule for name, rule in rules.items() if name != "commute"}
    if len(rows):
        geo.prepare(float(radius[rows].max()))
    # The targets' postcodes, unknown ones as the table's extra row (never within reach).
    t_pc = np.where(target.pc < 0, geo.n, target.pc)

    def chunk_top(start: int) -> tuple[IntArray, IntArray]:
        members = rows[start : start + chunk]
        parts: list[tuple[IntArray, IntArray, FloatArray]] = []
        for block in _geo_blocks(youth.pc[members], block_youth):
            b_rows = members[block]
            yi, tj, vals = _block_pairs(
                geo,
                youth,
                target,
                youth_features,
                target_features,
                b_rows,
                radius,
                t_pc,
                rules,
                today,
                tolerance,
            )
            if len(yi):
                parts.append((yi, tj, vals))
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        yi = np.concatenate([p[0] for p in parts])
        tj = np.concatenate([p[1] for p in parts])
        vals = np.concatenate([p[2] for p in parts])
        top = top_per_row(yi, vals, per_youth)
        return yi[top], tj[top]

    # Chunks are independent: threads (NumPy and SciPy release the GIL in the heavy parts),
    # results in chunk order, so the outcome does not depend on the threads.
    found = ordered_map(chunk_top, range(0, len(rows), chunk))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _geo_blocks(pcs: IntArray, size: int) -> Iterator[IntArray]:
    """Positions of runs of whole postcodes (``pcs`` sorted), about ``size`` per run."""
    if not len(pcs):
        return
    cuts = np.r_[0, np.flatnonzero(pcs[1:] != pcs[:-1]) + 1, len(pcs)]
    begin = 0
    for end in cuts[1:].tolist():
        if end - begin >= size or end == len(pcs):
            yield np.arange(begin, end)
            begin = end
        # else: extend the block with the next postcode


def _block_pairs(
    geo: GeoIndex,
    youth: YouthArrays,
    target: OpeningArrays | SlotArrays,
    youth_features: sp.csr_matrix,
    target_features: sp.csr_matrix,
    b_rows: IntArray,
    radius: FloatArray,
    t_pc: IntArray,
    rules: Mapping[str, Rule],
    today: int,
    tolerance: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Allowed pairs of one geographic block with a positive product value, in row order
    (each row's columns in the product's order)."""
    empty = np.zeros(0, dtype=np.int64)
    # The block's youth are in postcode order: each postcode's youth are one run.
    pc_of = youth.pc[b_rows]
    starts = run_starts(pc_of)
    pcs = pc_of[starts]
    reach = np.zeros(geo.n + 1, dtype=np.bool_)
    radii = np.maximum.reduceat(radius[b_rows], starts)
    for pc, rad in zip(pcs.tolist(), radii.tolist(), strict=True):
        reach[geo.within(pc, rad)[0]] = True
    # The targets at the postcodes within reach, ascending: one mask over the targets (a
    # gather of 40,000 bytes) instead of a run of targets per postcode within reach
    # (hundreds of small slices in Python for a mentor block).
    cand = np.flatnonzero(reach[t_pc])
    if not len(cand):
        return empty, empty, np.zeros(0)
    product = (youth_features[b_rows] @ target_features[cand].T).tocoo()
    # Distance by one gather per (youth postcode, target): table rows of the block's postcodes.
    pc_pos = np.repeat(np.arange(len(pcs)), np.diff(np.r_[starts, len(b_rows)]))
    table = geo.table[np.ix_(pcs, t_pc[cand])]
    dist = np.take(table, pc_pos[product.row] * len(cand) + product.col)
    # Within the reach radius (implied by the reach rules): cuts the block first.
    near = np.flatnonzero(dist <= radius[b_rows][product.row])
    yi = b_rows[product.row[near]]
    tj = cand[product.col[near]]
    ctx = PairContext(youth, target, yi, tj, dist[near], today, tolerance)
    keep = passes(ctx, rules)
    # The values of the allowed pairs only (about two in five of those within reach).
    return yi[keep], tj[keep], product.data[near[keep]]
