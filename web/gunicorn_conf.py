"""gunicorn settings, shared by the production image and the web benchmark.

``gunicorn -c python:web.gunicorn_conf 'web:create_app()'``; command-line options override.

Sync workers, two per core. Requests are short and mostly CPU (rendering), and the GIL lets
only one thread of a process run Python at a time, so processes serve them better than
threads: on the 2-core benchmark machine (bench/web_bench.py, 50 users) 4 sync workers gave a
review-queue p95 of 88 ms against 120 ms for 2 workers x 4 threads; two per core also keeps a
core busy while the other worker waits for PostgreSQL. ``WEB_CONCURRENCY`` sets the number.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
threads = 1
# A request that takes this long is stuck; the worker is replaced.
timeout = 60
graceful_timeout = 30


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Each worker builds its matching engine in the background as it starts (web/warmup.py)."""
    from web.warmup import start_warm_up

    start_warm_up(worker.wsgi)
