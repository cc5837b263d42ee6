"""Template globals and filters."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import format_date, get_locale
from flask_login import current_user

from models.enums import Role

HOME_ENDPOINTS = {
    Role.ADMIN: "admin.index",
    Role.CASEWORKER: "caseworker.index",
    Role.COMPANY: "company.index",
    Role.MENTOR: "mentor.index",
}


def home_url() -> str:
    if current_user and current_user.is_authenticated:
        return url_for(HOME_ENDPOINTS[current_user.role])
    return url_for("public.index")


def register(app: Flask) -> None:
    app.jinja_env.globals.update(home_url=home_url, get_locale=get_locale, Role=Role)
    app.jinja_env.filters["date"] = lambda d: format_date(d) if d else ""
