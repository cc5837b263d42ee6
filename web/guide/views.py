from __future__ import annotations

from flask import redirect, url_for
from werkzeug.wrappers import Response

from web.guide import bp


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own (pages link the SVG icon)."""
    response = redirect(url_for("static", filename="favicon.svg"), code=301)
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response
