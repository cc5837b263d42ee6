"""The mypy baseline only shrinks (tests/typing_baseline.py; ``make lint`` runs the check)."""

from __future__ import annotations

from collections import Counter

from tests.typing_baseline import BASELINE, compare, normalise, read_baseline

OUTPUT = """\
web/a.py:10: error: Missing return  [return]
web/a.py:20: error: Missing return  [return]
jobs/b.py:3:5: error: Incompatible types  [assignment]
matcher/c.py:1: error: Missing type arguments  [type-arg]
Found 4 errors in 3 files
"""


def test_line_numbers_do_not_matter_and_repeats_count() -> None:
    found = normalise(OUTPUT)
    assert found["web/a.py: error: Missing return  [return]"] == 2
    assert found["jobs/b.py: error: Incompatible types  [assignment]"] == 1
    assert sum(found.values()) == 4


def test_a_new_error_fails_and_a_fixed_one_must_leave_the_baseline() -> None:
    found = normalise(OUTPUT)
    baseline = Counter(
        {
            "web/a.py: error: Missing return  [return]": 1,
            "jobs/b.py: error: Incompatible types  [assignment]": 1,
            "models/d.py: error: Gone  [misc]": 1,
            "matcher/c.py: error: Missing type arguments  [type-arg]": 1,
        }
    )
    new, fixed = compare(found, baseline)
    # One more "Missing return" than recorded; matcher/ is strict whatever the baseline says.
    assert new == [
        "web/a.py: error: Missing return  [return]",
        "matcher/c.py: error: Missing type arguments  [type-arg]",
    ]
    assert fixed == ["models/d.py: error: Gone  [misc]"]


def test_the_recorded_baseline_has_nothing_for_matcher() -> None:
    recorded = read_baseline(BASELINE)
    assert recorded and not [e for e in recorded if e.startswith("matcher/")]
