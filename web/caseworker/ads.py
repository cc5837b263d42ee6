"""The whole ad behind a suggestion, read-only: what the caseworker approves, and a report.

A caseworker reads openings and mentor slots of their partnership (and any that were
proposed to their young people) in full: ad text, kind, hours, start, minimum age,
workplace town, seats left and who to contact. Any other ID answers 404. An ad that looks
wrong is reported to the secretariat (:func:`models.operations.ad_reviews.report_ad`).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models.errors import ValidationError
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.ad_reviews import report_ad
from models.operations.placement import company_contacts, places_left, seats_left
from models.scoping import mentor_slot_ads_for, opening_ads_for
from models.user import User
from web.caseworker import bp
from web.db import get_db
from web.i18n import translate_error
from web.occupations import occupation_index
from web.security import get_scoped_or_404


def _contacts(ad: JobOpening | MentorSlot) -> list[User]:
    """Who to call about the ad: the company's contacts, or the slot's mentor."""
    if isinstance(ad, MentorSlot) and ad.mentor is not None and ad.mentor.active:
        return [ad.mentor]
    return company_contacts(get_db(), ad.organisation_id)


def _render(ad: JobOpening | MentorSlot, report_error: str = "", status: int = 200) -> Any:
    db = get_db()
    if isinstance(ad, JobOpening):
        left = seats_left(db, [ad])[ad.id]
        occupation_label = occupation_index().label(ad.occupation_uri)
    else:
        left = places_left(db, [ad])[ad.id]
        occupation_label = ""
    return (
        render_template(
            "caseworker/ad.html",
            ad=ad,
            is_opening=isinstance(ad, JobOpening),
            left=left,
            contacts=_contacts(ad),
            occupation_label=occupation_label,
            report_error=report_error,
            report_text=request.form.get("reason", "") if request.method == "POST" else "",
            back=_back_url(),
        ),
        status,
    )


def _back_url() -> str:
    """Back to the queue card the caseworker came from (a local path only)."""
    back = request.values.get("back", "")
    if back.startswith("/caseworker/") and "//" not in back:
        return back
    return url_for("caseworker.queue")


@bp.get("/openings/<int:opening_id>")
def opening_ad(opening_id: int) -> Any:
    return _render(get_scoped_or_404(opening_ads_for(current_user), JobOpening, opening_id))


@bp.get("/mentor-slots/<int:slot_id>")
def slot_ad(slot_id: int) -> Any:
    return _render(get_scoped_or_404(mentor_slot_ads_for(current_user), MentorSlot, slot_id))


def _report(ad: JobOpening | MentorSlot, endpoint: str, **ids: int) -> Response | Any:
    db = get_db()
    try:
        report_ad(db, current_user, ad, request.form.get("reason", ""))
    except ValidationError as error:
        db.rollback()
        return _render(ad, translate_error(error), 422)
    db.commit()
    flash(_("Thank you. The partnership secretariat has been told about the ad."), "success")
    # url_for's **values are Any (its own _external, _anchor... are not among the ids).
    values: dict[str, Any] = {"back": _back_url(), **ids}
    return redirect(url_for(endpoint, **values))


@bp.post("/openings/<int:opening_id>/report")
def report_opening(opening_id: int) -> Response | Any:
    ad = get_scoped_or_404(opening_ads_for(current_user), JobOpening, opening_id)
    return _report(ad, "caseworker.opening_ad", opening_id=ad.id)


@bp.post("/mentor-slots/<int:slot_id>/report")
def report_slot(slot_id: int) -> Response | Any:
    ad = get_scoped_or_404(mentor_slot_ads_for(current_user), MentorSlot, slot_id)
    return _report(ad, "caseworker.slot_ad", slot_id=ad.id)
