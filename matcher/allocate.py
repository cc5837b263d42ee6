"""Capacity-aware allocation of scored pairs (see matcher/README.md, "Allocation").

The building block is the **greedy by score**: take pairs in order of score (ties: youth id,
then target id) and accept a pair when its youth has fewer than ``k`` accepted targets and its
target fewer than ``cap`` accepted youth. For scores shared by both sides this is the unique
stable allocation (no youth and target that would both rather have each other than one of
their accepted partners) and a 1/2-approximation of the maximum-weight capacitated matching.

It is computed in vectorised *rounds* that give exactly the sequential result: among the
pairs still undecided, a pair that is within the best ``room(youth)`` of its youth and the
best ``room(target)`` of its target is accepted by the sequential greedy whatever happens to
the pairs above it (even if all of them were accepted, its youth and target still have room).
Accept all such pairs, update the rooms, drop pairs of full youth or targets, repeat. Each
round accepts at least the best remaining pair; after ``MAX_ROUNDS`` a sequential loop over
the few pairs left finishes the job.

Stages, so no one is left empty who could have been served (IPS: zero exclusion):

1. the greedy with ``k = 1``: every youth competes for one seat, in the greedy's fairness
   order (best pairs first);
2. **coverage repair** (:func:`_augment`): the youth still empty that have pairs get a first
   pair along augmenting paths ``youth -> full target -> its stage-1 holder -> another target
   of that holder -> ... -> target with room``; the holders along a path shift one step, so
   the empty youth gets a first suggestion and nobody loses theirs. All paths at once, as a
   maximum flow in the residual network of the stage-1 matching (SciPy's Dinic, in C). By
   Berge's theorem, with no augmenting path left the number of youth with a first suggestion
   is the maximum b-matching size (youth 1, target ``cap``);
3. the greedy again over the remaining pairs with the remaining capacities and ``k - 1``.

Guarantees: no target above its cap, no youth above ``k``, the number of youth with at least
one suggestion is maximum over the pairs given, deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from matcher.encode import FloatArray, IntArray
from matcher.parallel import ordered_map

BoolArray = npt.NDArray[np.bool_]
#: Pair indices and rows in the compact dtypes the greedy's rounds read (int32, uint16).
Rows = npt.NDArray[np.integer[Any]]
MAX_ROUNDS = 12


def _digits(keys: npt.NDArray[np.unsignedinteger], bits: int) -> list[npt.NDArray[np.uint16]]:
    """``keys`` (non-negative, below ``2**bits``) as 16-bit digits, least significant first."""
    return [((keys >> shift) & 0xFFFF).astype(np.uint16) for shift in range(0, max(bits, 1), 16)]


def _descending_score_digits(score: FloatArray) -> list[npt.NDArray[np.uint16]] | None:
    """Digits whose ascending order is ``score`` descending, or None when a score is NaN or
    negative. A non-negative float64's bits, as an unsigned integer, increase with it (+0.0
    turns -0.0, equal to 0.0 but with the sign bit, into 0.0); inverted, they decrease."""
    if not bool(np.all(score >= 0)):
        return None
    return _digits(~(score + 0.0).view(np.uint64), 64)


def _group_orders(
    yi: IntArray, tj: IntArray, score: FloatArray, n_youth: int, n_t: int
) -> tuple[IntArray, IntArray]:
    """Pair indices by (youth row, priority) and by (target row, priority); priority is score
    descending, ties by (youth row, target row) ascending.

    Each is one np.lexsort over 16-bit digits (a stable indirect sort that takes a radix sort
    per 16-bit key: several times faster than comparison sorts of 64-bit keys): the score's
    digits, then the row's; ties keep pair order. The two sorts are independent and run on
    the engine's threads (NumPy releases the GIL while sorting)."""
    pair_key = yi * n_t + tj
    if bool(np.all(pair_key[1:] > pair_key[:-1])):
        by_pair = None  # already in pair order (the engine's candidates are)
    else:
        by_pair = np.argsort(pair_key, kind="stable")
        yi, tj, score = yi[by_pair], tj[by_pair], score[by_pair]
    del pair_key
    by_score = _descending_score_digits(score)
    if by_score is None:  # rank in a stable sort by -score (ties keep pair order)
        rank = np.empty(len(score), dtype=np.uint64)
        rank[np.argsort(-score, kind="stable")] = np.arange(len(score), dtype=np.uint64)
        by_score = _digits(rank, len(score).bit_length())
    keys = [
        by_score + _digits(yi.astype(np.uint64), int(n_youth - 1).bit_length()),
        by_score + _digits(tj.astype(np.uint64), int(n_t - 1).bit_length()),
    ]
    by_youth, by_target = ordered_map(np.lexsort, keys)
    if by_pair is not None:
        by_youth, by_target = by_pair[by_youth], by_pair[by_target]
    return by_youth, by_target


