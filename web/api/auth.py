"""Who is calling: a bearer token, or a browser session with its CSRF token."""

from __future__ import annotations

import hashlib

from flask import abort, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from models.operations.tokens import authenticate_token
from web.api import bp
from web.db import get_db
from web.extensions import csrf

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _bearer() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401)
    return secret.strip()


@bp.before_request
def authenticate() -> None:
    secret = _bearer()
    if secret is not None:
        db = get_db()
        user = authenticate_token(db, secret, ip=request.remote_addr)
        if user is None:
            abort(401)
        db.commit()  # the token's "last used" and its audit event (at most once a minute)
        g._login_user = user  # Flask-Login's current user for this request only
        g.api_token = True
        return
    g.api_token = False
    if request.method not in SAFE_METHODS and current_user.is_authenticated:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # raises CSRFError (400) without a valid token


def rate_limit_key() -> str:
    """Per token (or per logged-in user) when known, else per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()[:16]
    return "ip:" + (request.remote_addr or "unknown")


__all__ = ["CSRFError", "authenticate", "rate_limit_key"]
