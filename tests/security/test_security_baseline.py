"""A passive security baseline in the manner of OWASP ZAP's baseline scan, offline.

Every page of the route walk (tests/test_route_walk.py: every web rule of the URL map, as
every role and anonymously) and the error pages are checked for what a passive scanner
flags: missing or weak security headers, cookies without HttpOnly/SameSite, personal pages
a shared cache may keep, mixed content, inline script, POST forms without a CSRF token, and
error pages that leak stack traces, library names or versions. A new route is covered
without a new test.
"""

from __future__ import annotations

import re

import pytest

from tests import test_route_walk as walk
from tests.conftest import PASSWORD

foreign = walk.foreign  # the route walk's fixture: objects of tenants nobody here belongs to

LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"/|werkzeug|sqlalchemy|psycopg|jinja2|"
    r"Python/\d|Flask/\d|gunicorn|OperationalError|IntegrityError|debugger",
    re.IGNORECASE,
)
MIXED = re.compile(r"""\b(?:src|href|action|formaction|poster|data)\s*=\s*["']http://""", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']", re.I)
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.I | re.S)


def passive_findings(response, *, logged_in: bool) -> list[str]:
    """What a passive scan would report about one response."""
    found = []
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    # An SVG image may be stricter still (default-src 'none') and keep its own <style>.
    image = response.mimetype == "image/svg+xml" and "default-src 'none'" in csp
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        if directive not in csp and not (image and directive.startswith("default-src")):
            found.append(f"CSP lacks {directive}")
    scripts = [csp]
    if image:
        scripts = [d for d in csp.split(";") if not d.strip().startswith("style-src")]
    if any("unsafe-inline" in d or "unsafe-eval" in d for d in scripts):
        found.append("CSP allows unsafe-inline/unsafe-eval")
    if headers.get("X-Content-Type-Options") != "nosniff":
        found.append("X-Content-Type-Options missing")
    if headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN"):
        found.append("X-Frame-Options missing")
    if not headers.get("Referrer-Policy"):
        found.append("Referrer-Policy missing")
    if "X-Powered-By" in headers or re.search(r"\d", headers.get("Server", "")):
        found.append("server version disclosed")
    for cookie in headers.getlist("Set-Cookie"):
        lowered = cookie.lower()
        if "httponly" not in lowered:
            found.append(f"cookie without HttpOnly: {cookie.split('=')[0]}")
        if "samesite=" not in lowered:
            found.append(f"cookie without SameSite: {cookie.split('=')[0]}")
    if logged_in and "no-store" not in headers.get("Cache-Control", ""):
        found.append("a personal page may be stored by caches (Cache-Control: no-store)")
    if response.mimetype == "text/html":
        text = response.get_data(as_text=True)
        if LEAKS.search(text):
            found.append(f"information leak: {LEAKS.search(text).group(0)!r}")
        if MIXED.search(text):
            found.append("mixed content (http:// resource)")
        if INLINE_SCRIPT.search(text):
            found.append("inline script or event handler")
        for body in POST_FORM.findall(text):
            if 'name="csrf_token"' not in body:
                found.append("POST form without a CSRF token")
    return found


def _login(client, user):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.fixture()
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.mark.parametrize("role", walk.ROLES, ids=lambda r: r.value if r else "anonymous")
def test_every_page_of_the_route_walk_passes_the_baseline(csrf_app, db, make_user, foreign, role):
    client = csrf_app.test_client()
    if role is not None:
        _login(client, make_user(role))
    report = {}
    pages = 0
    for rule, area in walk._web_rules(csrf_app):
        if "GET" not in rule.methods:
            continue
        url = walk._url(rule, area, foreign, db)
        response = client.get(url)
        findings = passive_findings(response, logged_in=role is not None)
        if findings:
            report[url] = findings
        pages += 1
    for url in ("/", "/about", "/login", "/no-such-page", "/company/openings/2147483648"):
        findings = passive_findings(client.get(url), logged_in=role is not None)
        if findings:
            report[url] = findings
    assert pages > 20
    assert not report, report


def test_error_pages_leak_nothing(make_app, make_user):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/__boom")
    def boom():
        raise RuntimeError("secret detail: postgresql://user:pw@db/ungeloeftet")

    client = app.test_client()
    failed = client.get("/__boom")
    assert failed.status_code == 500
    assert "secret detail" not in failed.text and "RuntimeError" not in failed.text
    not_allowed = client.delete("/login")
    assert not_allowed.status_code == 405
    for response in (failed, not_allowed, client.get("/nope"), client.get("/api/v1/nope")):
        assert passive_findings(response, logged_in=False) == [], response.status_code


def test_session_cookie_is_secure_in_production(make_app):
    app = make_app(ENV_MODE="production", SECRET_KEY="x" * 40, DATABASE_URL_EXPLICIT=True)
    client = app.test_client()
    response = client.post("/language", data={"locale": "en", "next": "/"})
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_baseline_can_fail():
    """The checks find what they look for (a scanner that never reports proves nothing)."""
    from werkzeug.wrappers import Response

    bad = Response(
        '<form method="post"><input name="x"></form><script>alert(1)</script>'
        '<img src="http://cdn.example/x.png">Traceback (most recent call last)',
        mimetype="text/html",
        headers={"Set-Cookie": "session=abc; Path=/", "Server": "Werkzeug/3.0 Python/3.11"},
    )
    findings = passive_findings(bad, logged_in=True)
    for expected in (
        "CSP lacks",
        "X-Content-Type-Options",
        "server version",
        "HttpOnly",
        "SameSite",
        "no-store",
        "information leak",
        "mixed content",
        "inline script",
        "CSRF token",
    ):
        assert any(expected in f for f in findings), (expected, findings)
