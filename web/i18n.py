"""Locale selection and translation of domain messages."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext
from flask_login import current_user

from models.errors import DomainError


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/") and "Accept-Language" in request.headers:
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
