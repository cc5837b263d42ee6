from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models.base import utcnow
from models.errors import ValidationError
from models.operations.accounts import set_password, verify_password
from models.operations.audit import record_event
from models.operations.tokens import create_token, revoke_token, tokens_of
from models.token import ApiToken
from models.user import User
from web.account import bp
from web.account.forms import PasswordForm, TokenForm
from web.db import get_db
from web.i18n import translate_error
from web.partner_forms import show_error
from web.security import get_scoped_or_404, login_afresh


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _tokens_page(form: TokenForm, secret: str | None = None, status: int = 200) -> Response:
    tokens = list(get_db().scalars(tokens_of(_me())))
    response = make_response(
        render_template(
            "account/tokens.html", form=form, tokens=tokens, secret=secret, now=utcnow()
        ),
        status,
    )
    # The new secret is in this page once: no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/tokens")
def tokens() -> Response:
    return _tokens_page(TokenForm())


@bp.post("/tokens")
def create() -> Response:
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=422)
    db = get_db()
    try:
        _token, secret = create_token(db, _me(), form.name.data or "", form.days.data or 0)
    except ValidationError as err:
        show_error(form, err, fallback="name")
        return _tokens_page(form, status=422)
    db.commit()
    flash(_("Your token is ready. Copy it now: it is shown only this once."), "info")
    return _tokens_page(TokenForm(formdata=None), secret=secret, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> Response:
    db = get_db()
    token = get_scoped_or_404(tokens_of(_me()), ApiToken, token_id)
    revoke_token(db, _me(), token)
    db.commit()
    flash(_("The token is revoked."), "info")
    return redirect(url_for("account.tokens"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> str | Response | tuple[str, int]:
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_db()
        user = _me()
        if not verify_password(user, form.current.data or ""):
            form.current.errors.append(_("The current password is not right."))
            return render_template("account/password.html", form=form), 422
        try:
            set_password(user, form.new.data or "")
        except ValidationError as err:
            form.new.errors.append(translate_error(err))
            return render_template("account/password.html", form=form), 422
        record_event(db, user, "auth.password_change", user, ip=request.remote_addr)
        db.commit()
        # Every other session ended with the new session version; this one starts afresh.
        login_afresh(user)
        flash(_("Your password is changed. You are logged out everywhere else."), "info")
        return redirect(url_for("account.password"))
    status = 422 if form.errors else 200
    return render_template("account/password.html", form=form), status
