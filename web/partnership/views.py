"""The user's partnership(s): members, what each contributes, contact persons; notes."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from models.enums import Role
from models.operations.partnerships import NATIONAL, partnership_view, partnerships_query
from models.organisation import Partnership
from models.partnership_info import InspirationNote
from web.db import get_db
from web.pagination import paginate
from web.partnership import bp
from web.security import get_scoped_or_404


@bp.get("/")
def index() -> Any:
    """One partnership: its page; several: the list (every one for national roles)."""
    partnerships = list(get_db().scalars(partnerships_query(current_user)))
    if len(partnerships) == 1 and current_user.role not in NATIONAL:
        return redirect(url_for("partnership.detail", partnership_id=partnerships[0].id))
    return render_template("partnership/list.html", partnerships=partnerships)


@bp.get("/<int:partnership_id>")
def detail(partnership_id: int) -> str:
    partnership = get_scoped_or_404(partnerships_query(current_user), Partnership, partnership_id)
    view = partnership_view(get_db(), partnership)
    # Companies and mentors see the contributions, the contact persons are for staff.
    return render_template(
        "partnership/detail.html",
        view=view,
        show_contacts=current_user.role is not Role.MENTOR,
    )


@bp.get("/notes")
def notes() -> str:
    page = paginate(get_db(), select(InspirationNote).order_by(InspirationNote.published_at.desc()))
    return render_template("partnership/notes.html", page=page)


@bp.get("/notes/<int:note_id>/attachment")
def note_attachment(note_id: int) -> Response:
    note = get_db().get(InspirationNote, note_id)
    if note is None or note.attachment is None:
        abort(404)
    name = note.attachment_name or "attachment"
    return Response(
        note.attachment,
        mimetype=note.attachment_type or "application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
