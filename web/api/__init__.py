"""The versioned JSON API (/api/v1): the same operations and scoping as the web pages.

Clients authenticate with a personal access token (``Authorization: Bearer <token>``); a
logged-in browser session works too, but then every state-changing request must carry the
CSRF token (token requests are exempt: a browser never sends them on its own).
"""

from flask import Blueprint, current_app

from web.extensions import csrf, limiter

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # CSRF is checked in web.api.auth for cookie sessions only


def _api_limit() -> str:
    return str(current_app.config["API_RATELIMIT"])


def _api_key() -> str:
    from web.api.auth import rate_limit_key

    return rate_limit_key()


limiter.limit(_api_limit, key_func=_api_key)(bp)

from web.api import (  # noqa: E402,F401
    auth,
    docs,
    me,
    mentor_slots,
    openings,
    profiles,
    proposals,
    spec,
    suggestions,
)
