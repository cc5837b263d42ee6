"""Translation catalogues: compile them, and find messages that lack a Danish translation.

Each area keeps its own catalogue (``web/translations`` for the shared pages and the domain's
messages, ``web/<area>/translations``, ``jobs/translations`` for mails) so that areas can be
translated independently; Flask-Babel merges them. ``python -m web.catalogs compile`` is run
by the build (Makefile, Dockerfile); ``check`` lists what is untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("**.py", "python"),
]
SOURCE_DIRS = ("web", "models", "jobs")


def catalogue_files() -> list[Path]:
    return sorted(ROOT.glob("*/translations/*/LC_MESSAGES/*.po")) + sorted(
        ROOT.glob("*/*/translations/*/LC_MESSAGES/*.po")
    )


def compile_all() -> int:
    count = 0
    for po_path in catalogue_files():
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        count += 1
    return count


def translated_ids(locale: str = "da") -> set[str]:
    ids: set[str] = set()
    for po_path in catalogue_files():
        if po_path.parent.parent.name != locale:
            continue
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    ids.add(message.id if isinstance(message.id, str) else message.id[0])
    return ids


def used_ids() -> dict[str, str]:
    """Every message id the code and templates use, with one place it is used."""
    found: dict[str, str] = {}
    for directory in SOURCE_DIRS:
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / directory,
            METHOD_MAP,
            keywords=KEYWORDS,
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.do"}},
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault(msgid, f"{directory}/{filename}:{lineno}")
    return found


def missing(locale: str = "da") -> dict[str, str]:
    have = translated_ids(locale)
    return {msgid: where for msgid, where in used_ids().items() if msgid not in have}


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        print(f"compiled {compile_all()} catalogues")
    elif sys.argv[1:] == ["check"]:
        gaps = missing()
        for msgid, where in sorted(gaps.items(), key=lambda kv: kv[1]):
            print(f"{where}: {msgid!r}")
        sys.exit(1 if gaps else 0)
    else:
        sys.exit("usage: python -m web.catalogs compile|check")