def output_order(yi: IntArray, tj: IntArray, score: FloatArray, n_youth: int, n_t: int) -> IntArray:
    """Indices of the pairs by youth row, score descending, target row: a youth's
    suggestions in the order they are shown (``np.lexsort((tj, -score, yi))``, by 16-bit
    digits when the scores allow)."""
    by_score = _descending_score_digits(score)
    if by_score is None:
        out: IntArray = np.lexsort((tj, -score, yi))
        return out
    keys = (
        _digits(tj.astype(np.uint64), int(n_t - 1).bit_length())
        + by_score
        + _digits(yi.astype(np.uint64), int(n_youth - 1).bit_length())
    )
    out = np.lexsort(keys)
    return out


def allocate(
    yi: IntArray,
    tj: IntArray,
    score: FloatArray,
    youth_ids: IntArray,
    target_ids: IntArray,
    k: int,
    cap: IntArray,
    n_youth: int,
    augment: bool = True,
) -> BoolArray:
    """Mask of accepted pairs. ``cap[t]`` is the number of youth target ``t`` may be offered.

    ``augment=False`` skips the coverage repair (the plain two-stage greedy, for tests).
    """
    n = len(yi)
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    # Global priority: score desc, youth id asc, target id asc. Rows are in id order on both
    # sides (the engine sorts by id), so row order is id order.
    for name, ids in (("youth", youth_ids), ("target", target_ids)):
        if len(ids) > 1 and bool(np.any(np.diff(ids) <= 0)):
            raise ValueError(f"{name} rows must be in increasing id order")
    n_t = len(cap)
    # 32-bit indices where they fit (16-bit target rows): the rounds below are bound by
    # memory traffic, and these arrays live through the coverage repair (peak memory).
    small = np.int32 if max(n, n_youth, n_t) < 2**31 else np.int64
    orders_by = _group_orders(yi, tj, score, n_youth, n_t)
    by_youth: Rows = orders_by[0].astype(small)
    by_target: Rows = orders_by[1].astype(small)
    del orders_by
    # With the youth and target of each pair in those orders: what the greedy's rounds read.
    y32: Rows = yi.astype(small)
    t16: Rows = tj.astype(np.uint16 if n_t <= 2**16 else small)
    orders = _Orders(
        by_youth, y32[by_youth], t16[by_youth], by_target, y32[by_target], t16[by_target]
    )
    del y32, t16
    room_t = cap.astype(np.int64).copy()
    first = _greedy(
        yi,
        tj,
        score,
        orders,
        np.ones(n_youth, dtype=np.int64),
        room_t,
        np.ones(n, dtype=np.bool_),
    )
    # _greedy updated room_t in place; _augment too.
    if augment:
        _augment(yi, tj, first, room_t, n_youth)
    room_y = np.full(n_youth, k - 1, dtype=np.int64)
    second = _greedy(yi, tj, score, orders, room_y, room_t, ~first)
    return first | second


@dataclass
class _Orders:
    """The pairs in (youth, priority) order with their youth and target, and in (target,
    priority) order with their youth and target."""

    by_youth: Rows
    youth_of_y: Rows
    target_of_y: Rows
    by_target: Rows
    youth_of_t: Rows
    target_of_t: Rows


