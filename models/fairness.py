"""Fairness monitor: do suggestions, approvals, partner answers and placements reach every
group of young people alike, at equal fit? Aggregates only, never a profile.

Stages (the unit and what counts as reached):

``suggested``
    every profile that is not closed; reached = it has at least one suggestion (no score
    exists for a young person without one, so this stage is compared without fit strata);
``approved``
    every suggestion a caseworker decided; reached = approved (not rejected);
``answered``
    every approved suggestion a company or mentor answered (and not ended without a known
    answer); reached = interested, accepted or placed;
``placed``
    every approved suggestion for an opening; reached = placed.

Groups: age band, municipality, education level, first language (Danish or other), needs a
mentor, driving licence. Each group is compared with everyone else in the stage *at equal
fit*: units are put in score deciles (rank by score then id, decile = 10·rank // n) and the
Mantel–Haenszel rate ratio over the deciles is the four-fifths ratio, with a 95 % confidence
interval from the Greenland–Robins variance of its logarithm. Each group's crude rate has a
Wilson interval. A cell (group or rest) of fewer than :data:`SUPPRESS_BELOW` units is
suppressed; a ratio outside [0.8, 1.25] is flagged when both sides have at least
:data:`FLAG_MIN_UNITS` units and the interval excludes 1.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from models.decisions import POSITIVE
from models.enums import ProfileStatus, SuggestionStatus, TargetKind
from models.geo import Municipality
from models.suggestion import Suggestion
from models.youth import YouthProfile

STAGES = ("suggested", "approved", "answered", "placed")
ATTRIBUTES = (
    "age_band",
    "municipality",
    "education",
    "first_language",
    "needs_mentor",
    "driving_licence",
)
SUPPRESS_BELOW = 10
FLAG_MIN_UNITS = 30
LOW, HIGH = 0.8, 1.25
Z = 1.959963984540054
AGE_BANDS = ((0, 17, "15-17"), (18, 21, "18-21"), (22, 25, "22-25"), (26, 29, "26-29"))

_UNDECIDED = (SuggestionStatus.PROPOSED, SuggestionStatus.EXPIRED, SuggestionStatus.WITHDRAWN)


def age_band(birth_year: int, today: date) -> str:
    age = today.year - birth_year
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "30+"


def _groups(
    band: str,
    municipality: Any,
    education: Any,
    danish_first: bool,
    needs_mentor: bool,
    driving_licence: bool,
) -> dict[str, str]:
    return {
        "age_band": band,
        "municipality": str(municipality),
        "education": education,
        "first_language": "da" if danish_first else "other",
        "needs_mentor": "yes" if needs_mentor else "no",
        "driving_licence": "yes" if driving_licence else "no",
    }


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def mantel_haenszel(
    strata: list[tuple[int, int, int, int]],
) -> tuple[float | None, float | None, float | None]:
    """Rate ratio over strata ``(a, n1, c, n0)`` (reached/units of the group and of the
    rest), with the Greenland–Robins 95 % interval. None where undefined."""
    num = den = var_num = 0.0
    for a, n1, c, n0 in strata:
        total = n1 + n0
        if n1 == 0 or n0 == 0:
            continue
        num += a * n0 / total
        den += c * n1 / total
        var_num += (n1 * n0 * (a + c) - a * c * total) / (total * total)
    if num <= 0 or den <= 0:
        return (None, None, None)
    ratio = num / den
    se = math.sqrt(max(var_num, 0.0) / (num * den))
    return (ratio, ratio * math.exp(-Z * se), ratio * math.exp(Z * se))


@dataclass
class Cell:
    stage: str
    attribute: str
    group: str
    label: str
    n: int
    reached: int
    rest_n: int
    rate: float | None = None
    rate_low: float | None = None
    rate_high: float | None = None
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    suppressed: bool = False
    flagged: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.stage, self.attribute, self.group)


#: A stage's units as tallies: (groups, fit decile, reached, how many units), and how many
#: units in all. The suggested stage's 75,000 young people of a national night are a few
#: thousand tallies (one per combination of groups and reached), so the cells are counted
#: over those instead of over every young person six times (1.0 -> 0.2 s of CPU); the
#: decided stages' units likewise, per combination of groups, decile and reached.
Tallies = tuple[int, list[tuple[dict[str, str], int, int, int]]]


def _group_columns() -> tuple[Any, ...]:
    """A young person's columns that decide their groups (:func:`_groups`), as the database
    reads them: the first language as stored (not each list decoded here)."""
    return (
        YouthProfile.birth_year,
        YouthProfile.municipality_code,
        YouthProfile.education_level,
        func.coalesce(YouthProfile.languages[0].as_string() == "da", False).label("danish_first"),
        YouthProfile.needs_mentor,
        YouthProfile.driving_licence,
    )


def _units(session: Session, today: date) -> dict[str, Tallies]:
    """Per stage: the tallies of its units (decided suggestions: one per unit, in deciles of
    their rank by score, ties in id order).

    The suggested stage is counted by the database, per combination of the group columns
    and reached: a few thousand rows instead of a Python step for each of a national
    night's 75,000 young people (0.9 s of the nightly run's CPU). Each decided suggestion
    comes with its young person's group columns."""
    bands: dict[int, str] = {}
    # One groups dict per combination of groups, shared by its units.
    known: dict[tuple[Any, ...], dict[str, str]] = {}

    def key_of(row: Any) -> tuple[Any, ...]:
        band = bands.get(row.birth_year)
        if band is None:
            band = bands[row.birth_year] = age_band(row.birth_year, today)
        key = (
            band,
            row.municipality_code,
            row.education_level,
            bool(row.danish_first),
            bool(row.needs_mentor),
            bool(row.driving_licence),
        )
        if key not in known:
            known[key] = _groups(*key)
        return key

    per_youth = (
        select(
            *_group_columns(),
            # Whether an opening was ever suggested: asked of the database per young person
            # (the partial unique index on youth and opening answers it), instead of reading
            # the ids of every opening suggestion (hundreds of thousands on a national night).
            exists()
            .where(Suggestion.youth_id == YouthProfile.id, Suggestion.opening_id.is_not(None))
            .label("suggested"),
        )
        .where(YouthProfile.status != ProfileStatus.CLOSED)
        .subquery()
    )
    suggested: Counter[tuple[tuple[Any, ...], int]] = Counter()
    for row in session.execute(
        select(*per_youth.c, func.count().label("n")).group_by(*per_youth.c)
    ):
        suggested[(key_of(row), int(bool(row.suggested)))] += row.n
    tallies: dict[str, Tallies] = {
        "suggested": (
            sum(suggested.values()),
            [(known[key], 0, reached, count) for (key, reached), count in suggested.items()],
        )
    }
    decided: dict[str, list[tuple[tuple[Any, ...], int]]] = {s: [] for s in STAGES[1:]}
    rows = session.execute(
        select(
            *_group_columns(),
            Suggestion.status,
            Suggestion.target_kind,
            Suggestion.responded_at,
        )
        .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
        .where(Suggestion.status.not_in(_UNDECIDED))
        .order_by(Suggestion.score, Suggestion.id)
    )
    for row in rows:
        key = key_of(row)
        approved = row.status is not SuggestionStatus.REJECTED
        decided["approved"].append((key, int(approved)))
        if not approved:
            continue
        if row.responded_at is not None and row.status is not SuggestionStatus.ENDED:
            decided["answered"].append((key, int(row.status in POSITIVE)))
        if row.target_kind is TargetKind.OPENING:
            decided["placed"].append((key, int(row.status is SuggestionStatus.PLACED)))
    for stage, units in decided.items():
        n = len(units)
        # Ordered by (score, id): a unit's decile is its place in that order. Counted per
        # combination of groups, decile and reached, as the suggested stage is.
        counted = Counter((key, 10 * i // n, reached) for i, (key, reached) in enumerate(units))
        tallies[stage] = (n, [(known[k], d, r, count) for (k, d, r), count in counted.items()])
    return tallies


def _labels(session: Session) -> dict[str, str]:
    return {
        str(code): name
        for code, name in session.execute(select(Municipality.code, Municipality.name))
    }


def fairness_cells(session: Session, today: date) -> list[Cell]:
    """Every (stage, attribute, group) cell, ordered by stage, attribute, group."""
    names = _labels(session)
    cells: list[Cell] = []
    for stage, (n, tallies) in _units(session, today).items():
        # "suggested" has one stratum (no score); the others' deciles are in their tallies.
        for attribute in ATTRIBUTES:
            # per group and decile: [reached, units]; and totals per decile
            table: dict[str, dict[int, list[int]]] = defaultdict(
                lambda: defaultdict(lambda: [0, 0])
            )
            totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
            for groups, d, reached, count in tallies:
                counts = table[groups[attribute]][d]
                counts[0] += reached * count
                counts[1] += count
                totals[d][0] += reached * count
                totals[d][1] += count
            for group in sorted(table):
                per = table[group]
                a_total = sum(v[0] for v in per.values())
                n_group = sum(v[1] for v in per.values())
                rest_n = n - n_group
                label = names.get(group, group) if attribute == "municipality" else group
                cell = Cell(stage, attribute, group, label, n_group, a_total, rest_n)
                if n_group < SUPPRESS_BELOW or rest_n < SUPPRESS_BELOW:
                    cell.suppressed = True
                    cells.append(cell)
                    continue
                cell.rate = a_total / n_group
                cell.rate_low, cell.rate_high = wilson(a_total, n_group)
                strata = [
                    (per[d][0], per[d][1], totals[d][0] - per[d][0], totals[d][1] - per[d][1])
                    for d in sorted(totals)
                ]
                ratio, ratio_low, ratio_high = mantel_haenszel(strata)
                cell.ratio, cell.ratio_low, cell.ratio_high = ratio, ratio_low, ratio_high
                # mantel_haenszel gives all three or none
                cell.flagged = (
                    ratio is not None
                    and ratio_low is not None
                    and ratio_high is not None
                    and n_group >= FLAG_MIN_UNITS
                    and rest_n >= FLAG_MIN_UNITS
                    and not (LOW <= ratio <= HIGH)
                    and (ratio_high < 1.0 or ratio_low > 1.0)
                )
                cells.append(cell)
    return cells


def flagged(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if c.flagged]
