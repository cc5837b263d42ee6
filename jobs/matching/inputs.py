"""Rows in: the database's live openings, mentor slots and youth as the engine's input values.

One query per kind (:func:`load_youths`, :func:`load_openings`, :func:`load_slots`); the
``_live_*`` conditions are what "live" means for the nightly run, the fast paths and the cache
fingerprints alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher import MentorSlot as EngineSlot
from matcher import Opening as EngineOpening
from matcher import Youth as EngineYouth
from models.enums import (
    OpeningStatus,
    ProfileStatus,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.expiry import taken_places
from models.operations.placement import room_left
from models.suggestion import Suggestion
from models.youth import YouthProfile

#: The youth's lists (JSON columns), in the order of :func:`youth_from_row`'s ``lists``.
_YOUTH_LISTS = (
    YouthProfile.skills,
    YouthProfile.interests,
    YouthProfile.wished_occupations,
    YouthProfile.languages,
    YouthProfile.former_jobs,
    YouthProfile.preferred_kinds,
)
_YOUTH_COLUMNS = (
    YouthProfile.id,
    YouthProfile.birth_year,
    YouthProfile.postcode,
    YouthProfile.max_commute_km,
    YouthProfile.education_level,
    YouthProfile.hours_min,
    YouthProfile.hours_max,
    YouthProfile.driving_licence,
    YouthProfile.needs_mentor,
    YouthProfile.available_from,
)
#: The opening's lists (JSON columns), in the order of :func:`opening_from_row`'s ``lists``.
_OPENING_LISTS = (JobOpening.required_skills, JobOpening.nice_skills, JobOpening.languages)
_OPENING_SCALARS = (
    JobOpening.id,
    JobOpening.title,
    JobOpening.postcode,
    JobOpening.description,
    JobOpening.occupation_uri,
    JobOpening.kind,
    JobOpening.hours_min,
    JobOpening.hours_max,
    JobOpening.seats,
    JobOpening.min_age,
    JobOpening.driving_licence_required,
    JobOpening.mentor_at_workplace,
    JobOpening.start_date,
    JobOpening.expires,
)
_OPENING_COLUMNS = (*_OPENING_SCALARS, *_OPENING_LISTS)
_SLOT_COLUMNS = (
    MentorSlot.id,
    MentorSlot.title,
    MentorSlot.postcode,
    MentorSlot.description,
    MentorSlot.interests,
    MentorSlot.languages,
    MentorSlot.max_distance_km,
    MentorSlot.capacity,
    MentorSlot.available_from,
    MentorSlot.available_until,
)


def _texts(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()) if v)


def _as_text(columns: Sequence[Any]) -> tuple[sa.ColumnElement[str], ...]:
    """JSON list columns read as their text (see :func:`_lists`)."""
    return tuple(sa.cast(c, sa.Text).label(f"{c.key}_json") for c in columns)


def _lists(texts: Sequence[Any]) -> list[Any]:
    """A row's JSON list columns, read as text by :func:`_as_text`, parsed with ONE
    ``json.loads``: the nightly reads 75,000 youth with six lists each, and decoding the
    450,000 values one by one (the driver's way) was half of loading them."""
    lists: list[Any] = json.loads("[" + ",".join(t or "null" for t in texts) + "]")
    return lists


def youth_from_row(row: Any, lists: Sequence[Any] | None = None) -> EngineYouth:
    """The engine's youth from a row (or a profile) with the youth's columns; ``lists`` are
    its list columns already read (:data:`_YOUTH_LISTS` order), else read from ``row``."""
    if lists is None:
        lists = [getattr(row, c.key) for c in _YOUTH_LISTS]
    skills, interests, wished, languages, former, kinds = lists
    return EngineYouth(
        id=row.id,
        birth_year=row.birth_year,
        postcode=row.postcode,
        max_commute_km=float(row.max_commute_km),
        education_level=row.education_level,
        skills=_texts(skills),
        interests=_texts(interests),
        wished_occupations=_texts(wished),
        hours_min=float(row.hours_min),
        hours_max=float(row.hours_max),
        languages=_texts(languages),
        driving_licence=bool(row.driving_licence),
        needs_mentor=bool(row.needs_mentor),
        available_from=row.available_from,
        status="active",
        former_jobs=_texts(former),
        preferred_kinds=_texts(kinds),
    )


def opening_from_row(row: Any, lists: Sequence[Any] | None = None) -> EngineOpening:
    """The engine's opening from a row with the opening's columns; ``lists`` as in
    :func:`youth_from_row` (:data:`_OPENING_LISTS` order)."""
    if lists is None:
        lists = [getattr(row, c.key) for c in _OPENING_LISTS]
    required, nice, languages = lists
    return EngineOpening(
        id=row.id,
        title=row.title,
        postcode=row.postcode,
        description=row.description or "",
        occupation_uri=row.occupation_uri,
        kind=str(row.kind),
        required_skills=_texts(required),
        nice_skills=_texts(nice),
        hours_min=float(row.hours_min),
        hours_max=float(row.hours_max),
        seats=row.seats,
        min_age=row.min_age,
        driving_licence_required=bool(row.driving_licence_required),
        languages=_texts(languages),
        mentor_at_workplace=bool(row.mentor_at_workplace),
        start_date=row.start_date,
        expires=row.expires,
        status="open",
    )


def slot_from_row(row: Any, taken: int) -> EngineSlot:
    return EngineSlot(
        id=row.id,
        title=row.title,
        postcode=row.postcode,
        description=row.description or "",
        interests=_texts(row.interests),
        languages=_texts(row.languages),
        max_distance_km=float(row.max_distance_km),
        capacity=room_left(row.capacity, taken),
        available_from=row.available_from,
        available_until=row.available_until,
        status="open",
    )


def _active_youth_filter() -> sa.ColumnElement[bool]:
    return YouthProfile.status == ProfileStatus.ACTIVE


def _live_opening_filter(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        JobOpening.status == OpeningStatus.OPEN,
        sa.or_(JobOpening.expires.is_(None), JobOpening.expires >= today),
    )


def _live_slot_filter(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        MentorSlot.status == SlotStatus.OPEN,
        sa.or_(MentorSlot.available_until.is_(None), MentorSlot.available_until >= today),
    )


def load_youths(session: Session, *extra: sa.ColumnElement[bool]) -> list[EngineYouth]:
    """Active profiles (optionally narrowed by ``extra`` conditions), one query."""
    n = len(_YOUTH_COLUMNS)
    rows = session.execute(
        select(*_YOUTH_COLUMNS, *_as_text(_YOUTH_LISTS))
        .where(_active_youth_filter(), *extra)
        .order_by(YouthProfile.id)
    )
    return [youth_from_row(row, _lists(row[n:])) for row in rows]


def load_openings(
    session: Session, today: date, *extra: sa.ColumnElement[bool]
) -> list[EngineOpening]:
    """Open, unexpired openings, one query."""
    n = len(_OPENING_SCALARS)
    rows = session.execute(
        select(*_OPENING_SCALARS, *_as_text(_OPENING_LISTS))
        .where(_live_opening_filter(today), *extra)
        .order_by(JobOpening.id)
    )
    return [opening_from_row(row, _lists(row[n:])) for row in rows]


def load_slots(session: Session, today: date, *extra: sa.ColumnElement[bool]) -> list[EngineSlot]:
    """Open mentor slots with free places (capacity minus accepted suggestions), one query."""
    taken = taken_places(session)
    rows = session.execute(
        select(*_SLOT_COLUMNS, func.coalesce(taken.c.taken, 0).label("taken"))
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(_live_slot_filter(today), *extra)
        .order_by(MentorSlot.id)
    )
    slots = [slot_from_row(row, row.taken) for row in rows]
    return [s for s in slots if s.capacity > 0]


def _youths_with_mentor(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Suggestion.youth_id).where(
                Suggestion.target_kind == TargetKind.MENTOR_SLOT,
                Suggestion.status == SuggestionStatus.ACCEPTED,
            )
        )
    )


def mentor_seekers(session: Session, youths: Sequence[EngineYouth]) -> list[EngineYouth]:
    """Young people who need a mentor and do not have one yet."""
    have = _youths_with_mentor(session)
    return [y for y in youths if y.needs_mentor and y.id not in have]
