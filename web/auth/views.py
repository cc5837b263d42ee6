from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from models.base import utcnow
from models.operations.accounts import find_user_by_email, record_login, verify_password
from models.operations.audit import record_event
from web.auth import bp
from web.auth.forms import LoginForm
from web.db import get_db
from web.templating import home_url


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        user = find_user_by_email(db, form.email.data or "")
        if user is not None and user.active and verify_password(user, form.password.data or ""):
            locale = session.get("locale")
            session.clear()  # a fresh session at login: no fixation
            if locale:
                session["locale"] = locale
            login_user(user)
            record_login(user, utcnow())
            record_event(db, user, "auth.login", user, ip=request.remote_addr)
            db.commit()
            return redirect(_safe_next(request.args.get("next")) or home_url())
        record_event(
            db,
            None,
            "auth.login_failed",
            None,
            ip=request.remote_addr,
            email=(form.email.data or "")[:254],
        )
        db.commit()
        flash(_("Wrong e-mail or password."), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        db = get_db()
        record_event(db, current_user, "auth.logout", current_user, ip=request.remote_addr)
        db.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None
