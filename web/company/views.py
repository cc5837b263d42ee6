"""Company pages: openings, mentor slots and the proposals caseworkers approved."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import load_only
from werkzeug.wrappers import Response

from models.cards import anonymous_card
from models.enums import OpeningKind, OpeningStatus, SuggestionStatus
from models.errors import ValidationError
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.after_save import commit
from models.operations.openings import (
    DiscriminatingWording,
    OpeningInput,
    post_opening,
    publish_opening,
    set_opening_status,
    update_opening,
    wording_findings,
)
from models.operations.placement import places_left
from models.operations.suggestions import answer_as_company
from models.scoping import mentor_offers_for, mentor_slots_for, openings_for, suggestions_for
from models.suggestion import Suggestion
from web.company import bp
from web.company.forms import AnswerForm, OpeningForm
from web.db import get_db
from web.mentor.slots import caseworker_contact, register_slot_routes
from web.occupations import autocomplete, occupation_index
from web.pagination import paginate
from web.partner_forms import attempt, join_list, show_error, split_list
from web.privacy.reviews import flash_held
from web.security import get_scoped_or_404

# The form picks the occupation by label; the domain names its URI.
OCCUPATION_ALIAS = {"occupation_uri": "occupation"}

register_slot_routes(bp)

STATUS_ACTIONS = {
    "publish": OpeningStatus.OPEN,
    "pause": OpeningStatus.PAUSED,
    "filled": OpeningStatus.FILLED,
    "close": OpeningStatus.CLOSED,
}


def _pending_counts() -> dict[int, int]:
    """Proposals waiting for the company's answer, per opening: every opening of the
    organisation in one grouped query (approved and not yet answered: a handful per opening),
    so the page's rows and the total at the top come from the same statement."""
    return dict(
        get_db()
        .execute(
            suggestions_for(current_user)
            .where(Suggestion.status == SuggestionStatus.APPROVED)
            .with_only_columns(Suggestion.opening_id, func.count())
            .group_by(Suggestion.opening_id)
        )
        .all()
    )


# What the dashboard's tables show: the rest of an opening (description, skills, languages)
# or slot would be read and decoded for nothing. A column the template reads that is left
# out here is loaded by one query per row (tests/test_page_statements.py).
OPENING_ROW = (
    JobOpening.title,
    JobOpening.status,
    JobOpening.expires,
    JobOpening.unpublished_reason,
    JobOpening.created_at,
)
SLOT_ROW = (MentorSlot.title, MentorSlot.status, MentorSlot.capacity, MentorSlot.created_at)


@bp.get("/")
def index() -> str:
    """Dashboard: the organisation's openings and mentor slots with pending proposals."""
    db = get_db()
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    openings = openings_for(current_user)
    if q:
        term = q.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
        openings = openings.where(func.lower(JobOpening.title).like(f"%{term}%", escape="!"))
    if status in {s.value for s in OpeningStatus}:
        openings = openings.where(JobOpening.status == OpeningStatus(status))
    else:
        status = ""
    page = paginate(
        db, openings.options(load_only(*OPENING_ROW)).order_by(JobOpening.created_at.desc())
    )
    slots = paginate(
        db,
        mentor_slots_for(current_user)
        .options(load_only(*SLOT_ROW))
        .order_by(MentorSlot.created_at.desc()),
        arg="slots_page",
    )
    waiting = Suggestion.status == SuggestionStatus.APPROVED
    slot_ids = [s.id for s in slots.items]
    slot_pending = (
        dict(
            db.execute(
                mentor_offers_for(current_user)
                .where(waiting, Suggestion.mentor_slot_id.in_(slot_ids))
                .with_only_columns(Suggestion.mentor_slot_id, func.count())
                .group_by(Suggestion.mentor_slot_id)
            ).all()
        )
        if slot_ids
        else {}  # no slots on the page: nothing to count
    )
    pending = _pending_counts()
    return render_template(
        "company/index.html",
        page=page,
        slots=slots,
        pending=pending,
        slot_pending=slot_pending,
        places_left=places_left(db, slots.items),
        pending_total=sum(pending.values()),
        q=q,
        status=status,
        list_args={k: v for k, v in (("q", q), ("status", status)) if v},
    )


