from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from models.enums import Role
from models.operations.support import support_contacts
from models.user import User
from web.db import get_db
from web.guide import bp

# The example of the anonymous card that companies and mentors see (models.cards builds
# the real ones): made-up facts, never a real young person.
EXAMPLE_CARD = {
    "age_band": "18–20",
    "municipality": _l("Copenhagen"),
    "skills": [_l("customer service"), _l("warehouse work")],
    "interests": [_l("football"), _l("cooking")],
    "available_from": None,
    "hours_min": 15,
    "hours_max": 30,
    "languages": ["da", "en"],
    "driving_licence": False,
    "pitch": _l("Punctual and happy with physical work; would like a fixed team."),
}
ROLES = [Role.CASEWORKER, Role.COMPANY, Role.MENTOR, Role.ADMIN]


def _user() -> User | None:
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.get("/help/")
def index() -> str:
    return render_template(
        "guide/index.html", roles=ROLES, contacts=support_contacts(get_db(), _user())
    )


@bp.get("/help/start/<role>")
def start(role: str) -> str:
    try:
        chosen = Role(role)
    except ValueError:
        abort(404)
    return render_template(
        "guide/start.html",
        role=chosen,
        roles=ROLES,
        example=EXAMPLE_CARD,
        contacts=support_contacts(get_db(), _user()),
    )


@bp.get("/help/faq")
def faq() -> str:
    return render_template("guide/faq.html", contacts=support_contacts(get_db(), _user()))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own (pages link the SVG icon)."""
    response = redirect(url_for("static", filename="favicon.svg"), code=301)
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response
