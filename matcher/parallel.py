"""Independent blocks of work on the matching machine's cores.

NumPy and SciPy release the GIL in their heavy loops (sorts, sparse products, ufuncs), so
threads share the work of large array operations; Python glue between them runs one thread
at a time. Results come back in input order, so an outcome never depends on which thread
finished first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

#: Threads for independent blocks of work (the matching machine has two cores).
WORKERS = 2

_T = TypeVar("_T")
_R = TypeVar("_R")


def ordered_map(fn: Callable[[_T], _R], items: Iterable[_T]) -> list[_R]:
    """``[fn(x) for x in items]``, on up to :data:`WORKERS` threads, in input order."""
    todo = list(items)
    if WORKERS <= 1 or len(todo) <= 1:
        return [fn(x) for x in todo]
    with ThreadPoolExecutor(min(WORKERS, len(todo))) as pool:
        return list(pool.map(fn, todo))
