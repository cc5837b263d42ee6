"""National charts, contact persons and inspiration notes."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from models.figures import Scope
from models.operations.partnerships import Attachment, contact_persons, publish_note
from web.admin.fairness import fairness_csv_response, render_fairness
from web.db import get_db
from web.figures.views import read_request, render_figures
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.partnership.forms import NoteForm
from web.secretariat import bp


@bp.get("/")
def index() -> str:
    req = read_request(default=Scope("nation"))
    return render_figures(
        "secretariat/index.html",
        req,
        form_endpoint="secretariat.index",
        contacts=contact_persons(get_db()),
    )


@bp.get("/fairness")
def fairness() -> str:
    """The fairness monitor, nationally (docs/LEARNING.md): rates by group at equal fit."""
    return render_fairness("secretariat.fairness_csv")


@bp.get("/fairness.csv")
def fairness_csv() -> Response:
    return fairness_csv_response()


@bp.route("/notes/new", methods=["GET", "POST"])
def note_new() -> Any:
    form = NoteForm()
    if form.validate_on_submit():
        db = get_db()
        upload = form.attachment.data
        attachment = None
        if isinstance(upload, FileStorage) and upload.filename:
            attachment = Attachment(
                upload.filename, upload.mimetype or "", upload.read(5 * 1024 * 1024 + 1)
            )
        with attempt(db, form) as done:
            publish_note(db, current_user, form.title.data or "", form.body.data or "", attachment)
        if done.ok:
            return commit_and_redirect(
                db,
                _("The note is published on the partnerships' start pages."),
                url_for("partnership.notes"),
            )
    return form_page("secretariat/note_form.html", form=form)
