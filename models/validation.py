"""Input rules shared by forms, the API, the CLI and the jobs.

Free text about young people must not carry identifiers (docs/ARCHITECTURE.md, "Privacy"):
CPR numbers, e-mail addresses, phone numbers, names, addresses, dates of birth, social-media
handles and licence plates are refused with a clear message (:mod:`models.identifiers`,
docs/PRIVACY_GUARD.md).
"""

from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email

from models.errors import ValidationError
from models.i18n import N_
from models.identifiers import REPEATS_FOUND, find_identifiers
from models.spec import HOURS

MIN_AGE, MAX_AGE = 15, 29
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def check_free_text(field: str, text: str | None) -> str:
    """Refuse personal identifiers in free text about a young person (or sent to a partner).

    What is looked for, and what is deliberately let through, is :mod:`models.identifiers`;
    the message names the kind found and, except for CPR, e-mail and phone, the text.
    """
    if not text:
        return ""
    found = find_identifiers(text)
    if found:
        first = found[0]
        if first.kind in REPEATS_FOUND:
            raise ValidationError(field, first.message, found=first.found)
        raise ValidationError(field, first.message)
    return text.strip()


# Every character ``str.splitlines`` breaks at: none of them may reach a mail header.
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def check_single_line(field: str, text: str | None) -> str:
    """A title or name is one line: it may become a mail subject (a header)."""
    if text and any(char in LINE_BREAKS for char in text):
        raise ValidationError(field, N_("Write it on one line: line breaks are not allowed."))
    return (text or "").strip()


def check_title(text: str | None) -> str:
    """An ad's title: one line, not empty (its length is the caller's)."""
    title = check_single_line("title", text)
    if not title:
        raise ValidationError("title", N_("Enter a title."))
    return title


def check_free_texts(field: str, items: list[str] | tuple[str, ...]) -> list[str]:
    return [check_free_text(field, item) for item in items if item and item.strip()]


def check_cvr(value: str | None, field: str = "cvr") -> str:
    """A CVR number: 8 digits, first not 0, passing the modulus-11 check."""
    cvr = (value or "").replace(" ", "")
    if not re.fullmatch(r"[1-9]\d{7}", cvr):
        raise ValidationError(field, N_("A CVR number has 8 digits."))
    if sum(int(d) * w for d, w in zip(cvr, CVR_WEIGHTS, strict=True)) % 11:
        raise ValidationError(field, N_("This is not a valid CVR number; check the digits."))
    return cvr


def check_email(value: str | None, field: str = "email") -> str:
    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationError(field, N_("Enter a valid e-mail address.")) from exc


def check_birth_year(birth_year: int, today: date, field: str = "birth_year") -> int:
    age = today.year - birth_year
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(
            field,
            N_("The young person must be %(min)s–%(max)s years old this year."),
            min=MIN_AGE,
            max=MAX_AGE,
        )
    return birth_year


def check_hours(hours_min: int, hours_max: int, field: str = "hours_min") -> None:
    if hours_min not in HOURS or hours_max not in HOURS:
        raise ValidationError(
            field,
            N_("Hours per week must be between %(min)s and %(max)s."),
            min=HOURS.minimum,
            max=HOURS.maximum,
        )
    if hours_min > hours_max:
        raise ValidationError(field, N_("The minimum hours cannot exceed the maximum."))
