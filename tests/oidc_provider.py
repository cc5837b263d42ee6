"""A small, real OpenID Connect provider for the tests, built with Authlib's server side.

It serves discovery (``/.well-known/openid-configuration``), the JWKS, the authorization
endpoint (which "logs in" whoever ``provider.next_user`` names, as an organisation's login
page would), the token endpoint (authorization code with PKCE S256 required, client secret
checked), and RP-initiated logout (``end_session``, which records what it was sent). ID tokens
are RS256-signed with a key made at start. It runs with werkzeug on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, redirect, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class OidcProvider:
    """The provider: ``url`` is its issuer; set ``next_user`` to the claims of who logs in."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.signing_key = self.key  # a test may sign with another key than the JWKS shows
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, Code] = {}
        self.next_user: dict[str, Any] = {}
        self.token_requests: list[dict[str, str]] = []
        self.logouts: list[dict[str, str]] = []
        self.url = ""
        self.app = self._build()

    def add_client(self, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.clients[client_id] = Client(client_id, client_secret, [redirect_uri])

    def _build(self) -> Flask:
        provider = self
        app = Flask("test-oidc-provider")
        app.config["SECRET_KEY"] = secrets.token_hex(16)

        class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, req: Any) -> None:
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.payload.scope,
                    user=dict(req.user),
                    nonce=req.payload.data.get("nonce"),
                    code_challenge=req.payload.data.get("code_challenge"),
                    code_challenge_method=req.payload.data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.signing_key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.url, "aud": [client.client_id]}

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                return UserInfo(user)

        server = AuthorizationServer(
            app,
            query_client=lambda client_id: provider.clients.get(client_id),
            save_token=lambda token, req: None,
        )
        server.register_grant(
            AuthorizationCodeGrant, [CodeChallenge(required=True), IdToken(require_nonce=True)]
        )

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                {
                    "issuer": provider.url,
                    "authorization_endpoint": provider.url + "/authorize",
                    "token_endpoint": provider.url + "/token",
                    "jwks_uri": provider.url + "/jwks",
                    "end_session_endpoint": provider.url + "/logout",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                    "scopes_supported": ["openid", "email", "profile"],
                    "token_endpoint_auth_methods_supported": [
                        "client_secret_basic",
                        "client_secret_post",
                    ],
                }
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify({"keys": [provider.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize() -> Any:
            # The organisation's own login page would ask here; the test says who it is.
            user = provider.next_user or None
            grant = server.get_consent_grant(end_user=user)
            return server.create_authorization_response(grant_user=user, grant=grant)

        @app.post("/token")
        def token() -> Any:
            provider.token_requests.append(dict(request.form))
            return server.create_token_response()

        @app.get("/logout")
        def logout() -> Any:
            provider.logouts.append(dict(request.args))
            return redirect(request.args["post_logout_redirect_uri"])

        return app

    def start(self) -> OidcProvider:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


# The app as the provider's client: what tests register on both sides.
APP_CLIENT_ID = "ungeloeftet"
APP_CLIENT_SECRET = "s3cret-client"  # noqa: S105 - a test provider's


def identity_provider(
    session: Any, provider: OidcProvider, partnership: str, municipalities: list[int], name: str
) -> Any:
    """A new partnership of ``municipalities`` whose staff sign in at ``provider`` (the app's
    ``IdentityProvider`` row, flushed); register the app with ``provider.add_client``."""
    from models.operations.accounts import create_partnership
    from models.support import IdentityProvider

    row = IdentityProvider(
        partnership_id=create_partnership(session, partnership, municipalities).id,
        name=name,
        issuer=provider.url,
        client_id=APP_CLIENT_ID,
        client_secret=APP_CLIENT_SECRET,
    )
    session.add(row)
    session.flush()
    return row
