"""Independent blocks of work on the matching machine's cores.

NumPy and SciPy release the GIL in their heavy loops (sorts, sparse products, ufuncs), so
threads share the work of large array operations; Python glue between them runs one thread
at a time. Results come back in input order, so an outcome never depends on which thread
finished first.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

#: Threads for independent blocks of work (the matching machine has two cores).
WORKERS = 2
#: glibc's ``mallopt`` parameter for the number of malloc arenas.
_M_ARENA_MAX = -8


@functools.cache
def glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc on Linux (for ``mallopt`` and ``malloc_trim``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (e.g. musl): nothing to tune
        return None


def _one_malloc_arena() -> None:
    """One malloc arena for the process. glibc gives each new thread an arena of its own, and
    what a worker frees stays in its arena, out of the main thread's reach: at national scale
    the engine's threads raised the peak by about 90 MB. The threads here allocate rarely
    (large NumPy buffers), so sharing one arena costs no measurable time."""
    libc = glibc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(_M_ARENA_MAX, 1)


_one_malloc_arena()

_T = TypeVar("_T")
_R = TypeVar("_R")


def ordered_map(fn: Callable[[_T], _R], items: Iterable[_T]) -> list[_R]:
    """``[fn(x) for x in items]``, on up to :data:`WORKERS` threads, in input order."""
    todo = list(items)
    if WORKERS <= 1 or len(todo) <= 1:
        return [fn(x) for x in todo]
    with ThreadPoolExecutor(min(WORKERS, len(todo))) as pool:
        return list(pool.map(fn, todo))
