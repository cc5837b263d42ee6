"""URL converters: an ``int`` that only matches IDs the database can hold.

IDs are PostgreSQL ``integer`` columns (1 .. 2**31 - 1). Werkzeug's own ``int`` converter
matches any length of digits, so ``/company/openings/9223372036854775808/edit`` reached the
view and the query overflowed (a 500). This converter replaces ``int`` app-wide: a value out
of range does not match the rule, and the answer is 404 before any login or database work.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


def digits_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 1 .. ``limit`` without leading zeros.

    The range sits in the pattern, not only in ``to_python``: Werkzeug's matcher answers 405
    instead of 404 when a value fails conversion on one rule of a path that another rule
    (another method) would have matched.
    """
    digits = str(limit)
    parts = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        rest = len(digits) - i - 1
        if int(digit) > low:
            parts.append(
                digits[:i] + f"[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else "")
            )
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """``<int:name>``: a positive ID of at most ``MAX_ID`` (no leading zeros, no sign)."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register(url_map: Map) -> None:
    """Before any blueprint adds a rule: rules bind their converter when they are added."""
    url_map.converters["int"] = IdConverter
