"""Languages by name: ISO 639-1 codes are stored, Danish and English names are shown and
accepted ("dansk", "Danish" and "da" are the same language). Names come from Babel's locale
data (CLDR), so no list is kept here."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale

from models.errors import ValidationError
from models.i18n import N_

NAME_LOCALES = ("da", "en")


@cache
def language_names(locale: str = "da") -> dict[str, str]:
    """ISO 639-1 code → the language's name in ``locale`` (``"da"`` → ``"dansk"``)."""
    names = Locale.parse(locale).languages
    english = Locale.parse("en").languages
    return {
        code: names.get(code, english[code])
        for code in english
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code.islower()
    }


@cache
def _codes_by_name() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for locale in NAME_LOCALES:
        for code, name in language_names(locale).items():
            lookup.setdefault(name.casefold(), code)
    for code in language_names("en"):
        lookup[code] = code
    return lookup


def language_code(value: str) -> str | None:
    """The ISO 639-1 code for a code or a Danish or English name, or ``None``."""
    return _codes_by_name().get(value.strip().casefold())


def language_name(code: str, locale: str = "da") -> str:
    return language_names(locale if locale in NAME_LOCALES else "da").get(code, code)


def check_languages(values: Iterable[str], field: str = "languages") -> list[str]:
    """Codes or names → sorted ISO 639-1 codes; an unknown language is refused by name."""
    codes = set()
    for value in values:
        if not value or not value.strip():
            continue
        code = language_code(value)
        if code is None:
            raise ValidationError(
                field,
                N_(
                    'Unknown language "%(found)s": choose it from the list, e.g. dansk, engelsk, '
                    "arabisk."
                ),
                found=value.strip(),
            )
        codes.add(code)
    return sorted(codes)
