"""The caseload: list, create, edit, read and change the status of anonymised profiles."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from models.audit import AuditEvent
from models.base import utcnow
from models.caseload import SORTS, CaseloadFilters, caseload, last_approval_at
from models.enums import ProfileStatus, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.after_save import commit, outcome_for, saved
from models.operations.audit import record_event
from models.operations.placement import targets_left
from models.operations.profiles import (
    add_wished_occupation,
    confirm_profile,
    create_profile,
    days_without_approved_proposal,
    read_profile,
    record_follow_up,
    set_profile_status,
    update_profile,
)
from models.scoping import profiles_for, suggestions_for
from models.suggestion import Suggestion
from models.todo import todo_for
from models.user import User
from models.youth import YouthProfile
from web.caseworker import bp
from web.caseworker.forms import (
    BLANK_ID,
    FollowUpForm,
    NewProfileForm,
    ProfileForm,
    StatusForm,
    blank_decision_forms,
)
from web.caseworker.labels import PROFILE_STATUS
from web.caseworker.possible import possible_for, understood_wishes
from web.db import get_db
from web.pagination import Page
from web.partner_forms import attempt, commit_and_redirect
from web.security import get_scoped_or_404


def _filters_from_request() -> CaseloadFilters:
    args = request.args
    status = args.get("status", "")
    sort = args.get("sort", "rapid_search")
    return CaseloadFilters(
        q=args.get("q", "")[:100],
        status=ProfileStatus(status) if status in {s.value for s in ProfileStatus} else None,
        needs_mentor=args.get("needs_mentor") == "1",
        has_new_suggestions=args.get("new") == "1",
        needs_reconfirmation=args.get("reconfirm") == "1",
        rapid_search=args.get("rapid") == "1",
        sort=sort if sort in SORTS else "rapid_search",
    )


@bp.get("/")
def index() -> str:
    """The municipality's profiles, searchable and filterable, longest search first."""
    filters = _filters_from_request()
    page = Page.from_request()
    result = caseload(
        get_db(),
        profiles_for(current_user),
        filters,
        utcnow(),
        rapid_search_days=current_app.config["RAPID_SEARCH_DAYS"],
        reconfirm_days=current_app.config["RECONFIRM_DAYS"],
        offset=page.offset,
        limit=page.per_page,
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "caseworker/index.html",
        rows=result.rows,
        page=page.with_total(result.total),
        filters=filters,
        page_args=args,
        sorts=SORTS,
        todo=todo_for(get_db(), current_user, utcnow().date()),
    )


def _commit_and_match(profile: YouthProfile) -> None:
    """Commit the profile, then compute its suggestions (models.operations.after_save): a
    failing engine never loses the profile."""
    db = get_db()
    outcome = outcome_for(commit(db), profile)
    if outcome is None:
        flash(_("Suggestions are computed tonight."), "info")
    elif outcome.failed:
        flash(_("Matching could not run just now; it runs again tonight."), "warning")
    else:
        count = len(outcome.result)
        record_event(db, current_user, "profile.match", profile, suggestions=count)
        db.commit()
        flash(ngettext("%(num)s suggestion found.", "%(num)s suggestions found.", count), "success")


@bp.route("/profiles/new", methods=["GET", "POST"])
def new_profile() -> str | Response:
    form = NewProfileForm()
    if form.validate_on_submit():
        db = get_db()
        with attempt(db, form, fallback="birth_year") as done:
            profile = create_profile(db, current_user, form.to_input())
        if done.ok:
            flash(_("Profile %(p)s created.", p=profile.pseudonym), "success")
            _commit_and_match(profile)
            return redirect(url_for("caseworker.profile", profile_id=profile.id))
    return render_template(
        "caseworker/profile_form.html", form=form.with_autocomplete(), profile=None
    ), (422 if form.errors else 200)


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
def edit_profile(profile_id: int) -> str | Response | tuple[str, int]:
    db = get_db()
    profile = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    form = ProfileForm()
    if form.validate_on_submit():
        with attempt(db, form, fallback="birth_year") as done:
            update_profile(db, current_user, profile, form.to_input(profile))
        if done.ok:
            flash(_("Profile %(p)s saved.", p=profile.pseudonym), "success")
            _commit_and_match(profile)
            return redirect(url_for("caseworker.profile", profile_id=profile.id))
    elif request.method == "GET":
        form.fill_from(profile)
        read_profile(db, current_user, profile)
        db.commit()
    return render_template(
        "caseworker/profile_form.html", form=form.with_autocomplete(), profile=profile
    ), (422 if form.errors else 200)


def _suggestions_of(profile: YouthProfile) -> list[Suggestion]:
    query = (
        suggestions_for(current_user)
        .where(Suggestion.youth_id == profile.id)
        .options(
            selectinload(Suggestion.opening).selectinload(JobOpening.organisation),
            selectinload(Suggestion.mentor_slot).selectinload(MentorSlot.organisation),
            selectinload(Suggestion.decided_by),
            selectinload(Suggestion.responded_by),
        )
    )
    found = list(get_db().scalars(query))
    # New ones first, best first; then the decided ones, latest first.
    new = sorted(
        (s for s in found if s.status is SuggestionStatus.PROPOSED), key=lambda s: -s.score
    )
    rest = sorted(
        (s for s in found if s.status is not SuggestionStatus.PROPOSED),
        key=lambda s: s.decided_at or s.updated_at,
        reverse=True,
    )
    return new + rest


