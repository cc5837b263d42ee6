"""What a profile points to besides its wishes ("Mulige fag" / "Possible occupations"), and
what each wish was understood as. Both read the engine's taxonomy (models.reference, built
once per process); the inference itself is the engine's (matcher/infer.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_number
from flask_babel import gettext as _

from jobs.matching import youth_from_row
from jobs.taxonomy import load_taxonomy
from matcher.encode import Vocabulary
from matcher.possible import possible_occupations
from models.youth import YouthProfile
from web.templating import request_language

POSSIBLE = 5


@dataclass(frozen=True)
class Possible:
    uri: str
    label: str
    reason: str
    wished: bool  # already one of the profile's wishes


@dataclass(frozen=True)
class Wish:
    text: str  # as stored; an ESCO URI shown by its label
    understood: tuple[str, ...]  # the ESCO occupations it maps to (empty: not recognised)


def possible_for(profile: YouthProfile) -> list[Possible]:
    """The top occupations the profile's skills, former jobs and interests point to, each
    with its reason in the user's language."""
    if not (profile.skills or profile.former_jobs or profile.interests):
        return []
    language = request_language()
    out = []
    for p in possible_occupations(load_taxonomy(), youth_from_row(profile), n=POSSIBLE):
        parts = []
        if p.matched:
            parts.append(
                _(
                    "Skills: %(skills)s (%(matched)s of %(recognised)s recognised)",
                    skills=", ".join(p.skills(language)),
                    matched=format_number(p.matched),
                    recognised=format_number(p.recognised),
                )
            )
        if p.from_experience:
            parts.append(_("former job"))
        if not parts:
            parts.append(_("interests"))
        out.append(
            Possible(
                p.uri, p.label(language), "; ".join(parts), p.uri in profile.wished_occupations
            )
        )
    return out


def understood_wishes(profile: YouthProfile) -> list[Wish]:
    """Each wish with the ESCO occupation label(s) the engine reads it as."""
    wishes = list(profile.wished_occupations)
    if not wishes:
        return []
    tx = load_taxonomy()
    language = request_language()
    out = []
    for text, hits in zip(wishes, Vocabulary(tx).wish_hits(wishes), strict=True):
        index = tx.occ_index.get(text)
        shown = tx.occupation_label(index, language) if index is not None else text
        labels = tuple(dict.fromkeys(tx.occupation_label(o, language) for o in hits))
        out.append(Wish(shown, labels))
    return out
