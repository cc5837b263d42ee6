"""Every page of the route walk, in Danish, shows no English that has a Danish translation.

The walk is the one of ``tests/test_route_walk.py`` (routes from the app's URL map), as every
role, with the walking user's own objects where a route takes an ID (so the detail pages
render) and empty form posts (so validation messages render, WTForms' built-in ones too).
A page fails when a text node or a visible attribute equals an English message of the
catalogues that has a different Danish translation, contains a longer such message, or is a
raw code (``auth.login``, ``succeeded``, ``YouthProfile``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from models.base import utcnow
from models.enums import (
    OpeningStatus,
    ProfileStatus,
    Role,
    SlotStatus,
    SuggestionStatus,
)
from models.jobrun import JobRun
from models.operations.audit import record_event
from tests.factories import make_tenant_objects
from tests.test_route_walk import AREA_ROLE, _url, _web_rules, foreign  # noqa: F401 - fixture
from web.catalogs import catalogue_files
from web.vocabulary import AUDIT_ACTION, JOB_NAME, JOB_STATUS, NOTIFICATION_KIND, OBJECT_TYPE

VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-label")
CODE_WORDS = (
    set(AUDIT_ACTION)
    | set(NOTIFICATION_KIND)
    | set(JOB_STATUS)
    | set(JOB_NAME)
    | {s.value for s in SuggestionStatus}
    | {s.value for s in ProfileStatus}
    | {s.value for s in OpeningStatus}
    | {s.value for s in SlotStatus}
    | {r.value for r in Role}
)
CODE_PATTERN = re.compile(r"[a-z_]+\.[a-z_]+")


def english_with_danish() -> tuple[set[str], list[re.Pattern[str]]]:
    """English msgids whose Danish text differs: plain ones, and patterns for placeholders."""
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for po_path in catalogue_files():
        if po_path.parent.parent.name != "da":
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid in ids:
                if msgid in strings:
                    continue
                if "%" in msgid:
                    parts = re.split(r"%(?:\(\w+\))?[sd]", msgid)
                    # At least two words of fixed text: "%(num)s profiles" would match
                    # any text ending in "profiles".
                    if len(" ".join(parts).split()) >= 2:
                        patterns.append(
                            re.compile(r"\s*" + r".+?".join(re.escape(p) for p in parts) + r"\s*")
                        )
                else:
                    plain.add(msgid.strip())
    return plain, patterns


class VisibleText(HTMLParser):
    """Text nodes and visible attributes, outside scripts and parts marked as English."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style") or attributes.get("lang", "da").startswith("en"):
            if tag not in ("meta", "link", "input", "img", "br"):
                self._skip.append(tag)
            return
        if self._skip:
            return
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(str(attributes[name]))
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(str(attributes.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def leaks(html: str, plain: set[str], patterns: list[re.Pattern[str]]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    whole_page = " ".join(" ".join(t.split()) for t in parser.texts)
    texts = {" ".join(raw.split()) for raw in parser.texts}
    for text in texts:
        if text in plain or any(p.fullmatch(text) for p in patterns):
            found.append(f"English: {text!r}")
        elif text in CODE_WORDS or CODE_PATTERN.fullmatch(text):
            found.append(f"raw code: {text!r}")
    for msgid in plain:
        # Longer English sentences inside mixed text ("Profile P-123" would not match whole).
        if len(msgid) >= 20 and " " in msgid and msgid in whole_page and msgid not in texts:
            found.append(f"English inside text: {msgid!r}")
    for model in OBJECT_TYPE:
        if re.fullmatch(r"[A-Z][a-z]+[A-Z]\w+", model) and re.search(rf"\b{model}\b", whole_page):
            found.append(f"model name: {model!r}")
    return sorted(set(found))


@pytest.fixture()
def own(db, make_user, make_slot, make_suggestion):
    """Each role's user with objects of its own, an audit trail and job runs to show."""
    caseworker = make_user(Role.CASEWORKER)
    company = make_user(Role.COMPANY)
    mentor = make_user(Role.MENTOR)
    admin = make_user(Role.ADMIN)
    objects = make_tenant_objects(db, caseworker, company, mentor, "2200")
    make_suggestion(
        objects.youth, objects.company_slot, status=SuggestionStatus.PROPOSED, distance_km=12.25
    )
    record_event(db, caseworker, "profile.read", objects.youth, ip="127.0.0.1")
    record_event(db, admin, "auth.login", admin, ip="127.0.0.1")
    now = utcnow()
    for status in ("succeeded", "failed", "skipped"):
        db.add(
            JobRun(
                name="nightly",
                run_date=date.today() - timedelta(days=1),
                started_at=now,
                finished_at=now,
                status=status,
                counts={"new": 1234},
            )
        )
    db.flush()
    ids = objects.route_ids()
    users = {
        Role.CASEWORKER: caseworker,
        Role.COMPANY: company,
        Role.MENTOR: mentor,
        Role.ADMIN: admin,
        Role.SECRETARIAT: make_user(Role.SECRETARIAT),
    }
    return users, ids


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_every_page_in_danish_shows_no_english_or_codes(app, db, foreign, own, role):  # noqa: F811
    plain, patterns = english_with_danish()
    assert "This field is required." in plain  # WTForms' own messages are covered
    users, own_ids = own
    client = app.test_client()
    if role is not None:
        response = client.post(
            "/login", data={"email": users[role].email, "password": "correct-horse-battery"}
        )
        assert response.status_code == 302
    problems: dict[str, list[str]] = {}
    pages = 0
    rules = list(_web_rules(app))
    for rule in app.url_map.iter_rules():
        public = rule.endpoint.split(".")[0] in ("public", "auth", "guide")
        if (public or rule.endpoint == "api.docs") and "GET" in rule.methods:
            rules.append((rule, rule.endpoint.split(".")[0]))
    ids = {**foreign, **own_ids}
    for rule, area in rules:
        if rule.arguments - set(foreign):
            continue
        url = _url(rule, area, ids, db)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            if response.status_code >= 300 and response.status_code < 400:
                response = client.get(response.headers["Location"])
            if not response.content_type.startswith("text/html"):
                response.close()
                continue
            pages += 1
            found = leaks(response.get_data(as_text=True), plain, patterns)
            if found:
                problems[f"{method} {url} ({response.status_code})"] = found
    assert pages > 10
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_checker_finds_english_and_codes():
    plain, patterns = english_with_danish()
    html = (
        "<main><p>Please log in to access this page.</p><td>succeeded</td><td>auth.login</td>"
        "<p>Not a valid integer value.</p><p>YouthProfile #49</p>"
        '<button lang="en">English</button><p>Feltet skal udfyldes.</p></main>'
    )
    found = leaks(html, plain, patterns)
    assert "English: 'Please log in to access this page.'" in found
    assert "raw code: 'succeeded'" in found
    assert "raw code: 'auth.login'" in found
    assert "English: 'Not a valid integer value.'" in found
    assert "model name: 'YouthProfile'" in found
    assert len(found) == 5


def test_wtforms_messages_numbers_and_dates_are_danish(app, client, login_as, make_user, db):
    from flask_babel import force_locale

    from web.templating import format_km, format_number

    with app.test_request_context():
        with force_locale("da"):
            assert format_km(2.5) == "2,5\N{NO-BREAK SPACE}km"
            assert format_number(1234) == "1.234"
            env = app.jinja_env
            assert env.from_string("{{ d|date }}").render(d=date(2026, 12, 30)) == "30. dec. 2026"
        with force_locale("en"):
            assert format_km(2.5) == "2.5\N{NO-BREAK SPACE}km"
    response = client.get("/caseworker/")
    follow = client.get(response.headers["Location"])
    assert "Log ind for at se denne side." in follow.get_data(as_text=True)
    login_as(make_user(Role.CASEWORKER))
    page = client.post("/caseworker/profiles/new", data={"birth_year": "x"})
    text = page.get_data(as_text=True)
    assert "Ikke et gyldigt valg." in text  # WTForms' SelectField message
    assert "Not a valid choice." not in text


def test_language_chosen_on_the_login_page_is_kept(app, client, make_user, db):
    user = make_user(Role.COMPANY)
    assert user.locale == "da"
    client.post("/language", data={"locale": "en", "next": "/login"})
    response = client.post(
        "/login", data={"email": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert '<html lang="en">' in page.get_data(as_text=True)
    db.refresh(user)
    assert user.locale == "en"


def test_audit_view_shows_pseudonyms_and_readable_events(app, db, own):
    users, ids = own
    from models.youth import YouthProfile

    pseudonym = db.get(YouthProfile, ids["profile_id"]).pseudonym
    client = app.test_client()
    client.post(
        "/login", data={"email": users[Role.ADMIN].email, "password": "correct-horse-battery"}
    )
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f"Profil {pseudonym}" in html
    assert "Logget ind" in html and "YouthProfile" not in html
    assert f"#{ids['profile_id']}" not in html
