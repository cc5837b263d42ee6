"""Locust users for the web benchmark: caseworkers on the review queue, companies on the
dashboard. Credentials come from the environment set by bench/web_bench.py."""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _LoggedIn(HttpUser):
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
