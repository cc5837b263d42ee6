"""The secretariat's directory: municipalities, partnerships, organisations and users."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from models.enums import OrganisationKind, Role
from models.geo import Municipality
from models.operations.accounts import create_organisation, create_partnership, create_user
from models.operations.audit import record_event
from models.operations.organisations import (
    deactivate_account,
    deactivate_organisation,
    new_password,
    reset_password,
    update_organisation,
    update_partnership,
)
from models.organisation import Organisation, Partnership
from models.user import User
from web.admin import bp
from web.admin.forms import OrganisationForm, PartnershipForm, PasswordResetForm, UserForm
from web.db import get_db
from web.pagination import paginate
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.security import get_scoped_or_404

# --- municipalities and partnerships ------------------------------------------------------


@bp.get("/municipalities")
def municipalities() -> str:
    page = paginate(get_db(), select(Municipality).order_by(Municipality.code))
    member_of: dict[int, list[str]] = {}
    for partnership in get_db().scalars(select(Partnership)):
        for municipality in partnership.municipalities:
            member_of.setdefault(municipality.code, []).append(partnership.name)
    return render_template("admin/municipalities.html", page=page, member_of=member_of)


@bp.get("/partnerships")
def partnerships() -> str:
    page = paginate(get_db(), select(Partnership).order_by(Partnership.name))
    return render_template("admin/partnerships.html", page=page)


def _partnership_form() -> PartnershipForm:
    form = PartnershipForm()
    form.municipalities.choices = [
        SelectChoice(m.code, m.name)
        for m in get_db().scalars(select(Municipality).order_by(Municipality.name))
    ]
    return form


@bp.route("/partnerships/new", methods=["GET", "POST"])
def partnership_new() -> Any:
    form = _partnership_form()
    db = get_db()
    if form.validate_on_submit():
        name = (form.name.data or "").strip()
        if db.scalar(select(Partnership.id).where(Partnership.name == name)) is not None:
            form.name.errors = [_("A partnership with this name exists.")]
        else:
            with attempt(db, form) as done:
                partnership = create_partnership(db, name, form.municipalities.data or [])
            if done.ok:
                record_event(db, current_user, "partnership.create", partnership)
                return commit_and_redirect(
                    db, _("The partnership is created."), url_for("admin.partnerships")
                )
    return form_page("admin/partnership_form.html", form=form, partnership=None)


@bp.route("/partnerships/<int:partnership_id>/edit", methods=["GET", "POST"])
def partnership_edit(partnership_id: int) -> Any:
    db = get_db()
    partnership = get_scoped_or_404(select(Partnership), Partnership, partnership_id)
    form = _partnership_form()
    if request.method == "GET":
        form.name.data = partnership.name
        form.municipalities.data = [m.code for m in partnership.municipalities]
    elif form.validate_on_submit():
        with attempt(db, form) as done:
            update_partnership(
                db, current_user, partnership, form.name.data or "", form.municipalities.data or []
            )
        if done.ok:
            return commit_and_redirect(
                db, _("The partnership is saved."), url_for("admin.partnerships")
            )
    return form_page("admin/partnership_form.html", form=form, partnership=partnership)


# --- organisations -------------------------------------------------------------------------


@bp.get("/organisations")
def organisations() -> str:
    query = select(Organisation).order_by(Organisation.name)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(or_(Organisation.name.ilike(f"%{q}%"), Organisation.cvr == q))
    page = paginate(get_db(), query)
    return render_template("admin/organisations.html", page=page, q=q)


def _organisation_form(obj: Organisation | None = None) -> OrganisationForm:
    form = OrganisationForm()
    form.partnerships.choices = [
        SelectChoice(p.id, p.name)
        for p in get_db().scalars(select(Partnership).order_by(Partnership.name))
    ]
    if obj is not None:
        del form.kind  # the kind of an organisation does not change
    if obj is not None and request.method == "GET":
        form.name.data = obj.name
        form.cvr.data = obj.cvr
        form.postcode.data = obj.postcode
        form.contact_email.data = obj.contact_email
        form.partnerships.data = [p.id for p in obj.partnerships]
    return form


def _chosen_partnerships(form: OrganisationForm) -> list[Partnership]:
    ids = form.partnerships.data or []
    if not ids:
        return []
    return list(get_db().scalars(select(Partnership).where(Partnership.id.in_(ids))))


def _organisation_fields(form: OrganisationForm) -> dict[str, Any]:
    """What the form says of an organisation, as create and update take it."""
    return {
        "name": form.name.data or "",
        "cvr": (form.cvr.data or "").strip() or None,
        "postcode": (form.postcode.data or "").strip() or None,
        "contact_email": (form.contact_email.data or "").strip() or None,
        "partnerships": _chosen_partnerships(form),
    }


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_new() -> Any:
    form = _organisation_form()
    if form.validate_on_submit():
        db = get_db()
        with attempt(db, form) as done:
            organisation = create_organisation(
                db, kind=OrganisationKind(form.kind.data), **_organisation_fields(form)
            )
        if done.ok:
            record_event(db, current_user, "organisation.create", organisation)
            return commit_and_redirect(
                db, _("The organisation is created."), url_for("admin.organisations")
            )
    return form_page("admin/organisation_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def organisation_edit(organisation_id: int) -> Any:
    db = get_db()
    organisation = get_scoped_or_404(select(Organisation), Organisation, organisation_id)
    form = _organisation_form(organisation)
    if request.method == "POST" and form.validate_on_submit():
        with attempt(db, form) as done:
            update_organisation(db, current_user, organisation, **_organisation_fields(form))
        if done.ok:
            return commit_and_redirect(
                db, _("The organisation is saved."), url_for("admin.organisations")
            )
    return form_page("admin/organisation_form.html", form=form, organisation=organisation)


@bp.post("/organisations/<int:organisation_id>/deactivate")
def organisation_deactivate(organisation_id: int) -> Response:
    db = get_db()
    organisation = get_scoped_or_404(select(Organisation), Organisation, organisation_id)
    deactivate_organisation(db, current_user, organisation)
    db.commit()
    flash(
        _("The organisation is deactivated; its users, openings and mentor slots are closed."),
        "success",
    )
    return redirect(url_for("admin.organisations"))


# --- users ---------------------------------------------------------------------------------


@bp.get("/users")
def users() -> str:
    query = select(User).order_by(User.email)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(or_(User.email.ilike(f"%{q}%"), User.name.ilike(f"%{q}%")))
    page = paginate(get_db(), query)
    return render_template("admin/users.html", page=page, q=q)


def _user_form() -> UserForm:
    db = get_db()
    form = UserForm()
    form.municipality.choices = [SelectChoice(0, "–")] + [
        SelectChoice(m.code, m.name)
        for m in db.scalars(select(Municipality).order_by(Municipality.name))
    ]
    form.organisation.choices = [SelectChoice(0, "–")] + [
        SelectChoice(o.id, o.name)
        for o in db.scalars(
            select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name)
        )
    ]
    return form


def _show_password_once(user: User, password: str) -> Response:
    response = make_response(
        render_template("admin/password_once.html", user=user, password=password)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    form = _user_form()
    if form.validate_on_submit():
        db = get_db()
        typed = (form.password.data or "").strip()
        password = typed or new_password()
        organisation = (
            db.get(Organisation, form.organisation.data) if form.organisation.data else None
        )
        with attempt(db, form) as done:
            user = create_user(
                db,
                email=form.email.data or "",
                password=password,
                role=Role(form.role.data),
                name=form.name.data or "",
                municipality_code=form.municipality.data or None,
                organisation=organisation,
                locale=form.locale.data or "da",
                phone=(form.phone.data or "").strip() or None,
            )
        if done.ok:
            record_event(db, current_user, "user.create", user, role=str(user.role))
            db.commit()
            if typed:
                flash(_("The user is created."), "success")
                return redirect(url_for("admin.users"))
            return _show_password_once(user, password)
    return form_page("admin/user_form.html", form=form)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int) -> Any:
    db = get_db()
    user = get_scoped_or_404(select(User), User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        with attempt(db, form) as done:
            password = reset_password(db, current_user, user, form.password.data)
        if done.ok:
            db.commit()
            if form.password.data:
                flash(_("The new password is set."), "success")
                return redirect(url_for("admin.users"))
            return _show_password_once(user, password)
    return form_page("admin/user_password.html", form=form, user=user)


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> Response:
    db = get_db()
    user = get_scoped_or_404(select(User), User, user_id)
    deactivate_account(db, current_user, user)  # a refusal: web.errors.domain_error
    return commit_and_redirect(db, _("The user is deactivated."), url_for("admin.users"))
