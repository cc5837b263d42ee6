"""Capacity-aware allocation of scored pairs (see matcher/README.md, "Allocation").

Pass 1 — greedy by score. Sequentially, the greedy takes pairs in order of score (ties: youth
id, then target id) and accepts a pair when its youth has fewer than ``k`` accepted targets
and its target fewer than ``cap`` accepted youth. This is the unique stable allocation for
scores shared by both sides (no youth and target that would both rather have each other) and
a 1/2-approximation of the maximum-weight capacitated matching.

It is computed in vectorised *rounds* that give exactly the sequential result: among the
pairs still undecided, a pair that is within the best ``remaining_k(youth)`` of its youth and
the best ``remaining_cap(target)`` of its target is accepted by the sequential greedy whatever
happens to the pairs above it (even if all of them were accepted, its youth and target still
have room). Accept all such pairs, update capacities, drop pairs of full youth or targets,
repeat. Each round accepts at least the best remaining pair; in practice a handful of rounds
finish, and a short sequential loop takes over if many rounds would be needed.

Pass 2 — no one left empty. A youth with candidate pairs but nothing accepted (its targets
were all filled by better-scored youth) takes a seat from the lowest-scored accepted youth of
one of its targets who has at least two suggestions. Caps and ``k`` stay respected, and no
youth loses its last suggestion.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matcher.encode import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]
MAX_ROUNDS = 30


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
    accepted = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return accepted
    # Global priority: score desc, youth id asc, target id asc.
    prio = np.lexsort((target_ids[tj], youth_ids[yi], -score))
    rank = np.empty(n, dtype=np.int64)
    rank[prio] = np.arange(n)
    by_youth = np.lexsort((rank, yi))
    by_target = np.lexsort((rank, tj))
    room_y = np.full(n_youth, k, dtype=np.int64)
    room_t = cap.astype(np.int64).copy()
    live = (room_t[tj] > 0).copy()
    for _ in range(MAX_ROUNDS):
        if not live.any():
            break
        ry = np.empty(n, dtype=np.int64)
        ry[by_youth] = _rank_within(yi[by_youth], live[by_youth])
        rt = np.empty(n, dtype=np.int64)
        rt[by_target] = _rank_within(tj[by_target], live[by_target])
        take = live & (ry < room_y[yi]) & (rt < room_t[tj])
        accepted |= take
        np.subtract.at(room_y, yi[take], 1)
        np.subtract.at(room_t, tj[take], 1)
        live &= ~take & (room_y[yi] > 0) & (room_t[tj] > 0)
    else:
        # Sequential finish over what is left, in priority order.
        for p in prio[live[prio]].tolist():
            y, t = yi[p], tj[p]
            if room_y[y] > 0 and room_t[t] > 0:
                accepted[p] = True
                room_y[y] -= 1
                room_t[t] -= 1
    _no_one_empty(yi, tj, score, prio, accepted, n_youth)
    return accepted


def _no_one_empty(
    yi: IntArray, tj: IntArray, score: FloatArray, prio: IntArray, accepted: BoolArray,
    n_youth: int,
) -> None:
    has_pairs = np.bincount(yi, minlength=n_youth) > 0
    count = np.bincount(yi[accepted], minlength=n_youth)
    empty = np.flatnonzero(has_pairs & (count == 0))
    if not len(empty):
        return
    # Accepted pairs per target, worst first (reverse priority).
    holders: dict[int, list[int]] = {}
    for p in prio[accepted[prio]][::-1].tolist():
        holders.setdefault(int(tj[p]), []).append(p)
    is_empty = np.zeros(n_youth, dtype=np.bool_)
    is_empty[empty] = True
    for p in prio[is_empty[yi[prio]]].tolist():  # the empty youths' pairs, best first
        y, t = int(yi[p]), int(tj[p])
        if count[y] > 0:
            continue
        for q in holders.get(t, []):
            other = int(yi[q])
            if accepted[q] and count[other] >= 2:
                accepted[q] = False
                count[other] -= 1
                accepted[p] = True
                count[y] += 1
                holders[t].remove(q)
                holders[t].append(p)
                break
