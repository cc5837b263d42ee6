"""The index helpers shared by the engine's vectorised stages (matcher/arrays.py)."""

from __future__ import annotations

import numpy as np

from matcher.arrays import rank_in_runs, run_starts, spans


def test_runs_of_a_grouped_array() -> None:
    values = np.array([3, 3, 5, 7, 7, 7, 3])
    assert run_starts(values).tolist() == [0, 2, 3, 6]
    assert rank_in_runs(values).tolist() == [0, 1, 0, 0, 1, 2, 0]
    assert run_starts(np.array([], dtype=np.int64)).tolist() == []
    assert rank_in_runs(np.array([], dtype=np.int64)).tolist() == []


def test_spans_are_the_positions_of_ragged_rows() -> None:
    starts = np.array([10, 0, 4, 7])
    counts = np.array([2, 0, 3, 1])
    expected = [p for s, c in zip(starts, counts, strict=True) for p in range(s, s + c)]
    assert spans(starts, counts).tolist() == expected == [10, 11, 4, 5, 6, 7]
    assert spans(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).tolist() == []
