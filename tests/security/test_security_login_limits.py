"""Login limits per account and per address, a 429 page that says how long to wait, and
ProxyFix only when configured (issue 14, finding 7)."""

from __future__ import annotations

import re

from models.enums import Role

WRONG = "wrong-password"  # noqa: S105


def _login(client, email, *, address="192.0.2.10", **headers):
    return client.post(
        "/login",
        data={"email": email, "password": WRONG},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def _app(make_app, **overrides):
    config = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATELIMIT": "3 per minute",
        "LOGIN_ADDRESS_RATELIMIT": "100 per minute",
    }
    config.update(overrides)
    return make_app(**config)


def test_one_account_is_limited_without_locking_out_the_office(make_app, make_user):
    app = _app(make_app)
    client = app.test_client()
    first, second = make_user(Role.CASEWORKER), make_user(Role.CASEWORKER)
    assert [_login(client, first.email).status_code for _ in range(4)] == [200, 200, 200, 429]
    # The same e-mail in another case and with spaces is the same account.
    assert _login(client, "  " + first.email.upper()).status_code == 429
    # A colleague behind the same public address still gets in.
    assert _login(client, second.email).status_code == 200
    # And the first account is limited from another address too.
    assert _login(client, first.email, address="198.51.100.7").status_code == 429


def test_one_address_trying_many_accounts_is_limited(make_app):
    app = _app(make_app, LOGIN_ADDRESS_RATELIMIT="5 per minute")
    client = app.test_client()
    statuses = [_login(client, f"spray{i}@example.dk").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    assert _login(client, "spray9@example.dk", address="198.51.100.7").status_code == 200


def test_the_429_page_says_how_long_to_wait_in_danish_and_english(make_app, make_user):
    app = _app(make_app, LOGIN_RATELIMIT="1 per minute")
    user = make_user(Role.MENTOR)
    client = app.test_client()
    _login(client, user.email)
    limited = _login(client, user.email)
    assert limited.status_code == 429
    wait = int(limited.headers["Retry-After"])
    assert 0 < wait <= 61
    assert limited.mimetype == "text/html"
    assert "For mange forsøg" in limited.text
    seconds = re.search(r"Prøv igen om (\d+) sekunder", limited.text)
    assert seconds and 0 < int(seconds.group(1)) <= 61, limited.text
    assert "Noget gik galt" not in limited.text
    english = app.test_client()
    english.post("/language", data={"locale": "en", "next": "/login"})
    limited = _login(english, user.email, **{"Accept-Language": "en"})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.text
    assert re.search(r"Try again in (\d+) seconds", limited.text)


def test_forwarded_addresses_count_only_when_proxy_fix_is_configured(make_app):
    spoofed = {"X-Forwarded-For": "203.0.113.99"}
    app = _app(make_app, LOGIN_ADDRESS_RATELIMIT="2 per minute")
    client = app.test_client()
    # Without PROXY_FIX_X_FOR the header is the client's word: it buys no fresh budget.
    statuses = [
        _login(client, f"a{i}@example.dk", **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    proxied = _app(make_app, LOGIN_ADDRESS_RATELIMIT="2 per minute", PROXY_FIX_X_FOR=1)
    client = proxied.test_client()
    assert [_login(client, f"b{i}@example.dk", **spoofed).status_code for i in range(3)] == [
        200,
        200,
        429,
    ]
    # Behind the proxy, another client (another forwarded address) has its own budget.
    assert _login(client, "c@example.dk", **{"X-Forwarded-For": "203.0.113.100"}).status_code == 200
