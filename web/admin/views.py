"""The admin's figures, operations and opening oversight (aggregates, never a profile)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from models.enums import OpeningStatus
from models.figures import Scope, municipality_totals
from models.jobrun import JobRun
from models.notification import Notification
from models.opening import JobOpening
from models.operations.openings import unpublish_opening
from models.scoping import openings_for
from models.user import User
from web.admin import bp
from web.admin.forms import UnpublishForm
from web.csv_export import csv_response
from web.db import get_db
from web.figures.labels import LINE_LABELS
from web.figures.views import read_request, render_figures
from web.pagination import paginate as paginate_query
from web.pagination import paginate_rows
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.security import get_scoped_or_404

TABLE_LINES = (
    "profiles_created",
    "opening_job",
    "opening_education",
    "mentor_places",
    "suggestions",
    "approvals",
    "placed_job",
    "placed_education",
    "mentor_assignments",
)


@bp.get("/")
def index() -> str:
    """Charts for the nation (or a chosen scope) and the period's totals per municipality,
    all counted from the figure events (aggregates only, never a profile)."""
    req = read_request(default=Scope("nation"))
    rows = municipality_totals(get_db(), req.period)
    page = paginate_rows(rows, per_page=25)
    totals = {key: sum(row[2][key] or 0 for row in rows) for key in TABLE_LINES}
    return render_figures(
        "admin/index.html",
        req,
        form_endpoint="admin.index",
        page=page,
        columns=TABLE_LINES,
        totals=totals,
    )


@bp.get("/figures.csv")
def figures_csv() -> Response:
    """The period's totals per municipality; counts under 5 are suppressed (an export)."""
    req = read_request(default=Scope("nation"))
    return csv_response(
        "ungeloeftet-figures.csv",
        [_("Municipality code"), _("Municipality"), *(str(LINE_LABELS[c]) for c in TABLE_LINES)],
        (
            [code, name, *("<5" if row[c] is None else row[c] for c in TABLE_LINES)]
            for code, name, row in municipality_totals(get_db(), req.period, suppress=True)
        ),
        spreadsheet=True,
    )


@bp.get("/job-runs")
def job_runs() -> str:
    page = paginate_query(get_db(), select(JobRun).order_by(JobRun.started_at.desc()))
    return render_template("admin/job_runs.html", page=page)


@bp.get("/failed-notifications")
def failed_notifications() -> str:
    page = paginate_query(
        get_db(),
        select(Notification)
        .where(Notification.status == "dead")
        .order_by(Notification.created_at.desc()),
    )
    return render_template("admin/failed_notifications.html", page=page)


@bp.get("/openings")
def openings() -> str:
    page = paginate_query(
        get_db(),
        openings_for(current_user)
        .where(JobOpening.status == OpeningStatus.OPEN)
        .order_by(JobOpening.created_at.desc()),
    )
    return render_template("admin/openings.html", page=page)


def _unpublished_mail(contact: User, opening: JobOpening) -> tuple[str, str]:
    """The mail to a company contact, in the contact's language."""
    with force_locale(contact.locale):
        subject = _("Your job opening “%(title)s” was unpublished", title=opening.title)
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "The partnership secretariat has taken your job opening “%(title)s” off "
                    "Ungeløftet Match. The reason:",
                    title=opening.title,
                ),
                opening.unpublished_reason or "",
                _(
                    "Change the opening and publish it again here: %(link)s",
                    link=url_for("company.opening_edit", opening_id=opening.id, _external=True),
                ),
            ]
        )
    return subject, body + "\n"


@bp.route("/openings/<int:opening_id>/unpublish", methods=["GET", "POST"])
def opening_unpublish(opening_id: int) -> Any:
    db = get_db()
    opening = get_scoped_or_404(openings_for(current_user), JobOpening, opening_id)
    form = UnpublishForm()
    if form.validate_on_submit():
        with attempt(db, form) as done:
            unpublish_opening(
                db,
                current_user,
                opening,
                form.reason.data or "",
                compose=lambda contact: _unpublished_mail(contact, opening),
            )
        if done.ok:
            return commit_and_redirect(
                db,
                _("The opening is unpublished and the company is told why."),
                url_for("admin.openings"),
            )
    return form_page("admin/unpublish.html", opening=opening, form=form)
