"""The review queue: new suggestions, best first; approve with a pitch or reject; outcomes."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defer, joinedload
from werkzeug.wrappers import Response

from models.base import utcnow
from models.caseload import last_approval_at
from models.enums import Outcome, ProfileStatus, SuggestionStatus, TargetKind
from models.errors import Conflict, ValidationError
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.profiles import days_without_approved_proposal
from models.operations.suggestions import (
    approve_suggestion,
    record_outcome,
    reject_suggestion,
)
from models.organisation import Organisation
from models.scoping import suggestions_for
from models.suggestion import Suggestion
from models.youth import YouthProfile
from web.caseworker import bp
from web.caseworker.forms import (
    BLANK_ID,
    ApproveForm,
    OutcomeForm,
    RejectForm,
    blank_decision_forms,
)
from web.caseworker.profiles import render_profile
from web.db import get_db
from web.i18n import translate_error
from web.pagination import Page
from web.partner_forms import show_error
from web.security import get_scoped_or_404

QUEUE_COUNT_CAP = 1000


def _queue_query():  # type: ignore[no-untyped-def]
    return suggestions_for(current_user).where(
        Suggestion.status == SuggestionStatus.PROPOSED,
        YouthProfile.status == ProfileStatus.ACTIVE,
    )


@bp.get("/queue")
def queue() -> tuple[str, int]:
    return render_queue()


def render_queue(forms: dict[int, dict[str, object]] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    db = get_db()
    page = Page.from_request()
    # Counting a large municipality's whole queue costs more than the page itself; nobody
    # pages past a thousand suggestions, so the count stops there.
    total = (
        db.scalar(
            select(func.count()).select_from(
                _queue_query().with_only_columns(Suggestion.id).limit(QUEUE_COUNT_CAP).subquery()
            )
        )
        or 0
    )
    suggestions = list(
        db.scalars(
            _queue_query()
            .options(
                # One query (the targets are many-to-one), and only what the cards show: the
                # rest of the rows (skills, descriptions, score components) would be read
                # and decoded for nothing.
                defer(Suggestion.components),
                contains_eager(Suggestion.youth).load_only(
                    YouthProfile.pseudonym, YouthProfile.status, YouthProfile.active_since
                ),
                joinedload(Suggestion.opening)
                .load_only(JobOpening.title, JobOpening.organisation_id)
                .joinedload(JobOpening.organisation)
                .load_only(Organisation.name),
                joinedload(Suggestion.mentor_slot)
                .load_only(MentorSlot.title, MentorSlot.organisation_id)
                .joinedload(MentorSlot.organisation)
                .load_only(Organisation.name),
            )
            .order_by(Suggestion.score.desc(), Suggestion.id.desc())
            .offset(page.offset)
            .limit(page.per_page)
        )
    )
    today = utcnow().date()
    approvals = last_approval_at(db, list({s.youth_id for s in suggestions}))
    rapid_days = current_app.config["RAPID_SEARCH_DAYS"]
    days = {
        s.youth_id: days_without_approved_proposal(s.youth, today, approvals.get(s.youth_id))
        for s in suggestions
    }
    return (
        render_template(
            "caseworker/queue.html",
            suggestions=suggestions,
            suggestion_forms=forms or {},
            blank_forms=blank_decision_forms(),
            BLANK_ID=BLANK_ID,
            days=days,
            rapid_days=rapid_days,
            page=page.with_total(total),
            TargetKind=TargetKind,
            queue_count_cap=QUEUE_COUNT_CAP,
        ),
        status,
    )


def _load(suggestion_id: int) -> Suggestion:
    return get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)


def _back(suggestion: Suggestion) -> Response:
    if request.form.get("return_to") == "profile":
        return redirect(url_for("caseworker.profile", profile_id=suggestion.youth_id))
    return redirect(url_for("caseworker.queue"))


def _again(suggestion: Suggestion, name: str, form: object) -> Response | tuple[str, int]:
    """Show the page the form came from again, with the errors and what was typed."""
    forms = {suggestion.id: {name: form}}
    if request.form.get("return_to") == "profile":
        return render_profile(suggestion.youth, forms=forms, status=422)
    return render_queue(forms=forms, status=422)


def _decide(
    form: FlaskForm,
    decision: Callable[[], object],
    error_field: str,
    done: str,
    back: Callable[[], Response],
) -> Response | None:
    """Run one decision on a valid form and commit once; ``None`` means show the form again.

    A field error is shown beside ``error_field``; a conflict (already answered) is flashed.
    """
    if not form.validate_on_submit():
        return None
    db = get_db()
    try:
        decision()
    except ValidationError as err:
        db.rollback()
        show_error(form, err, fallback=error_field)
        return None
    except Conflict as err:
        db.rollback()
        flash(translate_error(err), "error")
        return back()
    db.commit()
    flash(done, "success")
    return back()


@bp.post("/suggestions/<int:suggestion_id>/approve")
def approve(suggestion_id: int) -> Response | tuple[str, int]:
    suggestion = _load(suggestion_id)
    form = ApproveForm(prefix=f"s{suggestion.id}")
    answer = _decide(
        form,
        lambda: approve_suggestion(get_db(), current_user, suggestion, form.pitch.data or ""),
        "pitch",
        _("Approved: the partner is asked now."),
        lambda: _back(suggestion),
    )
    return answer or _again(suggestion, "approve", form)


@bp.post("/suggestions/<int:suggestion_id>/reject")
def reject(suggestion_id: int) -> Response | tuple[str, int]:
    suggestion = _load(suggestion_id)
    form = RejectForm(prefix=f"s{suggestion.id}")
    answer = _decide(
        form,
        lambda: reject_suggestion(
            get_db(), current_user, suggestion, form.reason_code.data, form.reason.data or ""
        ),
        "reason",
        _("Rejected. The reason is recorded."),
        lambda: _back(suggestion),
    )
    return answer or _again(suggestion, "reject", form)


@bp.post("/suggestions/<int:suggestion_id>/outcome")
def outcome(suggestion_id: int) -> Response | tuple[str, int]:
    suggestion = _load(suggestion_id)
    form = OutcomeForm(prefix=f"s{suggestion.id}")
    answer = _decide(
        form,
        lambda: record_outcome(
            get_db(),
            current_user,
            suggestion,
            Outcome(form.outcome.data),
            follow_up_on=form.follow_up_on.data,
        ),
        "outcome",
        _("The outcome is recorded."),
        lambda: redirect(url_for("caseworker.profile", profile_id=suggestion.youth_id)),
    )
    return answer or render_profile(
        suggestion.youth, forms={suggestion.id: {"outcome": form}}, status=422
    )
