"""Rows in: the database's live openings, mentor slots and youth as the engine's input values.

One query per kind (:func:`load_youths`, :func:`load_openings`, :func:`load_slots`); the
``_live_*`` conditions are what "live" means for the nightly run, the fast paths and the cache
fingerprints alike.

The loads read whole columns and make the engine's values in bulk
(:func:`matcher.types.in_bulk`): a national load (75,000 youth, 40,000 openings, 5,000
slots) took 3.4-4.4 s row by row, 1.0-1.1 s so. Whatever the bulk path cannot prove to give
the very same values (an unusual value, a bad one) is made again row by row from the same
rows, the way it always was (:func:`youth_from_row`...), which raises the same error for
the same row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher import MentorSlot as EngineSlot
from matcher import Opening as EngineOpening
from matcher import Youth as EngineYouth
from matcher.collector import collector_paused
from matcher.types import in_bulk
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
from models.session import is_postgres
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


def _rows(
    session: Session, statement: sa.Select[*tuple[Any, ...]], entity: type
) -> Sequence[sa.Row[Any]]:
    """The statement's rows as Core reads them, through the session's connection (its
    transaction), after the session's autoflush as ``session.execute`` does it: the ORM's
    row loading (a Python call per row, to return the same rows) was about 0.13 s of the
    75,000 youth."""
    if session.autoflush:  # what session.execute does first for an ORM statement
        session.flush()
    bind = {"mapper": entity, "clause": statement}
    return session.connection(bind_arguments=bind).execute(statement).all()


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[Sequence[Any]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _text_columns(
    session: Session, rows: Sequence[sa.Row[Any]], first: int, texts: Sequence[Sequence[Any]]
) -> list[list[tuple[str, ...]]] | None:
    """:func:`_texts` of each JSON list column read as text (``rows[first:]``, the same as
    ``texts``), where :func:`_text_column` can make them; else None (a NULL, text that is
    not JSON...: the row-by-row path then raises what it raises).

    On PostgreSQL each column's distinct texts are parsed with one ``json.loads`` (the text
    of a ``json`` value is one valid JSON value, so the texts joined with commas make one
    JSON array of exactly their values), and equal texts share one tuple: most of a
    population's languages, interests and wished occupations are the same as another's
    (a quarter of the national youth's lists are distinct), which spares parsing them again,
    a third of a million tuples, and the collector's walks over them. Elsewhere one parse
    per row, as :func:`_lists`."""
    if not is_postgres(session):
        try:
            per_row = [_lists(row[first:]) for row in rows]
        except Exception:  # noqa: BLE001 - the row-by-row path raises it again, at its row
            return None
        if any(len(p) != len(texts) for p in per_row):
            return None
        converted = [_text_column(values) for values in _columns(per_row, len(texts))]
        kept = [c for c in converted if c is not None]
        return kept if len(kept) == len(converted) else None
    made = []
    for column in texts:
        if not _only_text(column):
            return None
        distinct = list(dict.fromkeys(column))
        try:
            parsed = json.loads("[" + ",".join(distinct) + "]")
        except ValueError:  # none on PostgreSQL; the row-by-row path would raise it
            return None
        tuples = _text_column(parsed) if len(parsed) == len(distinct) else None
        if tuples is None:
            return None
        made.append(list(map(dict(zip(distinct, tuples, strict=True)).__getitem__, column)))
    return made


def _only_text(values: Sequence[Any]) -> bool:
    """Non-empty strings only (``_lists`` reads an empty or NULL text as ``null``)."""
    return set(map(type, values)) <= {str} and all(values)


def _text_column(values: Sequence[Any]) -> list[tuple[str, ...]] | None:
    """:func:`_texts` of each value, where that is ``tuple(value)``: a list (or None) of
    non-empty items. Whether the items are all ``str`` (which ``_texts`` keeps as they are)
    the bulk constructors check; None otherwise."""
    kinds = set(map(type, values))
    if not kinds <= {list, type(None)}:
        return None
    if type(None) in kinds:
        values = [v or () for v in values]
    if not all(chain.from_iterable(values)):
        return None
    return list(map(tuple, values))


def _floats(values: Sequence[Any]) -> list[float] | None:
    """``float(v)`` of each value, where none can raise (ints and floats, ints that fit)."""
    if not set(map(type, values)) <= {int, float}:
        return None
    if values and not (-1e300 < min(values) and max(values) < 1e300):
        return None
    return list(map(float, values))


def _bools(values: Sequence[Any]) -> list[bool] | None:
    """``bool(v)`` of each value, where none can raise."""
    if not set(map(type, values)) <= {bool, int, type(None)}:
        return None
    return list(map(bool, values))


def _texts_or_empty(values: Sequence[Any]) -> Sequence[str] | None:
    """``value or ""`` of each value, where it is a str or None."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    if kinds <= {str, type(None)}:
        return [v or "" for v in values]
    return None


def _youths_in_bulk(session: Session, rows: Sequence[sa.Row[Any]]) -> list[EngineYouth] | None:
    """:func:`youth_from_row` of every row, made in bulk; None where that is not provably
    the same."""
    first = len(_YOUTH_COLUMNS)
    columns = _columns(rows, first + len(_YOUTH_LISTS))
    scalars = columns[:first]
    ids, birth, postcode, km, education, hours_min, hours_max, licence, mentor, available = scalars
    lists = _text_columns(session, rows, first, columns[first:])
    km_, min_, max_ = _floats(km), _floats(hours_min), _floats(hours_max)
    licence_, mentor_ = _bools(licence), _bools(mentor)
    if lists is None or km_ is None or min_ is None or max_ is None:
        return None
    if licence_ is None or mentor_ is None:
        return None
    skills, interests, wished, languages, former, kinds = lists
    return in_bulk(
        EngineYouth,
        {
            "id": ids,
            "birth_year": birth,
            "postcode": postcode,
            "max_commute_km": km_,
            "education_level": education,
            "skills": skills,
            "interests": interests,
            "wished_occupations": wished,
            "hours_min": min_,
            "hours_max": max_,
            "languages": languages,
            "driving_licence": licence_,
            "needs_mentor": mentor_,
            "available_from": available,
            "status": ("active",) * len(rows),
            "former_jobs": former,
            "preferred_kinds": kinds,
        },
    )


def load_youths(session: Session, *extra: sa.ColumnElement[bool]) -> list[EngineYouth]:
    """Active profiles (optionally narrowed by ``extra`` conditions), one query."""
    statement = (
        select(*_YOUTH_COLUMNS, *_as_text(_YOUTH_LISTS))
        .where(_active_youth_filter(), *extra)
        .order_by(YouthProfile.id)
    )
    with collector_paused():
        return _youths(session, statement)


def _youths(session: Session, statement: sa.Select[*tuple[Any, ...]]) -> list[EngineYouth]:
    """The youth of :func:`load_youths`; its rows and columns are freed on return, before
    the collector is back (its first pass walks only what was made, not what was dropped)."""
    n = len(_YOUTH_COLUMNS)
    rows = _rows(session, statement, YouthProfile)
    youths = _youths_in_bulk(session, rows)
    if youths is None:
        youths = [youth_from_row(row, _lists(row[n:])) for row in rows]
    return youths


#: The opening's kind read as its stored text: the enum's result processing (a Python call
#: per row) would only be undone by ``str()``; the bulk path checks the texts against the
#: enum's values itself, and the row-by-row path processes them as the enum would.
_RAW_KIND = sa.type_coerce(JobOpening.kind, sa.String).label(JobOpening.kind.key)
_OPENING_READ = tuple(_RAW_KIND if c is JobOpening.kind else c for c in _OPENING_SCALARS)
_OPENING_KIND_VALUES = frozenset(JobOpening.kind.type.enums)


def _openings_in_bulk(session: Session, rows: Sequence[sa.Row[Any]]) -> list[EngineOpening] | None:
    """:func:`opening_from_row` of every row (its kind as the enum reads it), made in bulk;
    None where that is not provably the same."""
    first = len(_OPENING_SCALARS)
    columns = _columns(rows, first + len(_OPENING_LISTS))
    (
        ids,
        title,
        postcode,
        description,
        occupation,
        kind,
        hours_min,
        hours_max,
        seats,
        min_age,
        licence,
        mentor,
        start,
        expires,
    ) = columns[:first]
    # str() of the enum's member is its stored value.
    if not (set(map(type, kind)) <= {str} and set(kind) <= _OPENING_KIND_VALUES):
        return None
    lists = _text_columns(session, rows, first, columns[first:])
    min_, max_ = _floats(hours_min), _floats(hours_max)
    licence_, mentor_ = _bools(licence), _bools(mentor)
    descriptions = _texts_or_empty(description)
    if lists is None or descriptions is None or min_ is None or max_ is None:
        return None
    if licence_ is None or mentor_ is None:
        return None
    required, nice, languages = lists
    return in_bulk(
        EngineOpening,
        {
            "id": ids,
            "title": title,
            "postcode": postcode,
            "description": descriptions,
            "occupation_uri": occupation,
            "kind": kind,
            "required_skills": required,
            "nice_skills": nice,
            "hours_min": min_,
            "hours_max": max_,
            "seats": seats,
            "min_age": min_age,
            "driving_licence_required": licence_,
            "languages": languages,
            "mentor_at_workplace": mentor_,
            "start_date": start,
            "expires": expires,
            "status": ("open",) * len(rows),
        },
    )


def load_openings(
    session: Session, today: date, *extra: sa.ColumnElement[bool]
) -> list[EngineOpening]:
    """Open, unexpired openings, one query."""
    statement = (
        select(*_OPENING_READ, *_as_text(_OPENING_LISTS))
        .where(_live_opening_filter(today), *extra)
        .order_by(JobOpening.id)
    )
    with collector_paused():
        return _openings(session, statement)


def _openings(session: Session, statement: sa.Select[*tuple[Any, ...]]) -> list[EngineOpening]:
    """The openings of :func:`load_openings` (as :func:`_youths`)."""
    n = len(_OPENING_SCALARS)
    rows = _rows(session, statement, JobOpening)
    openings = _openings_in_bulk(session, rows)
    if openings is None:
        # The kinds processed as the enum column would have been: an unknown value raises
        # its LookupError, before any opening is made (the ORM processed all rows first);
        # str() of a member, opening_from_row's, is its raw value.
        process = JobOpening.kind.type.result_processor(session.get_bind().dialect, None)
        for row in rows:
            process(row.kind)
        openings = [opening_from_row(row, _lists(row[n:])) for row in rows]
    return openings


def _slots_in_bulk(rows: Sequence[sa.Row[Any]]) -> list[EngineSlot] | None:
    """:func:`slot_from_row` of every row (``row.taken`` places taken), made in bulk; None
    where that is not provably the same."""
    (
        ids,
        title,
        postcode,
        description,
        interests,
        languages,
        distance,
        capacity,
        available_from,
        available_until,
        taken,
    ) = _columns(rows, len(_SLOT_COLUMNS) + 1)
    lists = [_text_column(interests), _text_column(languages)]
    km = _floats(distance)
    descriptions = _texts_or_empty(description)
    if not set(map(type, chain(capacity, taken))) <= {int}:
        return None
    if km is None or descriptions is None or lists[0] is None or lists[1] is None:
        return None
    return in_bulk(
        EngineSlot,
        {
            "id": ids,
            "title": title,
            "postcode": postcode,
            "description": descriptions,
            "interests": lists[0],
            "languages": lists[1],
            "max_distance_km": km,
            "capacity": list(map(room_left, capacity, taken)),
            "available_from": available_from,
            "available_until": available_until,
            "status": ("open",) * len(rows),
        },
    )


def load_slots(session: Session, today: date, *extra: sa.ColumnElement[bool]) -> list[EngineSlot]:
    """Open mentor slots with free places (capacity minus accepted suggestions), one query."""
    taken = taken_places(session)
    statement = (
        select(*_SLOT_COLUMNS, func.coalesce(taken.c.taken, 0).label("taken"))
        .outerjoin(taken, taken.c.slot_id == MentorSlot.id)
        .where(_live_slot_filter(today), *extra)
        .order_by(MentorSlot.id)
    )
    with collector_paused():
        return _slots(session, statement)


def _slots(session: Session, statement: sa.Select[*tuple[Any, ...]]) -> list[EngineSlot]:
    """The slots of :func:`load_slots` (as :func:`_youths`)."""
    rows = _rows(session, statement, MentorSlot)
    slots = _slots_in_bulk(rows)
    if slots is None:
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
