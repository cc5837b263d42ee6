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
2. **coverage repair** (:func:`_augment`): for each youth still empty that has pairs (best
   first score first, then youth id), a breadth-first search for an augmenting path
   ``youth -> full target -> its stage-1 holder -> another target of that holder -> ...``
   ending at a target with room; the holders along the path shift one step, so the empty
   youth gets a first suggestion and nobody loses theirs. Berge's theorem: when no youth
   has an augmenting path left, the number of youth with a first suggestion is the maximum
   b-matching size (youth 1, target ``cap``). The search is not depth-bounded (a visited set
   bounds it by the targets); a search that fails marks its targets dead until the next
   successful one (Kuhn's trick: a failed search leaves the matching unchanged, so those
   targets still cannot reach room), so failures cost O(pairs) in total between successes;
3. the greedy again over the remaining pairs with the remaining capacities and ``k - 1``.

Guarantees: no target above its cap, no youth above ``k``, the number of youth with at least
one suggestion is maximum over the pairs given, deterministic.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt

from matcher.encode import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]
MAX_ROUNDS = 12


def _rank_in_groups(groups: IntArray) -> IntArray:
    """Rank of each element within its run of equal values (``groups`` is grouped)."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    start = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    lengths = np.diff(np.r_[start, len(groups)])
    out: IntArray = np.arange(len(groups)) - np.repeat(start, lengths)
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
    # sides (the engine sorts by id), so two single-key sorts replace a 3-key lexsort.
    for name, ids in (("youth", youth_ids), ("target", target_ids)):
        if len(ids) > 1 and bool(np.any(np.diff(ids) <= 0)):
            raise ValueError(f"{name} rows must be in increasing id order")
    n_t = len(cap)
    pair_key = yi * n_t + tj
    by_pair = np.argsort(pair_key, kind="stable")
    prio = by_pair[np.argsort(-score[by_pair], kind="stable")]
    rank = np.empty(n, dtype=np.int64)
    rank[prio] = np.arange(n)
    by_youth = np.argsort(yi * n + rank)
    by_target = np.argsort(tj * n + rank)
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
    # _greedy updated room_t in place; _augment too.
    if augment:
        _augment(yi, tj, rank, by_youth, by_target, first, room_t, n_youth)
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
    # Live pairs in (youth, priority) and (target, priority) order; both shrink every round.
    by_y = by_youth[live[by_youth]]
    by_t = by_target[live[by_target]]
    for _ in range(MAX_ROUNDS):
        if not len(by_y):
            return accepted
        ok_y = np.zeros(n, dtype=np.bool_)
        ok_y[by_y[_rank_in_groups(yi[by_y]) < room_y[yi[by_y]]]] = True
        ok_t = np.zeros(n, dtype=np.bool_)
        ok_t[by_t[_rank_in_groups(tj[by_t]) < room_t[tj[by_t]]]] = True
        take = by_y[ok_y[by_y] & ok_t[by_y]]
        accepted[take] = True
        room_y -= np.bincount(yi[take], minlength=len(room_y))
        room_t -= np.bincount(tj[take], minlength=len(room_t))
        by_y = by_y[~accepted[by_y] & (room_y[yi[by_y]] > 0) & (room_t[tj[by_y]] > 0)]
        by_t = by_t[~accepted[by_t] & (room_y[yi[by_t]] > 0) & (room_t[tj[by_t]] > 0)]
    # Sequential finish over what is left, in priority order.
    still = np.zeros(n, dtype=np.bool_)
    still[by_y] = True
    left = prio[still[prio]]
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
    rank: IntArray,
    by_youth: IntArray,
    by_target: IntArray,
    first: BoolArray,
    room_t: IntArray,
    n_youth: int,
) -> None:
    """Give empty youth a first pair along augmenting paths (``first``, ``room_t`` updated).

    Youth hold at most one pair in ``first``. Only youth left empty with pairs start a
    search, so this is a no-op (two bincounts) when the greedy already served everyone.
    Neighbours are visited in priority order (pairs of a youth by score; holders of a target
    by their pair's priority), so the result is deterministic.
    """
    held = np.full(n_youth, -1, dtype=np.int64)
    held[yi[first]] = np.flatnonzero(first)
    has_pairs = np.bincount(yi, minlength=n_youth) > 0
    empty = np.flatnonzero(has_pairs & (held < 0))
    if not len(empty):
        return
    # Vectorised pre-filter: a target is "alive" if it has room or a holder with a pair to an
    # alive target (propagated to a fixed point). A youth with no pair to an alive target has
    # no augmenting path now, hence none later either (Berge/Kuhn); skip it. If the fixed
    # point takes too many rounds, no filter (every empty youth is searched).
    alive = room_t > 0
    held_first = np.flatnonzero(first)
    for _ in range(MAX_ROUNDS * 4):
        youth_alive = np.bincount(yi, weights=alive[tj], minlength=n_youth) > 0
        grown = alive.copy()
        grown[tj[held_first[youth_alive[yi[held_first]]]]] = True
        if bool(np.array_equal(grown, alive)):
            empty = empty[youth_alive[empty]]
            break
        alive = grown
    if not len(empty):
        return
    # Youth rows are grouped in ``by_youth`` (priority order inside); the best pair of a
    # youth comes first, so ordering roots by its rank is "best first score, then id".
    y_sorted = yi[by_youth]
    start = np.searchsorted(y_sorted, np.arange(n_youth + 1))
    empty = empty[np.argsort(rank[by_youth[start[empty]]], kind="stable")]

    pairs_cache: dict[int, list[int]] = {}

    def pairs_of(y: int) -> list[int]:
        got = pairs_cache.get(y)
        if got is None:
            got = by_youth[start[y] : start[y + 1]].tolist()
            pairs_cache[y] = got
        return got

    def prio(q: int) -> int:
        return int(rank[q])

    def target(p: int) -> int:
        return int(tj[p])

    t_start = np.searchsorted(tj[by_target], np.arange(len(room_t) + 1))
    holders_cache: dict[int, list[int]] = {}  # target -> its stage-1 pairs, priority order

    def holders(t: int) -> list[int]:
        got = holders_cache.get(t)
        if got is None:
            rows = by_target[t_start[t] : t_start[t + 1]]
            got = rows[first[rows]].tolist()
            holders_cache[t] = got
        return got

    held_l = held.tolist()
    room = room_t  # updated in place
    dead: set[int] = set()
    for y in empty.tolist():
        enter: dict[int, int] = {}  # target -> pair by which the path enters it
        queue: deque[int] = deque()
        end = -1
        for p in pairs_of(y):
            t = target(p)
            if t in enter or t in dead:
                continue
            enter[t] = p
            if room[t] > 0:
                end = t
                break
            queue.append(t)
        while end < 0 and queue:
            t = queue.popleft()
            for q in holders(t):
                for p in pairs_of(int(yi[q])):
                    t2 = target(p)
                    if t2 in enter or t2 in dead:
                        continue
                    enter[t2] = p
                    if room[t2] > 0:
                        end = t2
                        break
                    queue.append(t2)
                if end >= 0:
                    break
        if end < 0:
            dead.update(enter)
            continue
        dead.clear()
        room[end] -= 1
        t = end
        while True:
            p = enter[t]
            who = int(yi[p])
            old = held_l[who]
            lst = holders(t)  # read before ``first`` changes (the cache is filled from it)
            lst.append(p)
            lst.sort(key=prio)
            first[p] = True
            held_l[who] = p
            if old < 0:
                break
            t = target(old)
            holders(t).remove(old)
            first[old] = False
