"""Marking of user-facing messages raised by the domain layer.

The domain must not depend on Flask, so messages are marked with :func:`N_` for extraction
and translated where they are shown (the web calls ``gettext(message) % params``).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return message
