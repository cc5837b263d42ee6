"""Mentor slot pages, the same for a company (workplace mentor) and a volunteer mentor.

``register_slot_routes(bp)`` adds them to a blueprint; templates build links with
``request.blueprint`` so one set of views serves both.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import InstrumentedAttribute, Session
from werkzeug.wrappers import Response

from models.cards import anonymous_card
from models.enums import SlotStatus, SuggestionStatus
from models.mentor_slot import MentorSlot
from models.operations.after_save import commit
from models.operations.mentor_slots import (
    MentorSlotInput,
    create_mentor_slot,
    set_mentor_slot_status,
    update_mentor_slot,
)
from models.operations.placement import places_left
from models.operations.suggestions import answer_as_mentor
from models.scoping import mentor_offers_for, mentor_slots_for
from models.suggestion import Suggestion
from models.user import User
from web.db import get_db
from web.mentor.forms import MentorAnswerForm, MentorSlotForm
from web.pagination import Page, paginate
from web.partner_forms import attempt, commit_and_redirect, form_page, join_list, split_list
from web.privacy.reviews import flash_held
from web.security import get_scoped_or_404

SLOT_ACTIONS = {"open": SlotStatus.OPEN, "pause": SlotStatus.PAUSED, "close": SlotStatus.CLOSED}


def _to_input(form: MentorSlotForm) -> MentorSlotInput:
    return MentorSlotInput(
        title=form.title.data or "",
        postcode=form.postcode.data or "",
        description=form.description.data or "",
        interests=split_list(form.interests.data),
        languages=list(form.languages.data or []),
        max_distance_km=form.max_distance_km.data or 0,
        capacity=form.capacity.data or 0,
        available_from=form.available_from.data,
        available_until=form.available_until.data,
    )


def _fill(form: MentorSlotForm, slot: MentorSlot) -> None:
    form.process(obj=slot)  # the fields named as the slot's columns
    form.interests.data = join_list(slot.interests)


def _slots_url() -> str:
    return url_for(f"{request.blueprint}.slots")


def slots() -> str:
    page = paginate(get_db(), mentor_slots_for(current_user).order_by(MentorSlot.created_at.desc()))
    return render_template(
        "mentor/slots.html", page=page, places_left=places_left(get_db(), page.items)
    )


def slot_new() -> Any:
    form = MentorSlotForm()
    if form.validate_on_submit():
        db = get_db()
        with attempt(db, form) as done:
            slot = create_mentor_slot(db, current_user, _to_input(form))
        if done.ok:
            commit(db)
            if slot.held_for_review:
                flash_held(slot)
            else:
                flash(_("The mentor slot is saved."), "success")
            return redirect(_slots_url())
    return form_page("mentor/slot_form.html", form=form, slot=None)


def slot_edit(slot_id: int) -> Any:
    slot = get_scoped_or_404(mentor_slots_for(current_user), MentorSlot, slot_id)
    form = MentorSlotForm()
    if request.method == "GET":
        _fill(form, slot)
    elif form.validate_on_submit():
        db = get_db()
        with attempt(db, form) as done:
            update_mentor_slot(db, current_user, slot, _to_input(form))
        if done.ok:
            return commit_and_redirect(db, _("The mentor slot is saved."), _slots_url())
    return form_page("mentor/slot_form.html", form=form, slot=slot)


def slot_status(slot_id: int) -> Response:
    slot = get_scoped_or_404(mentor_slots_for(current_user), MentorSlot, slot_id)
    status = SLOT_ACTIONS.get(request.form.get("action", ""))
    if status is None:
        abort(400)
    db = get_db()
    set_mentor_slot_status(db, current_user, slot, status)
    commit(db)
    if slot.held_for_review:
        flash_held(slot)
    elif status is SlotStatus.OPEN:
        flash(_("The mentor slot is open."), "success")
    elif status is SlotStatus.PAUSED:
        flash(_("The mentor slot is paused. Offers you had not answered were declined."), "success")
    else:
        flash(_("The mentor slot is closed. Offers you had not answered were declined."), "success")
    return redirect(_slots_url())


CONTACT_STATUSES = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.INTERESTED,
    SuggestionStatus.PLACED,
)


def caseworker_contact(suggestion: Suggestion) -> User | None:
    """The caseworker's work contact; shown once the mentor accepted or the company said
    it is interested (and after a placement), never before."""
    if suggestion.status not in CONTACT_STATUSES:
        return None
    return suggestion.youth.caseworker or suggestion.decided_by


def offers_page(query: Select[Suggestion], at: InstrumentedAttribute[Any]) -> Page[Suggestion]:
    """A page of a mentor's offers, the latest ``at`` first (the id breaks ties)."""
    return paginate(get_db(), query.order_by(at.desc(), Suggestion.id.desc()))


def read_answer(form: MentorAnswerForm) -> str | None:
    """The mentor's answer ("accept" or "decline"), or None (said in a flash)."""
    choice = request.form.get("answer")
    if not form.validate() or choice not in ("accept", "decline"):
        flash(_("The answer could not be read; try again."), "error")
        return None
    return choice


def answered(db: Session, choice: str, back: str) -> Response:
    """The answer is stored: commit, say what comes next, go ``back``."""
    if choice == "accept":
        done = _("You accepted. Contact the caseworker to agree on the first meeting.")
    else:
        done = _("You declined the offer. The caseworker is told.")
    return commit_and_redirect(db, done, back)


def slot_detail(slot_id: int) -> str:
    """One slot with its offers: waiting ones to answer, accepted ones with the contact."""
    slot = get_scoped_or_404(mentor_slots_for(current_user), MentorSlot, slot_id)
    page = offers_page(
        mentor_offers_for(current_user).where(Suggestion.mentor_slot_id == slot.id),
        Suggestion.decided_at,
    )
    offers = [(s, anonymous_card(s), caseworker_contact(s)) for s in page.items]
    return render_template(
        "mentor/slot_detail.html",
        slot=slot,
        page=page,
        offers=offers,
        form=MentorAnswerForm(),
        places_left=places_left(get_db(), [slot]),
    )


def offer_answer(suggestion_id: int) -> Response:
    db = get_db()
    suggestion = get_scoped_or_404(mentor_offers_for(current_user), Suggestion, suggestion_id)
    back = url_for(f"{request.blueprint}.slot_detail", slot_id=suggestion.mentor_slot_id)
    form = MentorAnswerForm()
    choice = read_answer(form)
    if choice is None:
        return redirect(back)
    try:  # a refusal is flashed on the slot's page by web.errors.domain_error
        answer_as_mentor(db, current_user, suggestion, choice == "accept", form.reason.data or "")
    except OperationalError:
        db.rollback()  # SQLite: another answer for the same slot was committed in between
        flash(_("Someone answered at the same moment. Look at the offer again."), "error")
        return redirect(back)
    return answered(db, choice, back)


def register_slot_routes(bp: Blueprint) -> None:
    bp.add_url_rule("/slots/<int:slot_id>", "slot_detail", slot_detail)
    bp.add_url_rule(
        "/slots/offers/<int:suggestion_id>/answer",
        "slot_offer_answer",
        offer_answer,
        methods=["POST"],
    )
    bp.add_url_rule("/slots", "slots", slots)
    bp.add_url_rule("/slots/new", "slot_new", slot_new, methods=["GET", "POST"])
    bp.add_url_rule("/slots/<int:slot_id>/edit", "slot_edit", slot_edit, methods=["GET", "POST"])
    bp.add_url_rule("/slots/<int:slot_id>/status", "slot_status", slot_status, methods=["POST"])
