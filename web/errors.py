"""Error pages for people, JSON problem details for API clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def register(app: Flask) -> None:
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
