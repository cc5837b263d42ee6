"""Personal access tokens: created and revoked on the web, shown once, stored hashed; CSRF."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Role
from models.operations.tokens import create_token
from models.token import ApiToken


@pytest.mark.parametrize("role", list(Role))
def test_every_role_creates_a_token_once_and_uses_it(client, login_as, make_user, db, role):
    user = login_as(make_user(role))
    page = client.get("/account/tokens")
    assert page.status_code == 200
    assert 'href="/account/tokens"' in page.text  # in the menu
    response = client.post("/account/tokens", data={"name": "Mit program", "days": "30"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret"[^>]*value="([^"]+)"', response.text).group(1)
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.token_hash, row.prefix) and secret.startswith(row.prefix)
    assert len(secret) > 40
    assert timedelta(days=29) < row.expires_at - utcnow() <= timedelta(days=30)
    # Shown once: the list shows the prefix only.
    again = client.get("/account/tokens")
    assert secret not in again.text and row.prefix in again.text
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json["id"] == user.id and me.json["role"] == str(role)
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "token.create")) is not None


def test_default_expiry_is_90_days_and_more_than_365_is_refused(client, login_as, make_user, db):
    user = login_as(make_user(Role.COMPANY))
    page = client.get("/account/tokens")
    assert 'value="90"' in page.text
    refused = client.post("/account/tokens", data={"name": "x", "days": "366"})
    assert refused.status_code == 422
    assert "365" in refused.text and 'value="x"' in refused.text  # the input is kept
    assert db.scalar(select(ApiToken).where(ApiToken.user_id == user.id)) is None
    token, _secret = create_token(db, user, "standard")
    assert token.expires_at - token.created_at == timedelta(days=90)


def test_revoking_a_token_ends_it_and_foreign_tokens_are_404(client, login_as, make_user, db):
    owner = make_user(Role.MENTOR)
    token, secret = create_token(db, owner, "owner's")
    db.flush()
    login_as(make_user(Role.MENTOR))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    client.post("/logout")
    login_as(owner)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_token_pages_need_a_login(client):
    assert client.get("/account/tokens").status_code == 302
    assert client.get("/account/password").status_code == 302


def test_cookie_session_post_to_the_api_needs_csrf_token_posts_do_not(
    app, client, login_as, make_user, db
):
    user = login_as(make_user(Role.COMPANY))
    app.config["WTF_CSRF_ENABLED"] = True
    body = {"title": "Kok", "postcode": "2300"}
    refused = client.post("/api/v1/openings", json=body)
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    assert "CSRF" in refused.json["detail"]
    assert client.get("/api/v1/me").json["id"] == user.id  # reading with the cookie is fine
    _token, secret = create_token(db, user, "script")
    db.flush()
    accepted = client.post(
        "/api/v1/openings", json=body, headers={"Authorization": f"Bearer {secret}"}
    )
    assert accepted.status_code == 201
    # With the session's CSRF token the browser may post too.
    page = client.get("/account/tokens")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    csrf = csrf or re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    ok = client.post("/api/v1/openings", json=body, headers={"X-CSRFToken": csrf.group(1)})
    assert ok.status_code == 201
