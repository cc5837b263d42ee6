"""Locale selection and translation of domain messages."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import gettext
from flask_login import current_user

from models.errors import DomainError


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if (
        request.path.startswith("/api/")
        and request.endpoint != "api.docs"  # a page: the language button applies
        and "Accept-Language" in request.headers
    ):
        # API clients say what they want per request; otherwise the token user's locale.
        best = request.accept_languages.best_match(languages)
        if best:
            return str(best)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def translate_error(error: DomainError) -> str:
    """A domain error's message in the user's language (the msgid is marked with N_)."""
    return gettext(error.message, **error.params)


class FormTranslations:
    """WTForms' built-in messages ("This field is required.") from the app's catalogues.

    WTForms ships no Danish catalogue, so Flask-WTF's own lookup (``WTF_I18N_ENABLED``) would
    answer in English. Flask-WTF takes the translations object it finds on
    ``request.wtforms_translations``; this one asks the current locale's catalogue on each
    call, so a language switched during the request (login, the language button) is followed.
    The Danish texts are in ``web/vocabulary/translations``.
    """

    def ugettext(self, string: str) -> str:
        from web.templating import request_translations

        return str(request_translations().ugettext(string))

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        from web.templating import request_translations

        return str(request_translations().ungettext(singular, plural, n))

    gettext = ugettext
    ngettext = ungettext


FORM_TRANSLATIONS = FormTranslations()


def init_form_translations(app: Flask) -> None:
    @app.before_request
    def _form_translations() -> None:
        request.wtforms_translations = FORM_TRANSLATIONS  # type: ignore[attr-defined]


def localize_login_message(message: str) -> Any:
    """Flask-Login's "Please log in" message, flashed in the user's language."""
    return gettext(message)
