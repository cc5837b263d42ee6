"""The secretariat's settings per partnership for newcomers: the support contact shown on the
help pages (web/guide) and the identity provider for single sign-on of staff (web/sso)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from models.operations.sso import save_identity_provider
from models.operations.support import set_support_contact
from models.organisation import Partnership
from models.support import IdentityProvider, PartnershipSupport
from web.admin import bp
from web.db import get_db
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.security import get_scoped_or_404


class SupportForm(FlaskForm):
    email = EmailField(_l("Support e-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Support phone"), validators=[Optional(), Length(max=30)])
    hours = StringField(
        _l("When to reach you"),
        validators=[Optional(), Length(max=200)],
        description=_l("E.g. Weekdays 9–15."),
    )


@bp.get("/help-settings")
def help_settings() -> str:
    db = get_db()
    partnerships = list(db.scalars(select(Partnership).order_by(Partnership.name)))
    supports = {s.partnership_id: s for s in db.scalars(select(PartnershipSupport))}
    providers = {p.partnership_id: p for p in db.scalars(select(IdentityProvider))}
    return render_template(
        "admin/help_settings.html",
        partnerships=partnerships,
        supports=supports,
        providers=providers,
    )


@bp.route("/partnerships/<int:partnership_id>/support", methods=["GET", "POST"])
def support_edit(partnership_id: int) -> Any:
    db = get_db()
    partnership = get_scoped_or_404(select(Partnership), Partnership, partnership_id)
    form = SupportForm()
    if request.method == "GET":
        support = db.get(PartnershipSupport, partnership.id)
        if support is not None:
            form.email.data, form.phone.data, form.hours.data = (
                support.email,
                support.phone,
                support.hours,
            )
    elif form.validate_on_submit():
        with attempt(db, form) as done:
            set_support_contact(
                db,
                current_user._get_current_object(),
                partnership,
                email=form.email.data,
                phone=form.phone.data,
                hours=form.hours.data,
            )
        if done.ok:
            return commit_and_redirect(
                db, _("The support contact is saved."), url_for("admin.help_settings")
            )
    return form_page("admin/support_form.html", form=form, partnership=partnership)


class IdentityProviderForm(FlaskForm):
    name = StringField(
        _l("Name shown on the login page"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. the municipality's name."),
    )
    issuer = StringField(
        _l("Issuer"),
        validators=[DataRequired(_l("Enter the issuer.")), Length(max=300)],
        description=_l(
            "The provider's address, e.g. https://login.microsoftonline.com/<tenant>/v2.0"
        ),
    )
    client_id = StringField(
        _l("Client ID"), validators=[DataRequired(_l("Enter the client ID.")), Length(max=200)]
    )
    client_secret = PasswordField(
        _l("Client secret"),
        validators=[Optional(), Length(max=300)],
        description=_l("Leave empty to keep the secret already stored."),
    )
    user_claim = StringField(
        _l("Claim with the user's e-mail address"),
        default="email",
        validators=[Optional(), Length(max=60)],
        description=_l("Matched against the accounts' e-mail addresses, e.g. email or upn."),
    )
    role_claim = StringField(
        _l("Claim with roles (optional)"),
        validators=[Optional(), Length(max=60)],
        description=_l("If set, the provider must also give the account's role, e.g. roles."),
    )
    caseworker_value = StringField(
        _l("Value for caseworkers"), validators=[Optional(), Length(max=100)]
    )
    admin_value = StringField(
        _l("Value for the secretariat"), validators=[Optional(), Length(max=100)]
    )
    active = BooleanField(_l("Staff may log in with this provider"), default=True)


@bp.route("/partnerships/<int:partnership_id>/sso", methods=["GET", "POST"])
def sso_edit(partnership_id: int) -> Any:
    db = get_db()
    partnership = get_scoped_or_404(select(Partnership), Partnership, partnership_id)
    provider = db.scalar(
        select(IdentityProvider).where(IdentityProvider.partnership_id == partnership.id)
    )
    form = IdentityProviderForm()
    if request.method == "GET" and provider is not None:
        form.process(
            data={
                "name": provider.name,
                "issuer": provider.issuer,
                "client_id": provider.client_id,
                "user_claim": provider.user_claim,
                "role_claim": provider.role_claim,
                "caseworker_value": (provider.role_values or {}).get("caseworker"),
                "admin_value": (provider.role_values or {}).get("admin"),
                "active": provider.active,
            }
        )
    elif form.validate_on_submit():
        with attempt(db, form) as done:
            save_identity_provider(
                db,
                current_user._get_current_object(),
                partnership,
                name=form.name.data or "",
                issuer=form.issuer.data or "",
                client_id=form.client_id.data or "",
                client_secret=form.client_secret.data or None,
                user_claim=form.user_claim.data or "",
                role_claim=form.role_claim.data,
                role_values={
                    "caseworker": form.caseworker_value.data or "",
                    "admin": form.admin_value.data or "",
                },
                active=bool(form.active.data),
            )
        if done.ok:
            return commit_and_redirect(
                db, _("Single sign-on is saved."), url_for("admin.help_settings")
            )
    return form_page(
        "admin/sso_form.html",
        form=form,
        partnership=partnership,
        provider=provider,
        callback=url_for("sso.callback", _external=True),
    )
