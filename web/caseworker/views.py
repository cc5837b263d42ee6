from __future__ import annotations

from flask import render_template
from flask_login import current_user

from models.scoping import profiles_for
from models.youth import YouthProfile
from web.caseworker import bp
from web.db import get_db


@bp.get("/")
def index() -> str:
    """The municipality's anonymised profiles."""
    profiles = (
        get_db()
        .scalars(
            profiles_for(current_user).order_by(YouthProfile.last_activity_at.desc()).limit(100)
        )
        .all()
    )
    return render_template("caseworker/index.html", profiles=profiles)
