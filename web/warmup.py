"""Warm a web worker's matching engine as it starts (gunicorn's ``post_worker_init``).

The first fast-path call of a process builds the taxonomy, fits the engine on every live
opening and indexes every active profile: about 12 s at national scale. Done in a thread
when the worker starts, it is over before a company saves its first opening. Set
``UNGELOEFTET_WARM_UP=0`` to skip it (the web benchmark does: the pages it measures read
stored suggestions and never call the engine).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time

from flask import Flask

from models.base import utcnow
from web.db import get_db

log = logging.getLogger(__name__)


def warm_up_engine(app: Flask) -> bool:
    """Build the engine and youth index in this process now; False if there was nothing to
    index or it failed (the fast path then builds it on first use, as before)."""
    from jobs.matching import warm_up
    from models.clock import local_date

    with app.app_context():
        try:
            clock = time.perf_counter()
            done = warm_up(get_db(), local_date(utcnow()))
            log.info("matching engine warmed up in %.1f s", time.perf_counter() - clock)
            return done
        except Exception:  # noqa: BLE001 - a failed warm-up only costs the first request time
            log.exception("warming up the matching engine failed")
            return False


def start_warm_up(app: Flask, *, freeze: bool = False) -> threading.Thread | None:
    """Warm up in a thread; ``freeze``: afterwards, move what the worker then holds (the
    engine, its index) out of the garbage collector's way (web/gunicorn_conf.py)."""
    if os.environ.get("UNGELOEFTET_WARM_UP", "1") == "0":
        return None

    def run() -> None:
        warm_up_engine(app)
        if freeze:
            gc.freeze()

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread
