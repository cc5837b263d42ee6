"""Single sign-on for staff, end to end against a real OpenID Connect provider on 127.0.0.1.

The provider (tests/oidc_provider.py) is Authlib's server side in a thread: discovery, JWKS,
authorization code with PKCE, RS256 ID tokens, RP-initiated logout. The app talks to it over
HTTP as it would to Entra ID; the test's "browser" follows the redirects between the two.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey
from sqlalchemy import select

from models.audit import AuditEvent
from models.enums import Role
from models.operations.accounts import create_partnership
from models.support import IdentityProvider
from tests.oidc_provider import (
    APP_CLIENT_ID,
    APP_CLIENT_SECRET,
    OidcProvider,
    identity_provider,
)

CALLBACK = "http://localhost/login/sso/callback"


@pytest.fixture(scope="module")
def provider():
    running = OidcProvider().start()
    running.add_client(APP_CLIENT_ID, APP_CLIENT_SECRET, CALLBACK)
    yield running
    running.stop()


@pytest.fixture()
def idp(db, provider):
    idp = identity_provider(db, provider, "SSO partnership", [101], "Testkommune")
    provider.signing_key = provider.key
    return idp


def _sign_in(client, provider, idp, claims):
    """Login page → provider → back: what a browser does. Returns the callback's answer."""
    provider.next_user = claims
    start = client.get(f"/login/sso/{idp.id}")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    assert authorize.startswith(provider.url + "/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0] and query["scope"] == ["openid email profile"]
    back = requests.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK)
    return client.get(back.headers["Location"].removeprefix("http://localhost"))


def _actions(db):
    return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_staff_sign_in_with_pkce_and_log_out_at_the_provider(app, db, make_user, provider, idp):
    user = make_user(Role.CASEWORKER, municipality_code=101, email="cw@kommune.dk")
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    assert "Log ind med Testkommune" in login_page

    done = _sign_in(client, provider, idp, {"sub": "abc-1", "email": "CW@kommune.dk"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/caseworker/")
    assert client.get("/caseworker/").status_code == 200
    # The code was exchanged with its PKCE verifier and the client's secret.
    exchange = provider.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert "auth.sso_login" in _actions(db)
    db.refresh(user)
    assert user.last_login_at is not None

    out = client.post("/logout")
    # After the POST a local page sends the browser on (CSP form-action allows only 'self').
    assert out.status_code == 302 and out.headers["Location"] == "/logout/sso"
    page = client.get("/logout/sso").get_data(as_text=True)
    target = unescape(re.search(r'content="0;url=([^"]+)"', page).group(1))
    assert target.startswith(provider.url + "/logout?")
    assert client.get("/logout/sso").status_code == 302  # only once
    back = requests.get(target, allow_redirects=False, timeout=10)
    assert provider.logouts[-1]["id_token_hint"].count(".") == 2  # the ID token (a JWT)
    assert provider.logouts[-1]["client_id"] == "ungeloeftet"
    assert back.headers["Location"] == "http://localhost/login"
    assert client.get("/caseworker/").status_code == 302  # logged out here too


def test_an_unknown_user_is_refused_with_a_clear_message(app, db, provider, idp):
    client = app.test_client()
    done = _sign_in(client, provider, idp, {"sub": "x-9", "email": "nobody@kommune.dk"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "ingen konto her for nobody@kommune.dk" in page
    assert client.get("/caseworker/").status_code == 302
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sso_refused")).one()
    assert event.details["who"] == "nobody@kommune.dk"


def test_companies_and_mentors_keep_their_password(app, db, make_user, provider, idp):
    make_user(Role.COMPANY, email="firma@example.dk")
    client = app.test_client()
    _sign_in(client, provider, idp, {"sub": "c-1", "email": "firma@example.dk"})
    page = client.get("/login").get_data(as_text=True)
    assert "Virksomheder og mentorer logger ind med deres e-mailadresse og adgangskode." in page
    assert client.get("/company/").status_code == 302


def test_an_id_token_with_a_bad_signature_is_refused(app, db, make_user, provider, idp):
    make_user(Role.CASEWORKER, municipality_code=101, email="cw2@kommune.dk")
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    client = app.test_client()
    done = _sign_in(client, provider, idp, {"sub": "abc-2", "email": "cw2@kommune.dk"})
    assert done.headers["Location"].endswith("/login")
    assert "Fælles login lykkedes ikke" in client.get("/login").get_data(as_text=True)
    assert client.get("/caseworker/").status_code == 302


def test_a_role_claim_must_give_the_accounts_role(app, db, make_user, provider, idp):
    make_user(Role.CASEWORKER, municipality_code=101, email="cw3@kommune.dk")
    idp.role_claim, idp.role_values = "roles", {"caseworker": "UM-Sagsbehandler"}
    db.flush()
    client = app.test_client()
    claims = {"sub": "abc-3", "email": "cw3@kommune.dk", "roles": ["Andet"]}
    _sign_in(client, provider, idp, claims)
    assert client.get("/caseworker/").status_code == 302
    claims["roles"] = ["UM-Sagsbehandler"]
    _sign_in(client, provider, idp, claims)
    assert client.get("/caseworker/").status_code == 200


def test_the_admin_sets_up_the_provider_and_the_support_contact(app, db, make_user, login_as):
    admin = make_user(Role.ADMIN)
    partnership = create_partnership(db, "Setup partnership", [147])
    client = app.test_client()
    client.post("/login", data={"email": admin.email, "password": "correct-horse-battery"})
    form = {
        "name": "Frederiksberg",
        "issuer": "https://login.example.dk/tenant/v2.0/",
        "client_id": "abc",
        "client_secret": "xyz",
        "user_claim": "upn",
        "active": "y",
    }
    saved = client.post(f"/admin/partnerships/{partnership.id}/sso", data=form)
    assert saved.status_code == 302
    idp = db.scalars(select(IdentityProvider).filter_by(partnership_id=partnership.id)).one()
    assert idp.issuer == "https://login.example.dk/tenant/v2.0" and idp.user_claim == "upn"
    bad = client.post(
        f"/admin/partnerships/{partnership.id}/sso", data={**form, "issuer": "ftp://x"}
    )
    assert bad.status_code == 422 and "https://" in bad.get_data(as_text=True)
    # An empty secret keeps the stored one.
    client.post(f"/admin/partnerships/{partnership.id}/sso", data={**form, "client_secret": ""})
    db.refresh(idp)
    assert idp.client_secret == "xyz"
    support = client.post(
        f"/admin/partnerships/{partnership.id}/support",
        data={"email": "Hjaelp@Kommune.dk", "phone": "33 66 33 66", "hours": "Hverdage 9–15"},
    )
    assert support.status_code == 302
    caseworker = make_user(Role.CASEWORKER, municipality_code=147)
    other = app.test_client()
    other.post("/login", data={"email": caseworker.email, "password": "correct-horse-battery"})
    help_page = other.get("/help/").get_data(as_text=True)
    assert "hjaelp@kommune.dk" in help_page and "33 66 33 66" in help_page
    assert "Setup partnership" in help_page
