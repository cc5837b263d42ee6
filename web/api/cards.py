"""The anonymous card a company or mentor sees for an approved proposal.

DESIGN.md §5: age band (not birth year), municipality (not postcode), skills, interests,
availability, languages, licence and the caseworker's pitch; never the birth year, the
postcode, the pseudonym or the support notes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models.suggestion import Suggestion

AGE_BANDS = ((15, 17), (18, 21), (22, 25), (26, 29))


def age_band(birth_year: int, today: date) -> str:
    age = today.year - birth_year
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "15-17" if age < 15 else "26-29"


def anonymous_card(suggestion: Suggestion, today: date | None = None) -> dict[str, Any]:
    youth = suggestion.youth
    return {
        "age_band": age_band(youth.birth_year, today or date.today()),
        "municipality": youth.municipality.name,
        "skills": list(youth.skills),
        "interests": list(youth.interests),
        "availability": {
            "available_from": youth.available_from,
            "hours_min": youth.hours_min,
            "hours_max": youth.hours_max,
        },
        "languages": list(youth.languages),
        "driving_licence": youth.driving_licence,
        "pitch": suggestion.pitch or "",
    }
