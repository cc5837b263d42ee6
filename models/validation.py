"""Input rules shared by forms, the API, the CLI and the jobs.

Free text about young people must not carry obvious identifiers (docs/ARCHITECTURE.md,
"Privacy"): CPR numbers, e-mail addresses and phone numbers are refused with a clear message.
"""

from __future__ import annotations

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email

from models.errors import ValidationError
from models.i18n import N_
from models.spec import HOURS

# DDMMYY-SSSS with optional dash/space; day 01–31, month 01–12.
_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Danish numbers: 8 digits, optionally +45/0045 and grouped in 2s or 4s.
_PHONE = re.compile(r"(?<![\d])(?:(?:\+|00)45[\s-]?)?(?:\d{2}[\s-]?){3}\d{2}(?![\d])")

MIN_AGE, MAX_AGE = 15, 29
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def check_free_text(field: str, text: str | None) -> str:
    """Refuse obvious personal identifiers in free text about a young person."""
    if not text:
        return ""
    if _CPR.search(text):
        raise ValidationError(field, N_("Remove the CPR number: profiles are anonymous."))
    if _EMAIL.search(text):
        raise ValidationError(field, N_("Remove the e-mail address: profiles are anonymous."))
    if _PHONE.search(text):
        raise ValidationError(field, N_("Remove the phone number: profiles are anonymous."))
    return text.strip()


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
