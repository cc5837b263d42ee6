"""A young person's data rights: export everything stored about a pseudonym (a readable page
and JSON) and erase the profile on request (models/operations/data_rights.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models.enums import Role
from models.operations.data_rights import erase_profile, export_profile
from models.scoping import profiles_for
from models.youth import YouthProfile
from web.db import get_db
from web.partner_forms import form_page
from web.privacy import bp
from web.privacy.forms import EraseForm
from web.reasons import reason_text
from web.security import get_scoped_or_404, role_required


def _export(profile_id: int) -> dict[str, Any]:
    """The export of the profile (audited, committed), each engine reason stored as a code
    and its parameters given its words in Danish and English as well."""
    db = get_db()
    data = export_profile(db, current_user, _profile(profile_id))
    db.commit()
    for item in data["suggestions"]:
        item["reasons"] = [
            {**r, "da": reason_text(r, "da"), "en": reason_text(r, "en")} for r in item["reasons"]
        ]
    return data


def _profile(profile_id: int) -> YouthProfile:
    return get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)


@bp.get("/caseworker/profiles/<int:profile_id>/data")
@role_required(Role.CASEWORKER)
def profile_data(profile_id: int) -> str:
    data = _export(profile_id)
    return render_template("privacy/profile_data.html", data=data, profile_id=profile_id)


@bp.get("/caseworker/profiles/<int:profile_id>/data.json")
@role_required(Role.CASEWORKER)
def profile_data_json(profile_id: int) -> Response:
    data = _export(profile_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{data["pseudonym"]}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/caseworker/profiles/<int:profile_id>/erase", methods=["GET", "POST"])
@role_required(Role.CASEWORKER)
def profile_erase(profile_id: int) -> Any:
    profile = _profile(profile_id)
    form = EraseForm()
    if form.validate_on_submit():
        if (form.confirm.data or "").strip().upper() != profile.pseudonym:
            form.confirm.errors = [_("Type the pseudonym exactly as shown.")]
        else:
            db = get_db()
            erase_profile(db, current_user, profile, mail_dir=Path(current_app.config["MAIL_DIR"]))
            db.commit()
            flash(_("The profile and everything about it are erased."), "success")
            return redirect(url_for("caseworker.index"))
    return form_page("privacy/erase.html", profile=profile, form=form)
