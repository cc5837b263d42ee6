"""The language picker: a multiple choice of languages by name in the user's language,
stored as ISO 639-1 codes (models/languages.py). Typed text is accepted too: "da, so",
"dansk, somali" and "Danish" all work, so a form posted without the picker still reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectMultipleField
from wtforms.fields.choices import Choice

from models.languages import NAME_LOCALES, language_code, language_name, language_names
from web.templating import request_language


def language_choices() -> list[tuple[str, str]]:
    language = request_language()
    names = language_names(language if language in NAME_LOCALES else "da")
    return sorted(names.items(), key=lambda item: item[1].casefold())


def language_list(codes: Iterable[str] | None) -> str:
    """Codes as names in the user's language: ``["ar", "da"]`` → "arabisk, dansk"."""
    return ", ".join(language_name(code, request_language()) for code in codes or [])


class LanguageField(SelectMultipleField):
    """Languages picked by name; values are codes. Unknown entries reach the model's check,
    which names them in its message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", language_choices)
        kwargs.setdefault("render_kw", {"size": 6, "class": "language-picker"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        values = [part.strip() for value in valuelist for part in value.split(",")]
        self.data = [language_code(v) or v for v in values if v]

    def iter_choices(self) -> list[Choice]:
        """The languages, and first anything typed that is not one (so nothing is lost)."""
        choices = super().iter_choices()
        known = {choice.value for choice in choices}
        typed = [Choice(v, v, True, {}) for v in self.data or () if v not in known]
        return typed + choices

    def pre_validate(self, form: Any) -> None:
        """The model checks the languages (and says which one it does not know)."""
