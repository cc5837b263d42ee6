"""``safe_next``: the one check for every redirect target that comes from the request.

A target is kept only when it is a path on this site: it starts with one ``/`` followed by
neither ``/`` nor ``\\``, holds no backslash, no control or invisible format character and
no non-ASCII character in its path (look-alikes of ``/`` and ``.`` such as U+FF0F or U+3002),
and every percent-decoded form of it (up to a few rounds, for double encoding) passes the
same checks. Whatever else comes back as ``None``; the caller falls back to a page of its
own. The returned path is ASCII (the query string percent-encoded as UTF-8), so it can
never break the ``Location`` header.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote

MAX_LENGTH = 2048
_DECODE_ROUNDS = 4
# Characters a path and query may keep as they are; everything else is percent-encoded.
_SAFE = "/?&=%#:@!$'()*+,;~-._[]"


def _is_local_path(text: str) -> bool:
    if not text.startswith("/") or text[1:2] in ("/", "\\") or "\\" in text:
        return False
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text):
        return False
    path = text.split("?", 1)[0].split("#", 1)[0]
    if not path.isascii():
        return False
    normal = unicodedata.normalize("NFKC", text)
    return normal == text or _is_local_path(normal)


def safe_next(target: str | None) -> str | None:
    """``target`` as a local path, or ``None`` when it is missing or could leave the site."""
    if not target or len(target) > MAX_LENGTH:
        return None
    form = target
    for _round in range(_DECODE_ROUNDS):
        if not _is_local_path(form):
            return None
        decoded = unquote(form)
        if decoded == form:
            return quote(target, safe=_SAFE)
        form = decoded
    return None  # still encoded after several rounds: no page of ours looks like that
