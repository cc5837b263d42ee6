"""Single sign-on for staff with OpenID Connect (Authlib's Flask client).

A partnership's identity provider (models.support.IdentityProvider) is found through its
discovery document (``<issuer>/.well-known/openid-configuration``); sign-in is the
authorization code flow with PKCE (S256), state and nonce; Authlib checks the ID token's
signature (the provider's JWKS), issuer, audience, expiry and nonce. Logging out of a
single sign-on session also ends it at the provider (RP-initiated logout) when the provider
offers an ``end_session_endpoint``.
"""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Blueprint

bp = Blueprint("sso", __name__)
oauth = OAuth()


@bp.record_once
def _init(state) -> None:  # type: ignore[no-untyped-def]
    oauth.init_app(state.app)


from web.sso import views  # noqa: E402,F401  - registers the routes on bp
