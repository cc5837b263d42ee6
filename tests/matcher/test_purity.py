"""matcher/ stays pure: no web, database, models or jobs imports; no file or socket I/O."""

import ast
import subprocess
import sys
from pathlib import Path

MATCHER = Path(__file__).resolve().parents[2] / "matcher"
FORBIDDEN_MODULES = (
    "flask",
    "sqlalchemy",
    "models",
    "web",
    "jobs",
    "socket",
    "requests",
    "urllib.request",
    "http.client",
)
FORBIDDEN_CALLS = {"open", "urlopen", "create_connection"}
FORBIDDEN_ATTRS = {"read_text", "read_bytes", "write_text", "write_bytes", "socket"}


def test_importing_matcher_pulls_in_nothing_forbidden() -> None:
    code = (
        "import sys, matcher, matcher.synthetic, matcher.reference_scorer\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_MODULES[:5]!r}]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=MATCHER.parent
    )
    assert out.stdout.strip() == ""


def test_no_source_file_does_io() -> None:
    problems = []
    for path in sorted(MATCHER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                problems += [
                    f"{path.name}: imports {n}"
                    for n in names
                    if n.split(".")[0] in {m.split(".")[0] for m in FORBIDDEN_MODULES}
                    or n in FORBIDDEN_MODULES
                ]
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    problems.append(f"{path.name}:{node.lineno}: calls {func.id}()")
                if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_ATTRS | {"open"}:
                    problems.append(f"{path.name}:{node.lineno}: calls .{func.attr}()")
    assert problems == []
