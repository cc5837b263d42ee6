"""Invitation links: an organisation joins a partnership by logging in or creating the
account (models/operations/partnerships.py has the rules)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from models.enums import Role
from models.operations.partnerships import (
    accept_invitation,
    accept_invitation_with_account,
    find_invitation,
)
from web.db import get_db
from web.extensions import limiter
from web.partner_forms import attempt, form_page
from web.partnership import invitation_bp
from web.partnership.forms import AcceptForm, NewAccountForm
from web.security import login_afresh


@invitation_bp.route("/invitation/<secret>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def accept(secret: str) -> Any:
    db = get_db()
    invitation = find_invitation(db, secret)
    if invitation is None:
        return render_template("partnership/invitation_invalid.html"), 404
    logged_in = current_user.is_authenticated
    partner = logged_in and current_user.role in (Role.COMPANY, Role.MENTOR)
    accept_form = AcceptForm(prefix="accept")
    account_form = NewAccountForm(prefix="account")
    if request.method == "POST" and partner and accept_form.validate_on_submit():
        accept_invitation(db, invitation, current_user)  # a refusal: web.errors.domain_error
        db.commit()
        flash(
            _("Your organisation has joined %(name)s.", name=invitation.partnership.name),
            "success",
        )
        return redirect(url_for("partnership.index"))
    elif request.method == "POST" and not logged_in and account_form.validate_on_submit():
        with attempt(db, account_form, fallback="name") as done:
            user = accept_invitation_with_account(
                db,
                invitation,
                name=account_form.name.data or "",
                password=account_form.password.data or "",
                locale=session.get("locale") or "da",
            )
        if done.ok:
            db.commit()
            login_afresh(user)
            flash(
                _(
                    "Welcome. Your organisation has joined %(name)s.",
                    name=invitation.partnership.name,
                ),
                "success",
            )
            return redirect(url_for("partnership.index"))
    return form_page(
        "partnership/invitation.html",
        invitation=invitation,
        accept_form=accept_form,
        account_form=account_form,
        partner=partner,
        login_url=url_for("auth.login", next=request.path),
    )
