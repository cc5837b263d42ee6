"""mypy with a recorded baseline that may only shrink (``make lint`` runs it).

``python -m tests.typing_baseline`` runs mypy (``mypy.ini``: strict on ``matcher/``) and
compares its errors with ``mypy-baseline.txt``, line numbers left out so that edits elsewhere
in a file do not matter. It fails on an error that is not in the baseline (fix it) and on a
baseline entry that no longer occurs (remove it: ``--update`` rewrites the file, and refuses
while there are new errors). ``matcher/`` has no baseline: any error there fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
HEADER = "# mypy errors tolerated outside matcher/ (tests/typing_baseline.py); only shrinks\n"
_LINE = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: (?P<rest>error: .*)$")


def normalise(output: str) -> Counter[str]:
    """mypy's error lines without their line numbers, counted."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        match = _LINE.match(line.strip())
        if match:
            found[f"{match['path']}: {match['rest']}"] += 1
    return found


def compare(found: Counter[str], baseline: Counter[str]) -> tuple[list[str], list[str]]:
    """(errors beyond the baseline, baseline entries that no longer occur)."""
    new = sorted((found - baseline).elements())
    new += sorted(e for e in found if e.startswith("matcher/") and e not in new)
    fixed = sorted((baseline - found).elements())
    return new, fixed


def read_baseline(path: Path = BASELINE) -> Counter[str]:
    if not path.exists():
        return Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def run_mypy() -> str:
    command = [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"mypy failed to run:\n{result.stdout}{result.stderr}")
    return result.stdout


def main(argv: list[str]) -> int:
    found = normalise(run_mypy())
    new, fixed = compare(found, read_baseline())
    if new:
        print("mypy: errors not in mypy-baseline.txt (fix them; the baseline may only shrink):")
        print("\n".join(f"  {e}" for e in new))
        return 1
    if fixed and "--update" in argv:
        header = (
            "# mypy errors tolerated outside matcher/ (tests/typing_baseline.py); only shrinks\n"
        )
        BASELINE.write_text(header + "".join(f"{e}\n" for e in sorted(found.elements())))
        print(f"mypy-baseline.txt: {len(fixed)} fixed entries removed")
        return 0
    if fixed:
        print("mypy: fixed but still in mypy-baseline.txt (remove: typing_baseline --update):")
        print("\n".join(f"  {e}" for e in fixed))
        return 1
    print(f"mypy: {sum(found.values())} known errors, none new (baseline mypy-baseline.txt)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
