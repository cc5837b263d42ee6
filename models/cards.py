"""The anonymous candidate card: what a company or a mentor may learn about a young person.

Built in this one place and used by the company and mentor pages, the mails and the API.
It carries an age band (never the birth year), the municipality (never the postcode),
skills, interests, availability, languages, driving licence and the caseworker's pitch —
never the pseudonym, the support notes or anything else from the profile.

Free text is checked for identifiers when it is stored (models/validation.py); the card checks
again (models/identifiers.py), so text stored before the guard, or past it, never reaches a
partner: an item with an identifier is left off, a pitch with one is withheld.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from models.identifiers import find_identifiers
from models.suggestion import Suggestion
from models.youth import YouthProfile

# Bands wide enough that a card cannot be tied back to a birth year.
AGE_BANDS = ((15, 17), (18, 20), (21, 24), (25, 29))


def age_band(birth_year: int, today: date) -> str:
    age = today.year - birth_year
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}–{high}"
    return f"{AGE_BANDS[0][0]}–{AGE_BANDS[-1][1]}"


@dataclass(frozen=True)
class AnonymousCard:
    age_band: str
    municipality: str
    skills: tuple[str, ...]
    interests: tuple[str, ...]
    available_from: date | None
    hours_min: int
    hours_max: int
    languages: tuple[str, ...]
    driving_licence: bool
    pitch: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["available_from"] = self.available_from.isoformat() if self.available_from else None
        for key in ("skills", "interests", "languages"):
            data[key] = list(data[key])
        return data


def _without_identifiers(items: Any) -> tuple[str, ...]:
    return tuple(item for item in items or () if not find_identifiers(item))


def anonymous_card(
    suggestion_or_profile: Suggestion | YouthProfile,
    pitch: str | None = None,
    *,
    today: date | None = None,
) -> AnonymousCard:
    """The card for a suggestion (its pitch by default) or for a profile with a given pitch."""
    if isinstance(suggestion_or_profile, Suggestion):
        profile = suggestion_or_profile.youth
        if pitch is None:
            pitch = suggestion_or_profile.pitch
    else:
        profile = suggestion_or_profile
    today = today or date.today()
    return AnonymousCard(
        age_band=age_band(profile.birth_year, today),
        municipality=profile.municipality.name,
        skills=_without_identifiers(profile.skills),
        interests=_without_identifiers(profile.interests),
        available_from=profile.available_from,
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        languages=tuple(profile.languages or ()),
        driving_licence=bool(profile.driving_licence),
        pitch="" if find_identifiers(pitch) else (pitch or "").strip(),
    )
