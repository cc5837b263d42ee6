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

Two stages, so no one is left empty because popular openings filled up (IPS: zero exclusion):

1. the greedy with ``k = 1``: every youth competes for one seat. A youth is left without a
   suggestion only if every target it could have is full with youth who each have exactly
   one suggestion (their best available) — taking one away would just empty another youth;
2. the greedy again over the remaining pairs with the remaining capacities and ``k - 1``.

Guarantees: no target above its cap, no youth above ``k``, deterministic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matcher.encode import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]
MAX_ROUNDS = 12


def _rank_within(groups: IntArray, live: BoolArray) -> IntArray:
    """For pairs already sorted by (group, priority): rank among live pairs of the group."""
    c = np.cumsum(live)
    start = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    lengths = np.diff(np.r_[start, len(groups)])
    before = np.repeat(np.r_[0, c][start], lengths)
    out: IntArray = c - before - 1
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
) -> BoolArray:
    """Mask of accepted pairs. ``cap[t]`` is the number of youth target ``t`` may be offered."""
    n = len(yi)
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    # Global priority: score desc, youth id asc, target id asc.
    prio = np.lexsort((target_ids[tj], youth_ids[yi], -score))
    rank = np.empty(n, dtype=np.int64)
    rank[prio] = np.arange(n)
    by_youth = np.lexsort((rank, yi))
    by_target = np.lexsort((rank, tj))
    room_t = cap.astype(np.int64).copy()
    first = _greedy(
        yi,
        tj,
        prio,
        by_youth,
        by_target,
        np.ones(n_youth, dtype=np.int64),
        room_t,
        np.ones(n, dtype=np.bool_),
    )
    # _greedy updated room_t in place.
    room_y = np.full(n_youth, k - 1, dtype=np.int64)
    second = _greedy(yi, tj, prio, by_youth, by_target, room_y, room_t, ~first)
    return first | second


def _greedy(
    yi: IntArray,
    tj: IntArray,
    prio: IntArray,
    by_youth: IntArray,
    by_target: IntArray,
    room_y: IntArray,
    room_t: IntArray,
    eligible: BoolArray,
) -> BoolArray:
    """Sequential greedy result over ``eligible`` pairs in ``prio`` order (rooms are updated)."""
    n = len(yi)
    accepted = np.zeros(n, dtype=np.bool_)
    live = eligible & (room_t[tj] > 0) & (room_y[yi] > 0)
    for _ in range(MAX_ROUNDS):
        if not live.any():
            break
        ry = np.empty(n, dtype=np.int64)
        ry[by_youth] = _rank_within(yi[by_youth], live[by_youth])
        rt = np.empty(n, dtype=np.int64)
        rt[by_target] = _rank_within(tj[by_target], live[by_target])
        take = live & (ry < room_y[yi]) & (rt < room_t[tj])
        accepted |= take
        room_y -= np.bincount(yi[take], minlength=len(room_y))
        room_t -= np.bincount(tj[take], minlength=len(room_t))
        live &= ~take & (room_y[yi] > 0) & (room_t[tj] > 0)
    else:
        # Sequential finish over what is left, in priority order.
        left = prio[live[prio]]
        ry_l, rt_l = room_y.tolist(), room_t.tolist()
        for p, y, t in zip(left.tolist(), yi[left].tolist(), tj[left].tolist(), strict=True):
            if ry_l[y] > 0 and rt_l[t] > 0:
                accepted[p] = True
                ry_l[y] -= 1
                rt_l[t] -= 1
        room_y[:] = ry_l
        room_t[:] = rt_l
    return accepted
