"""Rate limits for logging in, the page a limited person sees, and ProxyFix.

* **Login** is limited twice (both apply): per *account* (``LOGIN_RATELIMIT``: guessing one
  person's password, from anywhere) and per *address* (``LOGIN_ADDRESS_RATELIMIT``, wider:
  spraying many accounts from one place). A municipality's office behind one public address
  is not locked out by one colleague's typos.
* **429**: people get a page in their language that says how long to wait, with the
  ``Retry-After`` header; API clients keep their problem details (web/api/problems.py).
* **Behind a reverse proxy** the address is the proxy's unless ``PROXY_FIX_X_FOR`` says how
  many proxies set ``X-Forwarded-For`` (Werkzeug's ProxyFix). Off by default: without a proxy
  the header is the client's own word and must not buy a fresh budget (README, "Behind a
  proxy").
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, render_template, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from web.extensions import limiter


def login_account_limit() -> str:
    return str(current_app.config["LOGIN_RATELIMIT"])


def login_address_limit() -> str:
    return str(current_app.config["LOGIN_ADDRESS_RATELIMIT"])


def login_account_key() -> str:
    """The account a login names (as typed, normalised), hashed: no e-mail in the store."""
    email = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()[:32]


limit_login_per_account = limiter.limit(
    login_account_limit, key_func=login_account_key, methods=["POST"], scope="login-account"
)
limit_login_per_address = limiter.limit(
    login_address_limit, key_func=get_remote_address, methods=["POST"], scope="login-address"
)


def seconds_to_wait() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def init_rate_limits(app: Flask) -> None:
    x_for = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    x_proto = int(app.config.get("PROXY_FIX_X_PROTO") or 0)
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]

    @app.errorhandler(TooManyRequests)
    def too_many_requests(error: TooManyRequests) -> Response | tuple[str, int, dict[str, str]]:
        wait = seconds_to_wait()
        if request.path.startswith("/api/"):
            from web.api.problems import http_problem

            response = http_problem(error)
            response.headers.setdefault("Retry-After", str(wait))
            return response
        page = render_template("errors/too_many.html", wait=wait, minutes=math.ceil(wait / 60))
        return page, 429, {"Retry-After": str(wait)}