def _greedy(
    yi: IntArray,
    tj: IntArray,
    score: FloatArray,
    orders: _Orders,
    room_y: IntArray,
    room_t: IntArray,
    eligible: BoolArray,
) -> BoolArray:
    """Sequential greedy result over ``eligible`` pairs in priority order (rooms are updated)."""
    n = len(yi)
    accepted = np.zeros(n, dtype=np.bool_)
    live = eligible & (room_t[tj] > 0) & (room_y[yi] > 0)
    # Live pairs in (youth, priority) order, with their youth and target, and the same pairs
    # in (target, priority) order: only filtered (in order) every round. (Read only: the
    # orders are shared by the calls; a round's filter makes new arrays.)
    if bool(live.all()):  # the first stage: every pair
        yp, yy, yt = orders.by_youth, orders.youth_of_y, orders.target_of_y
        tp, ty, tt = orders.by_target, orders.youth_of_t, orders.target_of_t
    else:
        keep = live[orders.by_youth]
        yp, yy, yt = orders.by_youth[keep], orders.youth_of_y[keep], orders.target_of_y[keep]
        keep = live[orders.by_target]
        tp, ty, tt = orders.by_target[keep], orders.youth_of_t[keep], orders.target_of_t[keep]
        del keep
    del live
    ok_t = np.zeros(n, dtype=np.bool_)
    position = np.arange(max(len(yp), len(tp)), dtype=np.int64)
    limit_y = np.zeros(len(room_y), dtype=np.int64)
    limit_t = np.zeros(len(room_t), dtype=np.int64)

    def within_room(values: Rows, room: IntArray, limit: IntArray) -> BoolArray:
        """``rank_in_runs(values) < room[values]`` (``values`` grouped, not empty): a
        position is within its run's room when it is before the run's start plus the room
        (one gather per pair instead of the ranks' repeat, arange and subtraction)."""
        starts = np.flatnonzero(values[1:] != values[:-1]) + 1
        limit[values[0]] = room[values[0]]
        heads = values[starts]
        limit[heads] = starts + room[heads]
        out: BoolArray = position[: len(values)] < limit[values]
        return out

    for _ in range(MAX_ROUNDS):
        if not len(yp):
            return accepted
        within_t = tp[within_room(tt, room_t, limit_t)]
        ok_t[within_t] = True
        sel = within_room(yy, room_y, limit_y)
        sel &= ok_t[yp]
        ok_t[within_t] = False
        accepted[yp[sel]] = True
        room_y -= np.bincount(yy[sel], minlength=len(room_y))
        room_t -= np.bincount(yt[sel], minlength=len(room_t))
        # Filters on booleans per youth and target (a byte gathered per pair, not 8).
        open_y, open_t = room_y > 0, room_t > 0
        keep = open_y[yy]
        keep &= open_t[yt]
        keep &= ~sel
        yp, yy, yt = yp[keep], yy[keep], yt[keep]
        keep = open_y[ty]
        keep &= open_t[tt]
        keep &= ~accepted[tp]
        tp, ty, tt = tp[keep], ty[keep], tt[keep]
    # Sequential finish over what is left, in priority order (score desc, youth row, target
    # row, as _group_orders orders them; ties of equal pairs by index).
    left = np.sort(yp).astype(np.int64)
    left = left[np.lexsort((tj[left], yi[left], -score[left]))]
    ry_l, rt_l = room_y.tolist(), room_t.tolist()
    for p, y, t in zip(left.tolist(), yi[left].tolist(), tj[left].tolist(), strict=True):
        if ry_l[y] > 0 and rt_l[t] > 0:
            accepted[p] = True
            ry_l[y] -= 1
            rt_l[t] -= 1
    room_y[:] = ry_l
    room_t[:] = rt_l
    return accepted


