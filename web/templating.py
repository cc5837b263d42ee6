"""Template globals and filters."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, g, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from models.enums import Role

HOME_ENDPOINTS = {
    Role.ADMIN: "admin.index",
    Role.CASEWORKER: "caseworker.index",
    Role.COMPANY: "company.index",
    Role.MENTOR: "mentor.index",
    Role.SECRETARIAT: "secretariat.index",
}


def home_url() -> str:
    if current_user and current_user.is_authenticated:
        return url_for(HOME_ENDPOINTS[current_user.role])
    return url_for("public.index")


# Stands for the varying argument while url_with builds a URL once; no row has this id.
URL_PLACEHOLDER = 9_182_736_450


def url_with(endpoint: str, name: str, value: Any, **values: Any) -> str:
    """``url_for(endpoint, **{name: value}, **values)``, for a page that links each of its
    rows: the URL is built once per request with a placeholder for ``value`` (an integer:
    its URL text is its digits, in a path or a query) and each row's value is put in its
    place. Anything else, or a URL where the placeholder is not found exactly once, goes
    through url_for."""
    parts = _url_parts(
        (endpoint, name, *sorted(values.items())),
        lambda: _url_for(endpoint, name, URL_PLACEHOLDER, values),
        (URL_PLACEHOLDER,),
    )
    if not _fits(parts, value):
        return _url_for(endpoint, name, value, values)
    return f"{parts[0]}{value}{parts[1]}"


# The second varying value of url_with_back.
BACK_PLACEHOLDER = 8_273_645_190


def url_with_back(endpoint: str, name: str, value: Any, back: str, back_value: Any) -> str:
    """``url_for(endpoint, **{name: value}, back=f"{back}{back_value}")``: a row's link to a
    page that comes back to the row (``back``: the list's URL and the row's anchor up to its
    id). As url_with, the URL is built once per request and list, with placeholders for the
    two integers (their digits stay as they are, in the path and in the encoded ``back``),
    and anything else goes through url_for."""
    parts = _url_parts(
        (endpoint, name, "back", back),
        lambda: _url_for(endpoint, name, URL_PLACEHOLDER, {"back": f"{back}{BACK_PLACEHOLDER}"}),
        (URL_PLACEHOLDER, BACK_PLACEHOLDER),
    )
    if not _fits(parts, value, back_value):
        return _url_for(endpoint, name, value, {"back": f"{back}{back_value}"})
    return f"{parts[0]}{value}{parts[1]}{back_value}{parts[2]}"


def _url_parts(
    key: Any, build: Callable[[], str], placeholders: tuple[int, ...]
) -> tuple[str, ...]:
    """The text of ``build()``'s URL around its ``placeholders`` (in that order, each found
    exactly once), built once per request and ``key``; ``()`` when the URL does not hold
    them so, or the key is unhashable."""
    try:
        patterns = g.setdefault("_url_patterns", {})
        parts: tuple[str, ...] | None = patterns.get(key)
    except TypeError:  # an unhashable value
        return ()
    if parts is None:
        pieces: list[str] = []
        rest = build()
        for placeholder in placeholders:
            split = rest.split(str(placeholder))
            if len(split) != 2:
                pieces = []
                break
            pieces.append(split[0])
            rest = split[1]
        parts = patterns[key] = (*pieces, rest) if pieces else ()
    return parts


def _fits(parts: tuple[str, ...], *values: Any) -> bool:
    """Whether ``values`` can be put into ``parts`` as their digits: a pattern was found and
    each is a non-negative int (not a bool, not a string)."""
    return bool(parts) and all(type(v) is int and v >= 0 for v in values)


def _url_for(endpoint: str, name: str, value: Any, values: dict[str, Any]) -> str:
    arguments: dict[str, Any] = {name: value, **values}
    return url_for(endpoint, **arguments)


def request_translations() -> Any:
    """The translations of the current locale, looked up once per request and locale.

    Flask-Babel's ``get_translations`` resolves the locale and the domain through several
    context proxies on every call; a page with a table asks a few hundred times (about a
    fifth of the rendering time of the review queue). The memo sits in Flask-Babel's own
    per-request namespace and is keyed on its locale object, so ``force_locale`` (a new
    object) and ``refresh`` (none) still take effect at once.
    """
    try:
        space = getattr(g._get_current_object(), "_flask_babel", None)
    except RuntimeError:  # outside an application context
        return get_translations()
    locale = getattr(space, "babel_locale", None)
    memo = getattr(space, "memo_translations", None)
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    space = g.get("_flask_babel")
    if space is not None:
        space.memo_translations = (getattr(space, "babel_locale", None), translations)
    return translations


def request_locale() -> Any:
    """Flask-Babel's ``get_locale()``, read straight from its per-request namespace once it
    is set there (its own lookup goes through three context proxies on each call: a page of
    cards asks for each distance and each reason)."""
    try:
        space = getattr(g._get_current_object(), "_flask_babel", None)
    except RuntimeError:  # outside an application context
        return get_locale()
    locale = getattr(space, "babel_locale", None)
    return locale if locale is not None else get_locale()


def request_language() -> str:
    """The language of the user's locale (``"da"``, ``"en"``) for texts kept per language
    (occupation labels, language names, stored reasons); Danish outside a request."""
    locale = request_locale()
    return str(locale.language) if locale is not None else "da"


def _markup_memo(translations: Any) -> tuple[dict[str, Markup], dict[str, Markup]]:
    """Per catalogue (one per locale and domain, kept for the life of the process): each
    msgid's translation as Markup (for a call with variables), and the finished text of a
    call without any (``Markup(text) % {}``), so a page's hundreds of fixed labels cost a
    dictionary look-up each."""
    memo: tuple[dict[str, Markup], dict[str, Markup]] | None = getattr(
        translations, "_jinja_markup_memo", None
    )
    if memo is None:
        memo = ({}, {})
        translations._jinja_markup_memo = memo
    return memo


def _trusted(text: str) -> Markup:
    """A translation as Markup: the catalogues are the project's own, and Jinja's new-style
    gettext marks them so too (the variables formatted into them are escaped)."""
    return Markup(text)  # noqa: S704


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> Any:
    """Jinja's new-style ``_()``/``gettext()`` (jinja2.ext._make_new_gettext) without its
    three layers of context calls: the translation is Markup when autoescaping and always
    formatted with the variables (which Markup's ``%`` escapes), as there."""
    translations = request_translations()
    if not eval_ctx.autoescape:
        return translations.ugettext(string) % variables
    (markup, finished) = _markup_memo(translations)
    if not variables:
        done = finished.get(string)
        if done is None:
            done = finished[string] = _trusted(translations.ugettext(string)) % variables
        return done
    text = markup.get(string)
    if text is None:
        text = markup[string] = _trusted(translations.ugettext(string))
    return text % variables


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> Any:
    """Jinja's new-style ``ngettext()`` (jinja2.ext._make_new_ngettext), without the layers."""
    variables.setdefault("num", num)
    text = request_translations().ungettext(singular, plural, num)
    return (_trusted(text) if eval_ctx.autoescape else text) % variables


def register(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # replaces Flask-Babel's, same semantics
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    # The two every page calls hundreds of times, straight (``_`` is otherwise an alias that
    # looks ``gettext`` up again on each call).
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    app.jinja_env.globals.update(
        home_url=home_url,
        get_locale=get_locale,
        Role=Role,
        url_with=url_with,
        url_with_back=url_with_back,
    )
    app.jinja_env.filters["date"] = lambda d: format_date(d) if d else ""
    app.jinja_env.filters["datetime"] = lambda d: format_datetime(d, "short") if d else ""
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["km"] = format_km
    app.jinja_env.filters["translated"] = translated

    from web.vocabulary import template_globals

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.globals.update(counted_max=counted_max, field_attributes=field_attributes)

    app.jinja_env.globals.update(
        user_partnerships=user_partnerships,
        latest_notes=notes_for_start,
        # Partnership users' start pages show the secretariat's inspiration notes.
        START_PAGES=frozenset(
            e for role, e in HOME_ENDPOINTS.items() if role is not Role.SECRETARIAT
        ),
    )


COUNTER_FROM = 200  # text fields allowing this many characters or more get a counter


COUNTED_TYPES = ("StringField", "TextAreaField")  # not e-mail, password or search fields


def counted_max(field: Any) -> int | None:
    """The most characters a text field takes (its Length validator, whatever sets it), if
    it is long enough for a counter."""
    maximum = getattr(field.flags, "maxlength", None)
    if field.type not in COUNTED_TYPES or not maximum or maximum < COUNTER_FROM:
        return None
    return int(maximum)


def field_attributes(field: Any, hint: str | None, maximum: int | None) -> dict[str, Any]:
    """The input's attributes: what describes it, its error state, and no silent cutting."""
    described = [f"{field.id}-hint"] if hint else []
    attributes: dict[str, Any] = {}
    if maximum:
        described += [f"{field.id}-count", f"{field.id}-toolong"]
        # The browser would cut pasted text at maxlength without a word; forms.js counts.
        attributes.update({"maxlength": False, "data-maxlength": maximum})
    if field.errors:
        described.append(f"{field.id}-error")
        attributes["aria-invalid"] = "true"
    if described:
        attributes["aria-describedby"] = " ".join(described)
    return attributes


@functools.cache
def number_pattern(pattern: str) -> NumberPattern:
    """A parsed number pattern (Babel parses the text again on every call otherwise)."""
    return parse_pattern(pattern)


def format_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the user's locale (1.234,5 in Danish); at most ``digits`` decimals."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=number_pattern(pattern)))


def format_km(value: float | int | None) -> str:
    """A distance with one decimal in the user's locale: 2,5 km."""
    if value is None:
        return "–"
    locale = request_locale()
    if locale is None:  # outside a request: Babel's default locale, as format_decimal
        return f"{format_decimal(value, format=number_pattern('#,##0.0'))}\N{NO-BREAK SPACE}km"
    return _km_text(value, locale)


@functools.lru_cache(maxsize=16384)
def _km_text(value: float | int, locale: Any) -> str:
    """What format_decimal makes of a distance in ``locale`` (Babel's number formatting
    costs about 13 µs a call; a country's distances, stored to 0.01 km, repeat)."""
    text = number_pattern("#,##0.0").apply(value, locale)
    return f"{text}\N{NO-BREAK SPACE}km"


def translated(labels: Mapping[Any, Any]) -> dict[Any, Markup]:
    """A vocabulary's labels (lazy strings) in the request's language, each as the page shows
    it (a lazy string renders unescaped, as the translation's Markup): for a page that shows
    them many times, looked up once."""
    return {key: _trusted(str(label)) for key, label in labels.items()}


def user_partnerships() -> list[Any]:
    """The partnerships of the logged-in user, shown in every page's header (once per request)."""
    if not (current_user and current_user.is_authenticated):
        return []
    if "user_partnerships" not in g:
        from models.operations.partnerships import partnerships_query
        from models.organisation import Partnership
        from web.db import get_db

        query = partnerships_query(current_user)
        if current_user.role in (Role.ADMIN, Role.SECRETARIAT):
            g.user_partnerships = []  # national roles: every partnership, named on its pages
        else:
            # Their id and name are all the header shows: rows, not entities.
            g.user_partnerships = list(
                get_db().execute(query.with_only_columns(Partnership.id, Partnership.name))
            )
    return list(g.user_partnerships)


def notes_for_start() -> list[Any]:
    """The secretariat's latest inspiration notes, for the start pages."""
    from models.operations.partnerships import latest_notes
    from web.db import get_db

    return latest_notes(get_db())
