"""Login hardening: lockout that ends, rate limits, sessions renewed and ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Role
from models.operations.accounts import (
    LOCKOUT_BASE,
    LOCKOUT_CAP,
    LOCKOUT_THRESHOLD,
    record_failed_login,
)
from tests.conftest import PASSWORD


def _login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_five_failures_lock_the_account_but_the_answer_reveals_nothing(client, make_user, db):
    user = make_user(Role.CASEWORKER)
    unknown = _login(client, "nobody@example.dk", "whatever-password")
    for _ in range(LOCKOUT_THRESHOLD):
        wrong = _login(client, user.email, "wrong-password")
        assert wrong.status_code == 200
    db.refresh(user)
    assert user.locked_until is not None
    assert user.locked_until - utcnow() > LOCKOUT_BASE - timedelta(minutes=1)
    # Locked: the right password is refused too, with the same page as an unknown e-mail.
    locked = _login(client, user.email)
    assert locked.status_code == 200
    assert client.get("/caseworker/").status_code == 302
    for response in (unknown, locked):
        assert "Forkert e-mail eller adgangskode" in response.text
    assert _strip_csrf(unknown.text.replace("nobody@example.dk", user.email)) == _strip_csrf(
        locked.text
    )
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("auth.%"))).all()
    assert actions.count("auth.login_failed") == LOCKOUT_THRESHOLD + 2


def _strip_csrf(text):
    import re

    return re.sub(r'name="csrf_token"[^>]*', "", text)


def test_the_lockout_ends_doubles_and_is_capped_and_success_resets(client, make_user, db):
    user = make_user(Role.MENTOR)
    now = utcnow()
    durations = []
    for _round in range(6):
        for _ in range(LOCKOUT_THRESHOLD):
            record_failed_login(user, now)
        durations.append(user.locked_until - now)
    assert durations[:3] == [LOCKOUT_BASE, LOCKOUT_BASE * 2, LOCKOUT_BASE * 4]
    assert max(durations) == LOCKOUT_CAP
    # Once the pause is over, the right password works and resets the counter.
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.flush()
    assert _login(client, user.email).status_code == 302
    db.refresh(user)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_login_is_rate_limited(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATELIMIT="3 per minute")
    client = app.test_client()
    user = make_user(Role.ADMIN)
    statuses = [_login(client, user.email, "wrong-password").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # only POSTs count


def test_api_is_rate_limited_per_token(make_app, make_user, db):
    from models.operations.tokens import create_token

    app = make_app(RATELIMIT_ENABLED=True, API_RATELIMIT="2 per minute")
    client = app.test_client()
    _t, one = create_token(db, make_user(Role.MENTOR), "a")
    _t, two = create_token(db, make_user(Role.MENTOR), "b")
    db.flush()
    get = lambda secret: client.get(  # noqa: E731
        "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert [get(one).status_code for _ in range(3)] == [200, 200, 429]
    limited = get(one)
    assert limited.mimetype == "application/problem+json"
    assert limited.json["status"] == 429
    assert "Retry-After" in limited.headers
    assert get(two).status_code == 200  # another token has its own budget


def test_login_renews_the_session(client, make_user):
    user = make_user(Role.COMPANY)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_even_a_copied_session_cookie(app, make_user):
    user = make_user(Role.COMPANY)
    browser = app.test_client()
    _login(browser, user.email)
    cookie = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/company/").status_code == 200
    browser.post("/logout")
    assert thief.get("/company/").status_code == 302


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_password_change_and_deactivation_end_other_sessions(app, make_user, db, change):
    from models.operations.accounts import deactivate_user

    user = make_user(Role.CASEWORKER)
    other_device = app.test_client()
    _login(other_device, user.email)
    assert other_device.get("/caseworker/").status_code == 200
    if change == "password":
        me = app.test_client()
        _login(me, user.email)
        response = me.post(
            "/account/password",
            data={
                "current": PASSWORD,
                "new": "lange-ord-om-sommer-2026",
                "confirm": "lange-ord-om-sommer-2026",
            },
        )
        assert response.status_code == 302
        assert me.get("/caseworker/").status_code == 200  # this session lives on
    else:
        deactivate_user(user)
        db.flush()
    assert other_device.get("/caseworker/").status_code == 302