def _augment(
    yi: IntArray,
    tj: IntArray,
    first: BoolArray,
    room_t: IntArray,
    n_youth: int,
) -> None:
    """Give empty youth a first pair along augmenting paths (``first``, ``room_t`` updated).

    Youth hold at most one pair in ``first``. The augmenting paths of the stage-1 matching
    are the source-sink paths of its *residual network*: source -> each empty youth (1) ->
    target, for every pair not held (1) -> the holder of a held pair, backwards (1) -> ... ->
    target -> sink (the target's room). A maximum flow there (SciPy's Dinic, in C) is a
    largest set of augmentations applied at once: a held pair with flow on its backward edge
    is given up, a pair with flow is taken. Flow conservation keeps every youth at one pair
    (one unit in, one out) and every target within its room. No-op (two bincounts) when the
    greedy already served everyone.
    """
    held = np.full(n_youth, -1, dtype=np.int64)
    held[yi[first]] = np.flatnonzero(first)
    has_pairs = np.bincount(yi, minlength=n_youth) > 0
    empty = np.flatnonzero(has_pairs & (held < 0))
    if not len(empty) or not bool(np.any(room_t > 0)):
        return
    n_t = len(room_t)
    source, sink = n_youth + n_t, n_youth + n_t + 1
    free = np.flatnonzero(~first)
    taken = np.flatnonzero(first)
    with_room = np.flatnonzero(room_t > 0)
    rows = np.concatenate(
        [np.full(len(empty), source), yi[free], n_youth + tj[taken], n_youth + with_room]
    )
    cols = np.concatenate([empty, n_youth + tj[free], yi[taken], np.full(len(with_room), sink)])
    caps = np.concatenate(
        [np.ones(len(rows) - len(with_room), dtype=np.int32), room_t[with_room].astype(np.int32)]
    )
    graph = sp.csr_matrix((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    del rows, cols, caps
    flow = maximum_flow(graph, source, sink, method="dinic").flow.tocoo()
    del graph
    used = flow.data > 0
    u, v = flow.row[used].astype(np.int64), flow.col[used].astype(np.int64)
    del flow, used
    give_up, take = _flowing_pairs(yi, tj, first, taken, free, u, v, n_youth, n_t)
    first[give_up] = False
    first[take] = True
    room_t -= np.bincount(tj[take], minlength=n_t) - np.bincount(tj[give_up], minlength=n_t)


def _flowing_pairs(
    yi: IntArray,
    tj: IntArray,
    first: BoolArray,
    taken: IntArray,
    free: IntArray,
    u: IntArray,
    v: IntArray,
    n_youth: int,
    n_t: int,
) -> tuple[IntArray, IntArray]:
    """The held pairs given up (flow on their backward edge target -> youth) and the free
    pairs taken (flow on their edge youth -> target), each in ascending pair order, from the
    edges ``u -> v`` that carry flow.

    The flow is a few hundred edges against over a million pairs (national mentor slots):
    when the pairs are in strictly increasing (youth, target) order (the engine's candidates
    are; each edge is then one pair), each flowing edge finds its pair by a binary search
    (sorted: the order of a mask over the pairs) instead of every pair looking itself up
    among the flowing edges. Otherwise the pairs look themselves up."""
    keys = yi * n_t + tj
    if len(keys) and bool(np.all(keys[1:] > keys[:-1])):
        # Youth are nodes 0..n_youth-1, targets the next n_t (then the source and the sink).
        youth, target = u < n_youth, (u >= n_youth) & (u < n_youth + n_t)
        fwd = youth & (v >= n_youth) & (v < n_youth + n_t)
        back = target & (v < n_youth)
        take = _pairs_of(keys, u[fwd] * n_t + (v[fwd] - n_youth), ~first)
        give_up = _pairs_of(keys, v[back] * n_t + (u[back] - n_youth), first)
        return give_up, take
    n = n_youth + n_t + 2
    used_keys = np.sort(u * n + v)
    give_up = taken[_member(yi[taken] + (n_youth + tj[taken]) * n, used_keys)]
    take = free[_member(yi[free] * n + n_youth + tj[free], used_keys)]
    return give_up, take


def _pairs_of(keys: IntArray, wanted: IntArray, eligible: BoolArray) -> IntArray:
    """The pairs (``keys`` strictly increasing) whose key is among ``wanted`` and that are
    ``eligible``, ascending."""
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    pos = pos[(keys[pos] == wanted) & eligible[pos]]
    out: IntArray = np.unique(pos)
    return out


def _member(values: IntArray, sorted_keys: IntArray) -> BoolArray:
    """``np.isin(values, sorted_keys)`` for sorted keys: one binary search per value, no
    sort of the values (which held several copies of the pair arrays at national scale)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=np.bool_)
    pos = np.searchsorted(sorted_keys, values)
    pos[pos == len(sorted_keys)] = 0
    out: BoolArray = sorted_keys[pos] == values
    return out
