"""Marshmallow fields and validators whose messages speak the user's language.

Validation runs inside the request, so the messages are translated when they are made.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate

from models.spec import Bounds, TextLimit
from models.validation import LINE_BREAKS

# What str.strip() strips (every Unicode white space is in the Basic Multilingual Plane).
WHITESPACE = "".join(chr(code) for code in range(0x10000) if chr(code).isspace())
# Marks a free-text field that refuses personal identifiers (models/identifiers.py); the
# OpenAPI document carries it, and the schemathesis test keeps generated text free of them.
REFUSES_IDENTIFIERS = "x-refuses-identifiers"
IDENTIFIER_RULE = (
    "Anonymous: no CPR number, e-mail address, phone number, name, street address, date of "
    "birth, social-media handle or licence plate (docs/PRIVACY_GUARD.md)."
)


# Rules between fields that JSON Schema cannot state, as extensions of this document (the
# introduction of the OpenAPI document explains them; web/api/spec.py):
# - NOT_LESS_THAN names the field this one may not be less than (a number) or before (a date):
#   the value sent, else on PATCH the stored one, else on create the documented default.
NOT_LESS_THAN = "x-not-less-than"
# - REQUIRED_WHEN: the field must be sent, not blank, when the named fields have these values
#   (the document also states it as an anyOf).
REQUIRED_WHEN = "x-required-when"


def not_less_than(other: str) -> dict[str, Any]:
    """The metadata of a field whose value may not be less than ``other``'s."""
    return {NOT_LESS_THAN: other, "description": f"Not less than (not before) `{other}`."}


def _chars(chars: str) -> str:
    """Characters for a pattern's class, as \\uXXXX escapes (ECMA 262, Python and Rust alike)."""
    return "".join(f"\\u{ord(char):04x}" for char in chars)


def text_pattern(*, single_line: bool, non_blank: bool) -> str:
    """What Text accepts, as a pattern: no NUL (lone surrogates, which no JSON pattern can
    name portably, are refused too: the document's introduction says so), no line break in
    a single line, and at least one character that is not white space where one is needed."""
    refused = _chars("\x00" + (LINE_BREAKS if single_line else ""))
    if not non_blank:
        return f"^[^{refused}]*$"
    return f"^[^{refused}]*[^{refused}{_chars(WHITESPACE)}][^{refused}]*$"


class Text(fields.String):
    """A string that the database can store: no NUL, no lone surrogates, bounded length."""

    def __init__(
        self,
        *,
        max_length: int,
        min_length: int = 0,
        single_line: bool = False,
        anonymous: bool = False,
        **kwargs: Any,
    ) -> None:
        if min_length > 1:  # the pattern says "not blank", which is a minimum of one
            raise ValueError("Text states a stripped minimum length of 0 or 1 only")
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {
            "maxLength": max_length,
            "minLength": min_length,
            "pattern": text_pattern(single_line=single_line, non_blank=min_length > 0),
            **({REFUSES_IDENTIFIERS: True, "description": IDENTIFIER_RULE} if anonymous else {}),
            **kwargs["metadata"],
        }
        super().__init__(**kwargs)
        self.max_length = max_length
        self.min_length = min_length
        self.single_line = single_line

    @classmethod
    def within(cls, limit: TextLimit, **kwargs: Any) -> Text:
        """The length of a limit in :mod:`models.spec`."""
        return cls(max_length=limit.max_length, min_length=limit.min_length, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(_("Give text."))
        if "\x00" in value:
            raise ValidationError(_("The text contains a character that is not allowed."))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError(_("The text contains a character that is not allowed.")) from exc
        if len(value) > self.max_length:
            raise ValidationError(_("At most %(n)s characters.", n=self.max_length))
        if len(value.strip()) < self.min_length:
            raise ValidationError(_("Fill in this field."))
        if self.single_line and any(char in LINE_BREAKS for char in value):
            raise ValidationError(_("Write it on one line: line breaks are not allowed."))
        return value


class Integer(fields.Integer):
    """A whole number in a range (JSON numbers like 2.5 or "3" are refused)."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(strict=True, validate=_Range(minimum, maximum), **kwargs)
        self.minimum = minimum
        self.maximum = maximum

    @classmethod
    def within(cls, bounds: Bounds, **kwargs: Any) -> Integer:
        """The range of a limit in :mod:`models.spec`."""
        return cls(minimum=bounds.minimum, maximum=bounds.maximum, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("Give a whole number."))
        return int(value)


class QueryInteger(fields.Integer):
    """A whole number in a query string."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(validate=_Range(minimum, maximum), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        text = str(value).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
            raise ValidationError(_("Give a whole number."))
        return int(text)


class Boolean(fields.Boolean):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(_("Give true or false."))
        return value


# The years a Date accepts: year 1 or 9999 is a typing error.
DATE_YEARS = (1900, 2099)


class Date(fields.Date):
    """A calendar date in this or the last century (``DATE_YEARS``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {
            "pattern": "^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$",
            **kwargs["metadata"],
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or len(value) != 10:
            raise ValidationError(_("Give a date as YYYY-MM-DD."))
        try:
            day = super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from exc
        first, last = DATE_YEARS
        if not first <= day.year <= last:
            raise ValidationError(
                _("Give a date between %(first)s and %(last)s.", first=first, last=last)
            )
        return day


class Choice(fields.String):
    """One value of a closed list (an enum's values)."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        self.choices = [str(c) for c in choices]
        super().__init__(validate=validate.OneOf(self.choices), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise ValidationError(_("Choose one of: %(choices)s.", choices=", ".join(self.choices)))
        return value


class TextList(fields.List):
    """A list of Text; ``anonymous`` texts refuse identifiers, ``item`` is more metadata of
    each text for the document (e.g. an enum the operation checks)."""

    def __init__(
        self,
        *,
        max_items: int,
        max_length: int,
        anonymous: bool = False,
        item: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        inner = Text(max_length=max_length, anonymous=anonymous, metadata=item or {})
        super().__init__(inner, validate=validate.Length(max=max_items), **kwargs)
        self.max_items = max_items

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValidationError(_("Give a list of texts."))
        if len(value) > self.max_items:
            raise ValidationError(_("At most %(n)s items.", n=self.max_items))
        result = []
        for item in value:
            result.append(self.inner.deserialize(item))
        return result


class _Range(validate.Range):
    def __init__(self, minimum: int, maximum: int) -> None:
        super().__init__(min=minimum, max=maximum)

    def __call__(self, value: Any) -> Any:
        if not self.min <= value <= self.max:  # type: ignore[operator]
            raise ValidationError(
                _("Give a number from %(min)s to %(max)s.", min=self.min, max=self.max)
            )
        return value


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """Marshmallow's nested messages as {"field": "first message"} (lists: "field.0")."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "body"
            flat.update(flatten_errors(value, name))
    elif isinstance(messages, list):
        if messages and all(isinstance(m, str) for m in messages):
            flat[prefix or "body"] = messages[0]
        else:
            for item in messages:
                flat.update(flatten_errors(item, prefix))
    else:
        flat[prefix or "body"] = str(messages)
    return flat
