from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from models.geo import Municipality
from models.youth import YouthProfile
from web.admin import bp
from web.db import get_db


@bp.get("/")
def index() -> str:
    """Figures per municipality: aggregates only, never a profile."""
    rows = (
        get_db()
        .execute(
            select(Municipality.name, func.count(YouthProfile.id))
            .join(YouthProfile, YouthProfile.municipality_code == Municipality.code)
            .group_by(Municipality.name)
            .order_by(Municipality.name)
        )
        .all()
    )
    return render_template("admin/index.html", rows=rows)
