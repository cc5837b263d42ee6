"""Every ``next`` redirect stays on this site and never answers 5xx (issue 14, findings 1-2).

The list is the probe's: tabs, backslashes, ``//``, ``/\\``, percent-encoded and
double-encoded forms, CR/LF (a header injection) and Unicode look-alikes of ``/`` and ``.``.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from models.enums import Role
from tests.conftest import PASSWORD
from web.redirects import safe_next

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "%2F%2Fevil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\r\nSet-Cookie: x=y",
    "/\nSet-Cookie: x=y",
    "/%0D%0ASet-Cookie:%20x=y",
    "/%0aLocation:%20//evil.example",
    "/\x00/evil.example",
    "/\uff0fevil.example",  # fullwidth solidus: NFKC turns it into "/"
    "/\u2215evil.example",  # division slash
    "//evil\u3002example",  # ideographic full stop (a dot to IDNA)
    "/\uff3cevil.example",  # fullwidth backslash
    "/\u200b/evil.example",  # zero-width space
]

LOCAL = [
    ("/caseworker/", "/caseworker/"),
    ("/company/openings?page=2&q=lager", "/company/openings?page=2&q=lager"),
    ("/caseworker/?q=s%C3%B8ren", "/caseworker/?q=s%C3%B8ren"),
    ("/caseworker/?q=søren", "/caseworker/?q=s%C3%B8ren"),
]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_every_hostile_target(target):
    assert safe_next(target) is None


@pytest.mark.parametrize(("target", "expected"), LOCAL)
def test_safe_next_keeps_local_paths(target, expected):
    assert safe_next(target) == expected


def test_safe_next_of_nothing_is_nothing():
    assert safe_next(None) is None
    assert safe_next("") is None


def _assert_on_site(response):
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), location
    assert parts.path.startswith("/") and not parts.path.startswith("//"), location
    assert "\\" not in location and "evil" not in location.replace("%", ""), location
    assert "Set-Cookie" not in response.headers or "x=y" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target", HOSTILE)
def test_login_next_never_leaves_the_site(app, make_user, target):
    user = make_user(Role.CASEWORKER)
    client = app.test_client()
    # As a browser sends it: the query string percent-encoded once.
    response = client.post(
        "/login?next=" + quote(target, safe="/%:"),
        data={"email": user.email, "password": PASSWORD},
    )
    _assert_on_site(response)
    assert urlsplit(response.headers["Location"]).path == "/caseworker/"


def test_login_next_probe_reproductions_raw(app, make_user):
    """The probe's literal query strings, not re-encoded by the test."""
    user = make_user(Role.CASEWORKER)
    for raw in ("/%09/evil.example", "/%0D%0ASet-Cookie:%20x=y", "/%5C/evil.example"):
        client = app.test_client()
        response = client.post(
            "/login?next=" + raw, data={"email": user.email, "password": PASSWORD}
        )
        _assert_on_site(response)


def test_login_next_keeps_a_local_path(app, make_user):
    user = make_user(Role.CASEWORKER)
    response = app.test_client().post(
        "/login?next=/caseworker/%3Fq%3Dlager", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/caseworker/?q=lager")


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_next_never_leaves_the_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    _assert_on_site(response)


def test_language_switch_keeps_a_local_path(client):
    response = client.post("/language", data={"locale": "en", "next": "/about?x=1"})
    assert response.headers["Location"].endswith("/about?x=1")
