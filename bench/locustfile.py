"""Locust users for the web benchmark: caseworkers on the review queue, companies on the
dashboard. Credentials come from the environment set by bench/web_bench.py.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares
the two cores with gunicorn and PostgreSQL, and costs several times less CPU per request
this way, so more of the machine measures the service rather than the tool.

The figures cover ``BENCH_SECONDS`` from the moment the last of ``BENCH_USERS`` users has
logged in (argon2: about 0.3 s of CPU per login): the statistics are reset then and the run
stops that many seconds later, however long the logins took on a busy machine."""

from __future__ import annotations

import os
import re

import gevent
from locust import FastHttpUser, between, task
from locust.env import Environment

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


_logged_in = 0


def _one_more_logged_in(environment: Environment) -> None:
    """When the last user has logged in: reset the figures, and stop BENCH_SECONDS later."""
    global _logged_in
    _logged_in += 1
    runner = environment.runner
    if runner is None or _logged_in != int(os.environ.get("BENCH_USERS", "0")):
        return
    runner.stats.reset_all()
    gevent.spawn_later(int(os.environ["BENCH_SECONDS"]), runner.quit)


class _LoggedIn(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    email_env = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/login",
            data={
                "email": os.environ[self.email_env],
                "password": os.environ["BENCH_PASSWORD"],
                "csrf_token": token.group(1) if token else "",
            },
            name="login",
        )
        _one_more_logged_in(self.environment)


class Caseworker(_LoggedIn):
    email_env = "BENCH_CASEWORKER"

    @task
    def review_queue(self) -> None:
        self.client.get("/caseworker/queue", name="caseworker review queue")


class Company(_LoggedIn):
    email_env = "BENCH_COMPANY"

    @task
    def dashboard(self) -> None:
        self.client.get("/company/", name="company dashboard")
