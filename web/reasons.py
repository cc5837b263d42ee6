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
    locale writes them: from its code and the parameters beside it (``{"code": "distance",
    "km": 6.7, "max_km": 15.0}``); a reason stored with its texts (``{code, da, en}``,
    before 2026-12), or one whose code or parameters this engine does not know, as its
    stored text, else its code."""
    if locale is None:
        current = request_locale()
        locale = str(current) if current is not None else "da"
    code = str(reason.get("code", ""))
    if "da" not in reason and "en" not in reason:
        params = {name: value for name, value in reason.items() if name != "code"}
        try:
            return explain.reason_text(code, params, locale)
        except (KeyError, IndexError, ValueError, TypeError):
            pass  # a code or parameter of another engine version
    language = locale.split("_")[0]
    return str(reason.get(language) or reason.get("en") or code)
