"""The field limits: one source for the operations, the WTForms forms and the API's schemas.

A limit is written here once. The operations enforce it (:func:`check_length`,
:func:`check_range`; the last word, whatever the caller), the web forms and the marshmallow
schemas read it for early, field-level messages and the OpenAPI document, and
``tests/test_spec.py`` compares all three. See docs/ARCHITECTURE.md, "Where each rule lives".
"""

from __future__ import annotations

from dataclasses import dataclass

from models.errors import ValidationError
from models.i18n import N_


@dataclass(frozen=True)
class Bounds:
    """A whole number from ``minimum`` to ``maximum``, both included."""

    minimum: int
    maximum: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class TextLimit:
    """A text of at most ``max_length`` characters (and at least ``min_length``, stripped)."""

    max_length: int
    min_length: int = 0


# --- openings and mentor slots -----------------------------------------------------------
TITLE = TextLimit(200, 1)  # opening and mentor slot titles (the column is VARCHAR(200))
DESCRIPTION = TextLimit(10_000)  # opening and mentor slot descriptions
HOURS = Bounds(1, 37)  # hours per week: openings and profiles, minimum and maximum
SEATS = Bounds(1, 500)  # an opening's seats
OPENING_MIN_AGE = Bounds(13, 30)  # the minimum age an opening may ask
SLOT_CAPACITY = Bounds(1, 50)  # young people one mentor slot takes
SLOT_DISTANCE_KM = Bounds(1, 200)  # how far a mentor travels
# --- profiles -----------------------------------------------------------------------------
COMMUTE_KM = Bounds(1, 200)  # a young person's longest commute (youth_profile's CHECK)
SUPPORT_NOTES = TextLimit(5_000)


def check_range(field: str, value: int, bounds: Bounds, message: str) -> int:
    """``message`` (an ``N_`` text) may use ``%(min)s`` and ``%(max)s``."""
    if value not in bounds:
        raise ValidationError(field, message, min=bounds.minimum, max=bounds.maximum)
    return value


def check_length(field: str, text: str, limit: TextLimit) -> str:
    """``text`` stripped; refused when longer than the limit or shorter than its minimum."""
    text = (text or "").strip()
    if len(text) > limit.max_length:
        raise ValidationError(field, N_("At most %(n)s characters."), n=limit.max_length)
    if len(text) < limit.min_length:
        raise ValidationError(field, N_("Fill in this field."))
    return text
