"""Error pages for people, JSON problem details for API clients.

The one way a :class:`~models.errors.DomainError` becomes an answer is :func:`domain_error`,
registered for every request: the unit of work is rolled back, then an API client gets a
problem+json (422 naming the field, 409, 404) and a person gets the message flashed on the
page the request came from (or the error page). A view that shows the message beside a form
field catches it with :func:`web.partner_forms.attempt` instead; everything else lets it
propagate. See docs/ARCHITECTURE.md, "Where each rule lives".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, g, jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from models.errors import Conflict, DomainError, NotFound, ValidationError
from web.i18n import translate_error
from web.redirects import safe_next


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def _same_site_referrer() -> str | None:
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def domain_error(error: DomainError) -> ResponseReturnValue:
    """A domain error as a problem (API) or a flashed message on the page it came from."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    if request.path.startswith("/api/"):
        from web.api.problems import CONFLICT_TYPE, problem, validation_problem

        if isinstance(error, ValidationError):
            return validation_problem({error.field: translate_error(error)})
        if isinstance(error, NotFound):
            return problem(404)
        if isinstance(error, Conflict):
            return problem(409, translate_error(error), type_=CONFLICT_TYPE)
        return problem(422, translate_error(error))
    status = 404 if isinstance(error, NotFound) else 409 if isinstance(error, Conflict) else 422
    back = _same_site_referrer()
    if status != 404 and back is not None:
        flash(translate_error(error), "error")
        return redirect(back, 303)
    page_error = HTTPException(translate_error(error))
    page_error.code = status
    page = render_template("errors/error.html", error=page_error, message=translate_error(error))
    return page, status


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            from web.api.problems import http_problem

            return http_problem(error)
        if _wants_json():
            response = jsonify(
                type="about:blank", title=error.name, status=error.code, detail=error.description
            )
            response.status_code = error.code or 500
            response.mimetype = "application/problem+json"
            return response
        return render_template("errors/error.html", error=error), error.code
