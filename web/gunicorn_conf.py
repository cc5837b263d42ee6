"""gunicorn settings, shared by the production image and the web benchmark.

``gunicorn -c python:web.gunicorn_conf 'web:create_app()'``; command-line options override.

Sync workers, two per core. Requests are short and mostly CPU (rendering), and the GIL lets
only one thread of a process run Python at a time, so processes serve them better than
threads: on the 2-core benchmark machine (bench/web_bench.py, 50 users) 4 sync workers gave a
review-queue p95 of 88 ms against 120 ms for 2 workers x 4 threads; two per core also keeps a
core busy while the other worker waits for PostgreSQL. ``WEB_CONCURRENCY`` sets the number.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
threads = 1
# A request that takes this long is stuck; the worker is replaced.
timeout = 60
graceful_timeout = 30


# The cyclic garbage collector. A worker holds about 250,000 tracked objects once the app is
# loaded (modules, the ORM's mappers, Babel's locale data), and each full collection walked
# them all: 120-250 ms on one request every few hundred. Frozen when the worker starts (and
# again after the engine's warm-up), they are left out of every collection. A request makes
# tens of thousands of short-lived objects, so a collection every 700 allocations ran about
# twice per review-queue request; every 5,000 it runs about once in eight. Together: the
# queue's GC time 0.94 -> 0.24 ms per request, and no pause over a few ms.
GC_YOUNG_THRESHOLD = 5000


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Each worker builds its matching engine in the background as it starts (web/warmup.py)
    and freezes what it has loaded out of the garbage collector's way."""
    from web.warmup import start_warm_up

    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    start_warm_up(worker.wsgi, freeze=True)
