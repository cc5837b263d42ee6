"""Ads held for review (admins decide) and ads reported by caseworkers."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models.ad_review import AdReview
from models.enums import Role, SlotStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.ad_reviews import (
    ad_findings,
    keep_unpublished,
    pending_hold,
    pending_reviews,
    publish_with_justification,
    report_ad,
    settle_report,
)
from models.operations.after_save import saved
from models.operations.mentor_slots import set_mentor_slot_status
from models.operations.openings import unpublish_opening
from models.scoping import mentor_slots_for, openings_for
from models.wording import CATEGORY_LABELS
from web.db import get_db
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.privacy import bp
from web.privacy.forms import JustificationForm, KeepUnpublishedForm, ReportForm, SettleReportForm
from web.security import get_scoped_or_404, role_required

AD_KINDS = {"opening": JobOpening, "slot": MentorSlot}


def grounds(categories: list[str]) -> str:
    return ", ".join(_(CATEGORY_LABELS[c]) for c in categories if c in CATEGORY_LABELS)


def flash_held(ad: JobOpening | MentorSlot) -> None:
    """Tell the author that the ad is held for an admin's review, and why."""
    review = pending_hold(ad)
    flash(
        _(
            "The ad is not published yet: its wording may discriminate (%(grounds)s), so a "
            "partnership admin reviews it first. Change the marked wording, or wait for the "
            "review.",
            grounds=grounds(review.categories if review else []),
        ),
        "error",
    )


def _review_or_404(review_id: int) -> AdReview:
    review = get_db().get(AdReview, review_id)
    if review is None:
        abort(404)
    return review


@bp.get("/admin/reviews")
@role_required(Role.ADMIN)
def reviews() -> str:
    items = [(r, ad_findings(r.ad)) for r in pending_reviews(get_db())]
    return render_template(
        "privacy/reviews.html",
        items=items,
        grounds=grounds,
        publish_form=JustificationForm(),
        keep_form=KeepUnpublishedForm(),
        settle_form=SettleReportForm(),
    )


def _decided(action: Any, form: Any, message: str, *, refresh: bool = False) -> Response:
    db = get_db()
    if not form.validate_on_submit():
        flash(_("Write why (at least 10 characters)."), "error")
        return redirect(url_for("privacy.reviews"))
    ad = action(db)  # a refusal is flashed on the review page by web.errors.domain_error
    if refresh:
        saved(db, ad)  # published now: its instant suggestions after the commit
    return commit_and_redirect(db, message, url_for("privacy.reviews"))


@bp.post("/admin/reviews/<int:review_id>/publish")
@role_required(Role.ADMIN)
def review_publish(review_id: int) -> Response:
    review = _review_or_404(review_id)
    form = JustificationForm()
    return _decided(
        lambda db: publish_with_justification(db, current_user, review, form.justification.data),
        form,
        _("The ad is published; your justification is recorded."),
        refresh=True,
    )


@bp.post("/admin/reviews/<int:review_id>/keep")
@role_required(Role.ADMIN)
def review_keep(review_id: int) -> Response:
    review = _review_or_404(review_id)
    form = KeepUnpublishedForm()
    return _decided(
        lambda db: keep_unpublished(db, current_user, review, form.reason.data),
        form,
        _("The ad stays unpublished; the author sees your reason."),
    )


@bp.post("/admin/reviews/<int:review_id>/settle")
@role_required(Role.ADMIN)
def review_settle(review_id: int) -> Response:
    review = _review_or_404(review_id)
    form = SettleReportForm()
    take_off = request.form.get("outcome") == "unpublish"

    def act(db: Any) -> JobOpening | MentorSlot:
        settle_report(db, current_user, review, unpublished=take_off, note=form.note.data)
        ad = review.ad
        if take_off:
            if isinstance(ad, JobOpening):
                unpublish_opening(db, current_user, ad, form.note.data)
            else:
                set_mentor_slot_status(db, current_user, ad, SlotStatus.PAUSED)
        return ad

    return _decided(
        act,
        form,
        _("The ad is taken off the service.") if take_off else _("The report is dismissed."),
        refresh=take_off,
    )


@bp.route("/caseworker/ads/<kind>/<int:ad_id>/report", methods=["GET", "POST"])
@role_required(Role.CASEWORKER)
def report(kind: str, ad_id: int) -> Any:
    if kind not in AD_KINDS:
        abort(404)
    ad: JobOpening | MentorSlot
    if kind == "opening":
        ad = get_scoped_or_404(openings_for(current_user), JobOpening, ad_id)
    else:
        ad = get_scoped_or_404(mentor_slots_for(current_user), MentorSlot, ad_id)
    form = ReportForm()
    if form.validate_on_submit():
        db = get_db()
        with attempt(db, form) as done:
            report_ad(db, current_user, ad, form.reason.data or "")
        if done.ok:
            return commit_and_redirect(
                db,
                _("Thank you. A partnership admin will look at the ad."),
                url_for("caseworker.queue"),
            )
    return form_page("privacy/report.html", ad=ad, kind=kind, form=form)
