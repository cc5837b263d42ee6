"""Locust users for the web benchmark: caseworkers on the review queue, companies on the
dashboard. Credentials come from the environment set by bench/web_bench.py.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares
the two cores with gunicorn and PostgreSQL, and costs several times less CPU per request
this way, so more of the machine measures the service rather than the tool."""

from __future__ import annotations

import os
import re

from locust import FastHttpUser, between, task

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


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