def _form_to_input(form: OpeningForm, occupation_uri: str | None) -> OpeningInput:
    return OpeningInput(
        title=form.title.data or "",
        postcode=form.postcode.data or "",
        description=form.description.data or "",
        occupation_uri=occupation_uri,
        kind=OpeningKind(form.kind.data),
        required_skills=split_list(form.required_skills.data),
        nice_skills=split_list(form.nice_skills.data),
        hours_min=form.hours_min.data or 0,
        hours_max=form.hours_max.data or 0,
        seats=form.seats.data or 0,
        min_age=form.min_age.data or 0,
        driving_licence_required=bool(form.driving_licence_required.data),
        languages=list(form.languages.data or []),
        mentor_at_workplace=bool(form.mentor_at_workplace.data),
        start_date=form.start_date.data,
        expires=form.expires.data,
    )


def _fill_form(form: OpeningForm, opening: JobOpening) -> None:
    form.process(obj=opening)  # the fields named as the opening's columns
    form.occupation.data = occupation_index().label(opening.occupation_uri)
    form.required_skills.data = join_list(opening.required_skills)
    form.nice_skills.data = join_list(opening.nice_skills)


def _resolve_occupation(form: OpeningForm) -> str | None:
    typed = (form.occupation.data or "").strip()
    uri = occupation_index().resolve(typed) if typed else None
    if typed and uri is None:
        form.occupation.errors = [
            *form.occupation.errors,
            _("We could not find this occupation. Choose one from the list."),
        ]
    return uri


def _render_form(
    form: OpeningForm, opening: JobOpening | None, findings: Any = (), status: int = 200
):
    form.occupation.render_kw = autocomplete("occupation-options")
    return (
        render_template("company/opening_form.html", form=form, opening=opening, findings=findings),
        status,
    )


def _show_findings(form: OpeningForm, findings: Any) -> None:
    for finding in findings:
        field = getattr(form, finding.field)
        message = _('"%(phrase)s": %(why)s', phrase=finding.phrase, why=_(finding.explanation))
        field.errors = [*list(field.errors or []), message]


@bp.route("/openings/new", methods=["GET", "POST"])
def opening_new() -> Any:
    form = OpeningForm()
    if request.method == "GET":
        return _render_form(form, None)
    valid = form.validate()
    uri = _resolve_occupation(form)
    if not valid or uri is None:
        return _render_form(form, None, status=422)
    db = get_db()
    publish = request.form.get("action") == "publish"
    with attempt(db, form, OCCUPATION_ALIAS) as done:
        opening = post_opening(db, current_user, _form_to_input(form, uri), publish=False)
    if not done.ok:
        return _render_form(form, None, status=422)
    return _after_save(opening, publish)


def _after_save(opening: JobOpening, publish: bool) -> Response:
    db = get_db()
    if publish:
        publish_opening(db, current_user, opening)
        if opening.held_for_review:
            db.commit()  # kept as a draft with everything typed; the edit page says what to change
            flash_held(opening)
            return redirect(url_for("company.opening_edit", opening_id=opening.id))
        commit(db)
        flash(_("The opening is published."), "success")
    else:
        commit(db)
        flash(_("The opening is saved."), "success")
    return redirect(url_for("company.opening_detail", opening_id=opening.id))


