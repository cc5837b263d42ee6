"""Index arithmetic on ragged data, shared by the engine's vectorised stages.

Two shapes recur: *runs* — a grouped array (equal values next to each other, e.g. pairs in
youth order), where each element's rank within its run is wanted — and *spans* — ragged rows
stored flat (CSR-like: a start and a count per row), whose positions are gathered in one go.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def run_starts(values: npt.NDArray[np.generic]) -> IntArray:
    """Positions where a run of equal values begins (``values`` grouped)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def rank_in_runs(values: npt.NDArray[np.generic]) -> IntArray:
    """Each element's rank within its run of equal values (``values`` grouped)."""
    starts = run_starts(values)
    lengths = np.diff(np.r_[starts, len(values)])
    out: IntArray = np.arange(len(values), dtype=np.int64) - np.repeat(starts, lengths)
    return out


def spans(starts: npt.NDArray[np.integer], counts: npt.NDArray[np.integer]) -> IntArray:
    """``starts[i], starts[i] + 1, …, starts[i] + counts[i] - 1`` for every ``i``, one after
    another: the flat positions of ragged rows (counts >= 0)."""
    counts = counts.astype(np.int64)
    first = np.cumsum(counts) - counts  # where each row's positions begin in the output
    out: IntArray = np.repeat(starts.astype(np.int64) - first, counts) + np.arange(
        int(counts.sum()), dtype=np.int64
    )
    return out
