"""The review queue: new suggestions, best first; approve with a pitch or reject; outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from werkzeug.wrappers import Response

from models import review_queue
from models.base import utcnow
from models.caseload import days_between
from models.enums import Outcome, ProfileStatus, SuggestionStatus, TargetKind
from models.errors import Conflict, ValidationError
from models.operations.suggestions import (
    approve_suggestion,
    record_outcome,
    reject_suggestion,
)
from models.review_queue import QueueFilters
from models.scoping import profiles_for, suggestions_for
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


def _queue_query() -> Select[Suggestion]:
    return suggestions_for(current_user).where(
        Suggestion.status == SuggestionStatus.PROPOSED,
        YouthProfile.status == ProfileStatus.ACTIVE,
    )


@bp.get("/queue")
def queue() -> tuple[str, int]:
    return render_queue()


def _filters() -> QueueFilters:
    return QueueFilters.from_args(request.args)


def queue_args() -> dict[str, str]:
    """The queue's filters and page, kept through a decision and back."""
    args = _filters().as_args()
    if request.args.get("page", "").isdigit() and request.args["page"] != "1":
        args["page"] = request.args["page"]
    return args


def render_queue(
    forms: dict[int, dict[str, object]] | None = None,
    status: int = 200,
    error_for: Suggestion | None = None,
) -> tuple[str, int]:
    """The queue page; ``error_for`` is the suggestion whose decision was refused (its card
    shows the message, a summary at the top links to it, and the message gets the focus)."""
    db = get_db()
    page = Page.from_request()
    filters = _filters()
    now = utcnow()
    scoped = review_queue.apply(
        _queue_query(), filters, now, profiles_for(current_user).with_only_columns(YouthProfile.id)
    )
    # Counting a large municipality's whole queue costs more than the page itself; nobody
    # pages past a thousand suggestions, so the count stops there.
    total = (
        db.scalar(
            select(func.count()).select_from(
                scoped.order_by(None)
                .with_only_columns(Suggestion.id)
                .limit(QUEUE_COUNT_CAP)
                .subquery()
            )
        )
        or 0
    )
    # A page past the counted ones (typed into the address bar) would make PostgreSQL walk and
    # skip rows for nothing: ?page=1000 is an offset of 24,975 in the largest municipality's
    # queue, about a second. Like every paginated list (web/pagination.py), it shows the last.
    page = page.with_total(total)
    page = replace(page, number=min(page.number, page.pages))
    if filters.active and 0 < total < QUEUE_COUNT_CAP:
        # A filter that leaves few rows: walking the whole queue best first (the plan for a
        # page of the unfiltered queue) to find them took PostgreSQL seconds (?days=14 with
        # nothing waiting that long: 2 s). The count has just found them cheaply; the page
        # is read among those ids, by primary key.
        ids = list(db.scalars(scoped.order_by(None).with_only_columns(Suggestion.id)))
        scoped = scoped.where(Suggestion.id.in_(ids))
    # Plain rows, not ORM entities: the page only shows them (models/review_queue.py, cards).
    suggestions = (
        review_queue.cards(db, scoped.offset(page.offset).limit(page.per_page)) if total else []
    )
    today = now.date()
    rapid_days = current_app.config["RAPID_SEARCH_DAYS"]
    days = {s.youth_id: days_between(s.searching_since, today) for s in suggestions}
    # url_for's **values are Any (its own _external, _anchor... are not among the filters).
    args: dict[str, Any] = queue_args()
    return (
        render_template(
            "caseworker/queue.html",
            suggestions=suggestions,
            suggestion_forms=forms or {},
            blank_forms=blank_decision_forms(),
            BLANK_ID=BLANK_ID,
            days=days,
            rapid_days=rapid_days,
            page=page,
            TargetKind=TargetKind,
            queue_count_cap=QUEUE_COUNT_CAP,
            target_left={
                (s.target_kind.value, t.id): t.left for s in suggestions if (t := s.target)
            },
            filters=filters,
            queue_args=args,
            filter_args={k: v for k, v in args.items() if k != "page"},
            queue_url=url_for("caseworker.queue", **args),
            error_for=error_for,
            error_messages=_messages(forms, error_for),
            bands=review_queue.BANDS,
            day_choices=review_queue.DAYS,
            sorts=review_queue.SORTS,
        ),
        status,
    )


def _messages(forms: dict[int, dict[str, object]] | None, refused: Suggestion | None) -> list[str]:
    """The refused card's error messages, for its message box and the summary at the top."""
    if refused is None or not forms:
        return []
    return [
        str(message)
        for form in forms.get(refused.id, {}).values()
        for messages in getattr(form, "errors", {}).values()
        for message in messages
    ]


def _load(suggestion_id: int) -> Suggestion:
    return get_scoped_or_404(suggestions_for(current_user), Suggestion, suggestion_id)


def _back(suggestion: Suggestion) -> Response:
    if request.form.get("return_to") == "profile":
        return redirect(url_for("caseworker.profile", profile_id=suggestion.youth_id))
    args: dict[str, Any] = queue_args()
    return redirect(url_for("caseworker.queue", **args))


def _again(suggestion: Suggestion, name: str, form: object) -> Response | tuple[str, int]:
    """Show the page the form came from again, with the errors and what was typed."""
    forms = {suggestion.id: {name: form}}
    if request.form.get("return_to") == "profile":
        return render_profile(suggestion.youth, forms=forms, status=422)
    return render_queue(forms=forms, status=422, error_for=suggestion)


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
