"""Mentor pages: assignment offers as anonymous cards, answers, active assignments."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from models.cards import anonymous_card
from models.enums import SuggestionStatus
from models.operations.suggestions import answer_as_mentor
from models.scoping import suggestions_for
from models.suggestion import Suggestion
from web.db import get_db
from web.mentor import bp
from web.mentor.forms import MentorAnswerForm
from web.mentor.slots import (
    answered,
    caseworker_contact,
    offers_page,
    read_answer,
    register_slot_routes,
)
from web.partner_forms import attempt
from web.security import get_scoped_or_404

register_slot_routes(bp)


@bp.get("/")
def index() -> str:
    """Offers waiting for the mentor's answer."""
    page = offers_page(
        suggestions_for(current_user).where(Suggestion.status == SuggestionStatus.APPROVED),
        Suggestion.decided_at,
    )
    cards = [(s, anonymous_card(s)) for s in page.items]
    return render_template("mentor/index.html", page=page, cards=cards, form=MentorAnswerForm())


@bp.get("/assignments")
def assignments() -> str:
    """Accepted assignments, with the caseworker to contact."""
    page = offers_page(
        suggestions_for(current_user).where(Suggestion.status == SuggestionStatus.ACCEPTED),
        Suggestion.responded_at,
    )
    cards = [(s, anonymous_card(s), caseworker_contact(s)) for s in page.items]
    return render_template("mentor/assignments.html", page=page, cards=cards)


@bp.get("/offers/<int:suggestion_id>")
def offer(suggestion_id: int) -> str:
    suggestion = get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)
    return render_template(
        "mentor/offer.html",
        suggestion=suggestion,
        card=anonymous_card(suggestion),
        contact=caseworker_contact(suggestion),
        form=MentorAnswerForm(),
    )


@bp.post("/offers/<int:suggestion_id>/answer")
def answer(suggestion_id: int) -> Response | tuple[str, int]:
    db = get_db()
    suggestion = get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)
    form = MentorAnswerForm()
    choice = read_answer(form)
    if choice is None:
        return redirect(url_for("mentor.offer", suggestion_id=suggestion.id))
    try:
        with attempt(db, form, fallback="reason") as done:
            answer_as_mentor(
                db, current_user, suggestion, choice == "accept", form.reason.data or ""
            )
    except OperationalError:
        # SQLite: another answer for the same slot was committed in between; nothing stored.
        db.rollback()
        flash(_("Someone answered at the same moment. Look at the offer again."), "error")
        return redirect(url_for("mentor.offer", suggestion_id=suggestion.id))
    if not done.ok:
        page = render_template(
            "mentor/offer.html",
            suggestion=suggestion,
            card=anonymous_card(suggestion),
            contact=None,
            form=form,
        )
        return page, 422
    return answered(db, choice, url_for("mentor.offer", suggestion_id=suggestion.id))
