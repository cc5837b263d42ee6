"""Translations are complete, and the packages depend on each other one way only."""

import ast
from pathlib import Path

import pytest

from web.catalogs import missing

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_danish_translation():
    gaps = missing("da")
    assert not gaps, "untranslated:\n" + "\n".join(f"{w}: {m!r}" for m, w in gaps.items())


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


@pytest.mark.parametrize(
    "package,forbidden",
    [
        ("models", {"web", "jobs", "flask", "flask_login", "flask_babel", "flask_wtf"}),
        ("jobs", {"web", "flask"}),
        ("matcher", {"web", "jobs", "models", "flask", "sqlalchemy"}),
    ],
)
def test_dependencies_point_one_way(package, forbidden):
    bad = sorted((where, name) for where, name in _imports(package) if name in forbidden)
    assert not bad, f"{package} must not import {forbidden}: {bad}"
