"""Figures per municipality for the secretariat: aggregates only, never a profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import OpeningStatus, ProfileStatus, SuggestionStatus
from models.geo import Municipality, Postcode
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.youth import YouthProfile

COLUMNS = (
    "profiles_active",
    "profiles_paused",
    "profiles_placed",
    "profiles_closed",
    "openings_open",
    "suggestions",
    "approvals",
    "placements",
)


@dataclass
class MunicipalityFigures:
    code: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.counts.get(key, 0)


def municipality_figures(session: Session) -> list[MunicipalityFigures]:
    """One row per municipality that has any profile or opening, ordered by name."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for code, status, n in session.execute(
        select(YouthProfile.municipality_code, YouthProfile.status, func.count()).group_by(
            YouthProfile.municipality_code, YouthProfile.status
        )
    ):
        counts[code][f"profiles_{ProfileStatus(status).value}"] = n
    for code, n in session.execute(
        select(Postcode.municipality_code, func.count())
        .select_from(JobOpening)
        .join(Postcode, Postcode.code == JobOpening.postcode)
        .where(JobOpening.status == OpeningStatus.OPEN)
        .group_by(Postcode.municipality_code)
    ):
        counts[code]["openings_open"] = n
    per_youth = (
        select(YouthProfile.municipality_code, func.count())
        .select_from(Suggestion)
        .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
        .group_by(YouthProfile.municipality_code)
    )
    for key, condition in (
        ("suggestions", None),
        (
            "approvals",
            (Suggestion.decided_by_id.is_not(None))
            & (Suggestion.status != SuggestionStatus.REJECTED),
        ),
        ("placements", Suggestion.status == SuggestionStatus.PLACED),
    ):
        query = per_youth if condition is None else per_youth.where(condition)
        for code, n in session.execute(query):
            counts[code][key] = n
    names = dict(
        session.execute(
            select(Municipality.code, Municipality.name).where(Municipality.code.in_(counts))
        ).all()
    )
    rows = [MunicipalityFigures(code, names.get(code, str(code)), c) for code, c in counts.items()]
    return sorted(rows, key=lambda row: row.name)