def _audit_trail(profile: YouthProfile, suggestion_ids: list[int]) -> list[tuple[AuditEvent, str]]:
    db = get_db()
    events = list(
        db.scalars(
            select(AuditEvent)
            .where(
                or_(
                    (AuditEvent.object_type == "YouthProfile")
                    & (AuditEvent.object_id == profile.id),
                    (AuditEvent.object_type == "Suggestion")
                    & AuditEvent.object_id.in_(suggestion_ids or [-1]),
                )
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(100)
        )
    )
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(db.execute(select(User.id, User.name).where(User.id.in_(actor_ids or {-1}))).all())
    return [(e, names.get(e.actor_id, "") if e.actor_id else "") for e in events]


def render_profile(
    profile: YouthProfile, *, forms: dict[int, dict[str, object]] | None = None, status: int = 200
) -> tuple[str, int]:
    suggestions = _suggestions_of(profile)
    forms = forms or {}
    last = last_approval_at(get_db(), [profile.id]).get(profile.id)
    today = utcnow().date()
    days = (
        days_without_approved_proposal(profile, today, last)
        if profile.status is ProfileStatus.ACTIVE
        else None
    )
    return (
        render_template(
            "caseworker/profile.html",
            profile=profile,
            suggestions=suggestions,
            suggestion_forms=forms,
            blank_forms=blank_decision_forms(outcome=True),
            BLANK_ID=BLANK_ID,
            status_form=forms.get(0, {}).get("status") or StatusForm(formdata=None),
            follow_up_form=forms.get(0, {}).get("follow_up") or FollowUpForm(formdata=None),
            days=days,
            rapid=days is not None and days >= current_app.config["RAPID_SEARCH_DAYS"],
            trail=_audit_trail(profile, [s.id for s in suggestions]),
            target_left=targets_left(get_db(), suggestions),
            today=today,
            TargetKind=TargetKind,
            possible=possible_for(profile),
            wishes=understood_wishes(profile),
        ),
        status,
    )


@bp.get("/profiles/<int:profile_id>")
def profile(profile_id: int) -> tuple[str, int]:
    db = get_db()
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    read_profile(db, current_user, found)
    db.commit()
    return render_profile(found)


@bp.post("/profiles/<int:profile_id>/status")
def change_status(profile_id: int) -> Response | tuple[str, int]:
    db = get_db()
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    form = StatusForm()
    if form.validate_on_submit():
        with attempt(db, form, fallback="status") as done:
            set_profile_status(
                db,
                current_user,
                found,
                ProfileStatus(form.status.data),
                follow_up_on=form.follow_up_on.data,
            )
        if done.ok:
            return commit_and_redirect(
                db,
                _("The status is now: %(s)s.", s=_status_label(found.status)),
                url_for("caseworker.profile", profile_id=found.id),
            )
    return render_profile(found, forms={0: {"status": form}}, status=422)


def _status_label(status: ProfileStatus) -> str:
    return str(PROFILE_STATUS[status])


@bp.post("/profiles/<int:profile_id>/match")
def match_now(profile_id: int) -> Response:
    """ "Find matches now": the engine runs for this profile at once."""
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    saved(get_db(), found)
    _commit_and_match(found)
    return redirect(url_for("caseworker.profile", profile_id=found.id))


@bp.post("/profiles/<int:profile_id>/confirm")
def confirm(profile_id: int) -> Response:
    """ "Bekræft profil": the young person confirmed that the profile still holds."""
    db = get_db()
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    confirm_profile(db, current_user, found)
    return commit_and_redirect(
        db,
        _("Profile %(p)s is confirmed.", p=found.pseudonym),
        url_for("caseworker.profile", profile_id=found.id),
    )


@bp.post("/profiles/<int:profile_id>/follow-up")
def follow_up(profile_id: int) -> Response | tuple[str, int]:
    """The follow-up after a placement: still in the job or education, or looking again."""
    db = get_db()
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        with attempt(db, form, fallback="result") as done:
            record_follow_up(db, current_user, found, form.result.data, form.next_follow_up_on.data)
        if done.ok:
            return commit_and_redirect(
                db,
                _("The follow-up is recorded."),
                url_for("caseworker.profile", profile_id=found.id),
            )
    return render_profile(found, forms={0: {"follow_up": form}}, status=422)


@bp.post("/profiles/<int:profile_id>/wishes")
def add_wish(profile_id: int) -> Response:
    """ "Add as wish": one of the possible occupations becomes a wish (by its ESCO URI),
    after the caseworker has talked it through with the young person."""
    db = get_db()
    found = get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)
    added = add_wished_occupation(db, current_user, found, request.form.get("occupation", ""))
    commit(db)  # the user's change first, then its instant suggestions (after_save)
    if added:
        wish = understood_wishes(found)[-1]
        flash(_("%(occupation)s added as a wish.", occupation=wish.text), "success")
    else:
        flash(_("This occupation is already a wish."), "info")
    return redirect(url_for("caseworker.profile", profile_id=found.id))
