"""The templates' fast paths give what the slow ones gave (web/templating.py): ``_()`` and
``ngettext()`` without Jinja's context layers, ``url_with`` and ``url_with_back`` for a page's
per-row links, distances without Flask-Babel's locale lookup."""

from __future__ import annotations

import pytest
from flask import url_for
from flask_babel import force_locale
from jinja2 import Environment
from markupsafe import Markup

from web.templating import BACK_PLACEHOLDER, URL_PLACEHOLDER, format_km, url_with, url_with_back

SOURCES = [
    '{{ _("Log out") }}',
    '{{ _("Start %(date)s", date="<b>1. dec.</b>") }}',
    '{{ _("100%% sure") }}',
    '{{ ngettext("%(num)s seat left", "%(num)s seats left", 1) }}',
    '{{ ngettext("%(num)s seat left", "%(num)s seats left", n) }}',
    '{{ ngettext("%(num)s day without approved proposal", '
    '"%(num)s days without approved proposal", 3, num="<i>3</i>") }}',
    '{% autoescape false %}{{ _("Start %(date)s", date="<b>x</b>") }}{% endautoescape %}',
    '{{ _("Rejected by %(who)s on %(when)s", who="<Ann & Bo>", when="2. dec.") }}',
]


def _reference(app) -> Environment:  # type: ignore[no-untyped-def]
    """Jinja's own new-style callables over the same catalogues (what the app had before)."""
    from web.templating import request_translations

    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
    )
    return env


@pytest.mark.parametrize("locale", ["da", "en"])
def test_fast_gettext_renders_as_jinjas_own(app, locale):
    reference = _reference(app)
    with app.test_request_context(), force_locale(locale):
        for source in SOURCES:
            for _ in range(2):  # the second time from the memo
                for n in (0, 1, 2):
                    fast = app.jinja_env.from_string(source).render(n=n)
                    assert fast == reference.from_string(source).render(n=n), source
        # The memo is per catalogue: the other language is not served from this one.
        assert app.jinja_env.from_string('{{ _("Log out") }}').render() == (
            "Log ud" if locale == "da" else "Log out"
        )


def test_fast_gettext_returns_markup_that_escapes_its_variables(app):
    with app.test_request_context(), force_locale("en"):
        page = app.jinja_env.from_string('{{ _("Start %(date)s", date=d) }}').render(d="<x>")
        assert page == "Start &lt;x&gt;"
        assert isinstance(
            app.jinja_env.from_string('{% set t = _("Log out") %}{{ t }}').module.t,  # type: ignore[attr-defined]
            Markup,
        )


@pytest.mark.parametrize(
    ("endpoint", "name", "values"),
    [
        ("caseworker.profile", "profile_id", {}),
        (
            "caseworker.approve",
            "suggestion_id",
            {"sort": "waiting", "youth": "U-1 &x", "page": "3"},
        ),
        ("privacy.report", "ad_id", {"kind": "slot"}),
        ("caseworker.queue", "page", {"kind": "opening"}),  # the value in the query string
    ],
)
def test_url_with_gives_url_for(app, endpoint, name, values):
    with app.test_request_context("/caseworker/queue"):
        for value in (1, 42, 1_000_017, 0):
            assert url_with(endpoint, name, value, **values) == url_for(
                endpoint, **{name: value}, **values
            )


def test_url_with_falls_back_to_url_for(app):
    with app.test_request_context("/"):
        # The placeholder's digits already in another value: not split, built each time.
        youth = str(URL_PLACEHOLDER)
        for value in (7, 8):
            assert url_with("caseworker.approve", "suggestion_id", value, youth=youth) == url_for(
                "caseworker.approve", suggestion_id=value, youth=youth
            )
        # Not an integer (a string, a bool): url_for as it is.
        assert url_with("caseworker.queue", "youth", "U-7") == url_for(
            "caseworker.queue", youth="U-7"
        )
        assert url_with("caseworker.queue", "group", True) == url_for(
            "caseworker.queue", group=True
        )
        # An unhashable value: url_for.
        assert url_with("caseworker.queue", "page", 2, kind=["a"]) == url_for(
            "caseworker.queue", page=2, kind=["a"]
        )


@pytest.mark.parametrize(
    ("endpoint", "name", "back"),
    [
        ("caseworker.opening_ad", "opening_id", "/caseworker/queue#suggestion-"),
        ("caseworker.slot_ad", "slot_id", "/caseworker/queue?kind=opening&page=2#suggestion-"),
        ("caseworker.slot_ad", "slot_id", "/caseworker/queue?youth=Æ Ø&group=1#suggestion-"),
        ("caseworker.opening_ad", "opening_id", "/caseworker/profiles/17#suggestion-"),
    ],
)
def test_url_with_back_gives_url_for(app, endpoint, name, back):
    with app.test_request_context("/caseworker/queue"):
        for value, back_value in ((1, 2), (42, 1_000_017), (1_000_017, 42), (0, 0)):
            assert url_with_back(endpoint, name, value, back, back_value) == url_for(
                endpoint, **{name: value}, back=f"{back}{back_value}"
            )


def test_url_with_back_falls_back_to_url_for(app):
    with app.test_request_context("/"):
        # A placeholder's digits already in the back URL: not split, built each time.
        for back in (f"/q?youth={URL_PLACEHOLDER}#s-", f"/q?youth={BACK_PLACEHOLDER}#s-"):
            for value in (7, 8):
                assert url_with_back("caseworker.opening_ad", "opening_id", value, back, 3) == (
                    url_for("caseworker.opening_ad", opening_id=value, back=f"{back}3")
                )
        # Not integers: url_for as it is.
        assert url_with_back("caseworker.opening_ad", "opening_id", 5, "/q#s-", "x") == url_for(
            "caseworker.opening_ad", opening_id=5, back="/q#s-x"
        )


@pytest.mark.parametrize("locale", ["da", "en"])
def test_distances_as_flask_babel_formats_them(app, locale):
    from flask_babel import format_decimal

    from web.templating import number_pattern

    with app.test_request_context("/"), force_locale(locale):
        for value in (0, 0.05, 2.25, 2.35, 2.45, 3.2, 16.37, 999.95, 1234.56, 12):
            expected = format_decimal(value, format=number_pattern("#,##0.0"))
            assert format_km(value) == f"{expected}\N{NO-BREAK SPACE}km"
            assert format_km(value) == f"{expected}\N{NO-BREAK SPACE}km"  # the memo
    assert format_km(None) == "–"


@pytest.mark.parametrize("locale", ["da", "en"])
def test_translated_labels_render_as_the_lazy_ones(app, locale):
    from flask import render_template_string

    from web.caseworker.labels import SUGGESTION_STATUS

    with app.test_request_context("/caseworker/queue"), force_locale(locale):
        for status in SUGGESTION_STATUS:
            lazy = render_template_string("{{ labels[s] }}", labels=SUGGESTION_STATUS, s=status)
            once = render_template_string(
                "{{ (labels|translated)[s] }}", labels=SUGGESTION_STATUS, s=status
            )
            assert once == lazy