@bp.route("/openings/<int:opening_id>/edit", methods=["GET", "POST"])
def opening_edit(opening_id: int) -> Any:
    opening = get_scoped_or_404(openings_for(current_user), JobOpening, opening_id)
    if opening.status in (OpeningStatus.CLOSED, OpeningStatus.FILLED):
        flash(_("A closed opening cannot be changed."), "error")
        return redirect(url_for("company.opening_detail", opening_id=opening.id))
    form = OpeningForm()
    if request.method == "GET":
        _fill_form(form, opening)
        findings = wording_findings(opening) if opening.status is not OpeningStatus.OPEN else []
        _show_findings(form, findings)
        return _render_form(form, opening, findings)
    valid = form.validate()
    uri = _resolve_occupation(form)
    if not valid or uri is None:
        return _render_form(form, opening, status=422)
    db = get_db()
    try:
        update_opening(db, current_user, opening, _form_to_input(form, uri))
    except DiscriminatingWording as error:
        db.rollback()
        _show_findings(form, error.findings)
        return _render_form(form, opening, error.findings, status=422)
    except ValidationError as error:
        db.rollback()
        show_error(form, error, OCCUPATION_ALIAS)
        return _render_form(form, opening, status=422)
    was_open = opening.status is OpeningStatus.OPEN
    return _after_save(opening, request.form.get("action") == "publish" and not was_open)


@bp.get("/openings/<int:opening_id>")
def opening_detail(opening_id: int) -> str:
    db = get_db()
    opening = get_scoped_or_404(openings_for(current_user), JobOpening, opening_id)
    page = paginate(
        db,
        suggestions_for(current_user)
        .where(Suggestion.opening_id == opening.id)
        .order_by(Suggestion.decided_at.desc(), Suggestion.id.desc()),
    )
    cards = [(s, anonymous_card(s)) for s in page.items]
    return render_template(
        "company/opening_detail.html",
        opening=opening,
        page=page,
        cards=cards,
        occupation_label=occupation_index().label(opening.occupation_uri),
        form=AnswerForm(),
        caseworker_contact=caseworker_contact,
    )


@bp.post("/openings/<int:opening_id>/status")
def opening_status(opening_id: int) -> Response:
    db = get_db()
    opening = get_scoped_or_404(openings_for(current_user), JobOpening, opening_id)
    status = STATUS_ACTIONS.get(request.form.get("action", ""))
    if status is None:
        abort(400)
    set_opening_status(db, current_user, opening, status)  # a refusal: web.errors.domain_error
    if opening.held_for_review:
        db.commit()
        flash_held(opening)
        return redirect(url_for("company.opening_edit", opening_id=opening.id))
    commit(db)
    flash(_("The status of the opening is changed."), "success")
    return redirect(url_for("company.opening_detail", opening_id=opening.id))


@bp.get("/proposals")
def proposals() -> str:
    """Proposals waiting for an answer, across all the organisation's openings."""
    db = get_db()
    page = paginate(
        db,
        suggestions_for(current_user)
        .where(Suggestion.status == SuggestionStatus.APPROVED)
        .order_by(Suggestion.decided_at.desc(), Suggestion.id.desc()),
    )
    cards = [(s, anonymous_card(s)) for s in page.items]
    return render_template("company/proposals.html", page=page, cards=cards, form=AnswerForm())


@bp.post("/proposals/<int:suggestion_id>/answer")
def proposal_answer(suggestion_id: int) -> Response:
    db = get_db()
    suggestion = get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)
    form = AnswerForm()
    answer = request.form.get("answer")
    if not form.validate() or answer not in ("interested", "not_now"):
        flash(_("The answer could not be read; try again."), "error")
        return redirect(url_for("company.opening_detail", opening_id=suggestion.opening_id))
    answer_as_company(db, current_user, suggestion, answer == "interested", form.message.data or "")
    db.commit()
    if answer == "interested":
        flash(
            _(
                "Thank you. The caseworker is told that you are interested and calls you; "
                "the contact is on the candidate's card."
            ),
            "success",
        )
    else:
        flash(_("Thank you. The caseworker is told that it is not now."), "success")
    if answer == "interested" and suggestion.status is SuggestionStatus.INTERESTED:
        # The card now shows what happens next and the caseworker's contact.
        return redirect(
            url_for("company.opening_detail", opening_id=suggestion.opening_id)
            + f"#proposal-{suggestion.id}"
        )
    return redirect(
        request.form.get("back") == "proposals"
        and url_for("company.proposals")
        or url_for("company.opening_detail", opening_id=suggestion.opening_id)
    )
