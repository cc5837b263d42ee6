from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from authlib.common.errors import AuthlibBaseError
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select
from werkzeug.wrappers import Response

from models.base import utcnow
from models.operations.accounts import record_login
from models.operations.audit import record_event
from models.operations.sso import SignInRefused, sso_user
from models.support import IdentityProvider
from web.db import get_db
from web.i18n import translate_error
from web.security import login_afresh
from web.sso import bp, oauth
from web.templating import home_url

PENDING = "sso_pending"
SIGNED_IN = "sso"


def client_for(provider: IdentityProvider) -> Any:
    """Authlib's client for the provider, configured from its discovery document.

    Authlib keeps a client per name for the process's life (with its fetched metadata and
    keys); the name carries a digest of the settings, so a changed issuer, client or secret
    gets a new client at once.
    """
    settings = f"{provider.issuer}\n{provider.client_id}\n{provider.client_secret}"
    digest = hashlib.sha256(settings.encode()).hexdigest()[:12]
    return oauth.register(
        f"idp{provider.id}-{digest}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.issuer + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )


def active_providers() -> list[IdentityProvider]:
    return list(
        get_db().scalars(
            select(IdentityProvider)
            .where(IdentityProvider.active.is_(True))
            .order_by(IdentityProvider.name)
        )
    )


@bp.app_context_processor
def _providers() -> dict[str, Any]:
    return {"sso_providers": active_providers}


def _provider(provider_id: int | None) -> IdentityProvider:
    provider = get_db().get(IdentityProvider, provider_id) if provider_id else None
    if provider is None or not provider.active:
        abort(404)
    return provider


def _refuse(message: str) -> Response:
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.get("/login/sso/<int:provider_id>")
def start(provider_id: int) -> Response:
    if current_user.is_authenticated:
        return redirect(home_url())
    provider = _provider(provider_id)
    session[PENDING] = provider.id
    try:
        return client_for(provider).authorize_redirect(url_for("sso.callback", _external=True))
    except (AuthlibBaseError, RequestException, ValueError):
        return _refuse(_("Your organisation's login cannot be reached just now. Try again later."))


@bp.get("/login/sso/callback")
def callback() -> Response:
    provider = _provider(session.pop(PENDING, None))
    client = client_for(provider)
    db = get_db()
    try:
        token = client.authorize_access_token()  # code + PKCE verifier; ID token checked
        metadata = client.load_server_metadata()
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError):
        return _refuse(_("Single sign-on did not succeed. Try again, or ask your secretariat."))
    claims = dict(token.get("userinfo") or {})
    if metadata.get("issuer", "").rstrip("/") != provider.issuer or not claims:
        return _refuse(_("Single sign-on did not succeed. Try again, or ask your secretariat."))
    try:
        user = sso_user(db, provider, claims)
    except SignInRefused as error:
        record_event(
            db,
            None,
            "auth.sso_refused",
            provider,
            ip=request.remote_addr,
            who=str(claims.get(provider.user_claim, ""))[:254],
        )
        db.commit()
        return _refuse(translate_error(error))
    login_afresh(user, adopt_language=True)
    record_login(user, utcnow())
    record_event(db, user, "auth.sso_login", user, ip=request.remote_addr, provider=provider.id)
    db.commit()
    session[SIGNED_IN] = {"provider": provider.id, "id_token": token.get("id_token", "")}
    return redirect(home_url())


def logout_url() -> str | None:
    """Where to send a user whose session came from single sign-on, to end it there too."""
    signed_in = session.get(SIGNED_IN)
    if not signed_in:
        return None
    provider = get_db().get(IdentityProvider, signed_in.get("provider"))
    if provider is None:
        return None
    try:
        end = client_for(provider).load_server_metadata().get("end_session_endpoint")
    except (AuthlibBaseError, RequestException, ValueError):
        return None
    if not end:
        return None
    query = {
        "id_token_hint": signed_in.get("id_token", ""),
        "post_logout_redirect_uri": url_for("auth.login", _external=True),
        "client_id": provider.client_id,
    }
    return f"{end}{'&' if '?' in end else '?'}{urlencode(query)}"


LOGOUT_TARGET = "sso_logout_to"


def logged_out_at_provider(end_session_url: str) -> str:
    """The local page that sends the browser on to the provider's logout (after a POST, the
    Content-Security-Policy's form-action would stop a redirect to another origin)."""
    session[LOGOUT_TARGET] = end_session_url
    return url_for("sso.logged_out")


@bp.get("/logout/sso")
def logged_out() -> str | Response:
    target = session.pop(LOGOUT_TARGET, None)
    if not target:
        return redirect(url_for("auth.login"))
    page = render_template("auth/sso_logged_out.html", target=target)
    flash(_("You are logged out."), "info")  # shown on the login page the provider returns to
    return page
