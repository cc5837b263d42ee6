"""Errors as problem details (RFC 9457), titled and explained in the user's language."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
VALIDATION_TYPE = "urn:ungeloeftet:problem:validation"
CONFLICT_TYPE = "urn:ungeloeftet:problem:conflict"

# Titles and details per status: werkzeug's own texts are English only.
TITLES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    401: (
        _l("Not authenticated"),
        _l("Send a valid API token as 'Authorization: Bearer <token>'."),
    ),
    403: (_l("Forbidden"), _l("Your role may not use this operation.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not yours to see.")),
    405: (_l("Method not allowed"), _l("This address does not accept this method.")),
    409: (_l("Conflict"), _l("The change clashes with the current state.")),
    413: (_l("Request too large"), _l("The request body is too large.")),
    415: (_l("Unsupported media type"), _l("Send the request body as application/json.")),
    422: (_l("Invalid input"), _l("Some fields are not valid; see errors.")),
    429: (_l("Too many requests"), _l("Too many requests; wait a moment and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side.")),
}


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    errors: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    default_title, default_detail = TITLES.get(status, (None, None))
    body: dict[str, Any] = {
        "type": type_,
        "title": str(title or default_title or status),
        "status": status,
        "detail": str(detail or default_detail or ""),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def http_problem(error: HTTPException) -> Response:
    """An HTTPException as a problem; our own aborts carry a translated description."""
    status = error.code or 500
    detail = getattr(error, "problem_detail", None)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if status == 400 and type(error).__name__ == "CSRFError":
        detail = _(
            "The CSRF token is missing or wrong. A browser session must send it; "
            "programs should use an API token."
        )
    response = problem(status, detail, headers=headers)
    if status == 429 and error.response is not None:
        # Flask-Limiter's own response carries Retry-After and the X-RateLimit headers.
        for key, value in error.response.headers.items():
            if key.lower().startswith(("retry-after", "x-ratelimit")):
                response.headers[key] = value
    return response


def validation_problem(errors: dict[str, str]) -> Response:
    return problem(422, type_=VALIDATION_TYPE, errors=errors)
