"""WTForms validators from the field limits in :mod:`models.spec` (one source per limit)."""

from __future__ import annotations

from wtforms.validators import Length, NumberRange

from models.spec import Bounds, TextLimit


def max_length(limit: TextLimit) -> Length:
    return Length(max=limit.max_length)


def number_range(bounds: Bounds) -> NumberRange:
    return NumberRange(bounds.minimum, bounds.maximum)
