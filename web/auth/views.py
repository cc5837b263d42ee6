from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from models.base import utcnow
from models.operations.accounts import (
    end_all_sessions,
    find_user_by_email,
    is_locked,
    record_failed_login,
    record_login,
    verify_dummy_password,
    verify_password,
)
from models.operations.audit import record_event
from web.auth import bp
from web.auth.forms import LoginForm
from web.db import get_db
from web.ratelimit import limit_login_per_account, limit_login_per_address
from web.redirects import safe_next
from web.security import login_afresh
from web.templating import home_url


@bp.route("/login", methods=["GET", "POST"])
@limit_login_per_account
@limit_login_per_address
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        now = utcnow()
        user = find_user_by_email(db, form.email.data or "")
        password = form.password.data or ""
        # A locked account is not even tried, and an unknown e-mail costs a hash too: the
        # answer and its timing are the same whether or not the e-mail exists.
        if user is None or is_locked(user, now):
            verify_dummy_password(password)
            ok = False
        else:
            ok = verify_password(user, password)
            if not ok:
                record_failed_login(user, now)
        if ok and user is not None and user.active:
            login_afresh(user, adopt_language=True)  # the login page's language is kept
            record_login(user, now)
            record_event(db, user, "auth.login", user, ip=request.remote_addr)
            db.commit()
            return redirect(safe_next(request.args.get("next")) or home_url())
        record_event(
            db,
            None,
            "auth.login_failed",
            None,
            ip=request.remote_addr,
            email=(form.email.data or "")[:254],
            locked=bool(user is not None and is_locked(user, now)),
        )
        db.commit()
        flash(_("Wrong e-mail or password."), "error")
        flash(
            _("After several failed attempts, logging in is paused for a while."),
            "info",
        )
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    from web.sso.views import logged_out_at_provider, logout_url

    end_at_provider = logout_url()  # a single sign-on session ends at its provider too
    if current_user.is_authenticated:
        db = get_db()
        record_event(db, current_user, "auth.logout", current_user, ip=request.remote_addr)
        # Sessions live in signed cookies; bumping the version makes a copied cookie useless.
        end_all_sessions(current_user._get_current_object())
        db.commit()
    logout_user()
    session.clear()
    if end_at_provider:
        return redirect(logged_out_at_provider(end_at_provider))
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
