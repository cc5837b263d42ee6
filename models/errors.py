"""Errors raised by domain operations; messages are marked for translation."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the change. ``message`` is an untranslated msgid."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class ValidationError(DomainError):
    """Bad input for one field; ``field`` names it so forms can show it beside the field."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class NotFound(DomainError):
    """The object does not exist for this user (a foreign tenant's ID looks the same)."""


class Conflict(DomainError):
    """The change clashes with the current state (e.g. a mentor slot is full)."""
