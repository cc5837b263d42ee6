from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user
from werkzeug.wrappers import Response

from web.db import get_db
from web.public import bp
from web.redirects import safe_next
from web.templating import home_url


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_url())
    return render_template("public/index.html")


@bp.get("/about")
def about() -> str:
    return render_template("public/about.html")


@bp.post("/language")
def set_language() -> Response:
    """Switch language; remembered on the user's account and in the session."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            get_db().commit()
        refresh()
    return redirect(safe_next(request.form.get("next")) or url_for("public.index"))


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
