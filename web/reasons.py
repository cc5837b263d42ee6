"""The engine's reasons in words: a suggestion stores each reason as a code and its
parameters (jobs/matching/store.py), and every page, the API and the data export show them
in the reader's language with the numbers as that language writes them (6,7 km)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher import explain
from web.templating import request_locale


def reason_text(reason: Mapping[str, Any], locale: str | None = None) -> str:
    """A stored engine reason in the user's language (or ``locale``), its numbers as that
    locale writes them: from its code and parameters (``{code, params}``); a reason stored
    before those were (``{code, da, en}``), or one whose code this engine no longer knows,
    as its stored text, else its code."""
    if locale is None:
        current = request_locale()
        locale = str(current) if current is not None else "da"
    code = str(reason.get("code", ""))
    params = reason.get("params")
    if isinstance(params, dict):
        try:
            return explain.reason_text(code, params, locale)
        except (KeyError, IndexError, ValueError, TypeError):
            pass  # a code or parameter of another engine version
    language = locale.split("_")[0]
    return str(reason.get(language) or reason.get("en") or code)
