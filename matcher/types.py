"""Plain, frozen inputs and outputs of the matching engine.

The engine never sees a database row: the jobs layer turns rows into these dataclasses and
turns :class:`Match` objects back into suggestions. Every input validates itself on
construction, so bad values fail early with a clear ``ValueError`` instead of deep inside
NumPy.

Field meanings: docs/ARCHITECTURE.md, "Data model in brief". Skills, interests and wished
occupations are free text (Danish or English) or ESCO URIs; the engine normalises them (see
:mod:`matcher.normalise`).
Languages are ISO 639-1 codes (``"da"``, ``"en"``, ``"ar"``...).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import chain, repeat
from operator import le
from typing import Any, Literal, TypeVar

YOUTH_STATUSES = ("active", "paused", "placed", "closed")
OPENING_STATUSES = ("draft", "open", "filled", "closed")
OPENING_KINDS = (
    "job",
    "apprenticeship",
    "internship",
    "wage_subsidy",
    "small_job",
    "education",
)
SLOT_STATUSES = ("open", "full", "closed")

MAX_HOURS = 80.0

#: The text-tuple fields of each input, in the order their constructors check them.
_YOUTH_TEXTS = (
    "skills",
    "interests",
    "wished_occupations",
    "languages",
    "former_jobs",
    "preferred_kinds",
)
_OPENING_TEXTS = ("required_skills", "nice_skills", "languages")
_SLOT_TEXTS = ("interests", "languages")


def _check_id(kind: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{kind}.id must be an int, got {value!r}")


def _check_text_tuple(kind: str, name: str, value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{kind}.{name} must be a tuple of str, got {value!r}")


def _check_hours(kind: str, obj_id: int, lo: float, hi: float) -> None:
    for name, v in (("hours_min", lo), ("hours_max", hi)):
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
            raise ValueError(f"{kind} {obj_id}: {name} must be a finite number, got {v!r}")
        if v < 0 or v > MAX_HOURS:
            raise ValueError(f"{kind} {obj_id}: {name}={v} is outside 0..{MAX_HOURS:g}")
    if lo > hi:
        raise ValueError(f"{kind} {obj_id}: hours_min={lo} is greater than hours_max={hi}")


def _check_km(kind: str, obj_id: int, name: str, v: float) -> None:
    if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
        raise ValueError(f"{kind} {obj_id}: {name} must be a non-negative number, got {v!r}")


@dataclass(frozen=True, slots=True)
class Youth:
    """An anonymised youth profile (no name, CPR, address or contact data)."""

    id: int
    birth_year: int
    postcode: str
    max_commute_km: float = 20.0
    education_level: str | None = None
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    wished_occupations: tuple[str, ...] = ()
    hours_min: float = 0.0
    hours_max: float = 37.0
    languages: tuple[str, ...] = ("da",)
    driving_licence: bool = False
    needs_mentor: bool = False
    available_from: date | None = None
    status: str = "active"
    #: Former jobs (free text or ESCO URIs): experience the engine infers occupations from.
    former_jobs: tuple[str, ...] = ()
    #: Kinds of opening the youth prefers (a soft preference; empty = no preference).
    preferred_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_id("Youth", self.id)
        if not isinstance(self.birth_year, int) or not 1900 <= self.birth_year <= 2100:
            raise ValueError(f"Youth {self.id}: birth_year {self.birth_year!r} is not plausible")
        if not isinstance(self.postcode, str):
            raise ValueError(f"Youth {self.id}: postcode must be a str, got {self.postcode!r}")
        _check_km("Youth", self.id, "max_commute_km", self.max_commute_km)
        _check_hours("Youth", self.id, self.hours_min, self.hours_max)
        for name in _YOUTH_TEXTS:
            _check_text_tuple("Youth", name, getattr(self, name))
        unknown = sorted(set(self.preferred_kinds) - set(OPENING_KINDS))
        if unknown:
            raise ValueError(f"Youth {self.id}: preferred_kinds {unknown} not in {OPENING_KINDS}")
        if self.status not in YOUTH_STATUSES:
            raise ValueError(f"Youth {self.id}: status {self.status!r} not in {YOUTH_STATUSES}")


@dataclass(frozen=True, slots=True)
class Opening:
    """An opening: job, apprenticeship, internship, wage subsidy, small job or education place."""

    id: int
    title: str
    postcode: str
    description: str = ""
    occupation_uri: str | None = None
    kind: str = "job"
    required_skills: tuple[str, ...] = ()
    nice_skills: tuple[str, ...] = ()
    hours_min: float = 0.0
    hours_max: float = 37.0
    seats: int = 1
    min_age: int = 15
    driving_licence_required: bool = False
    languages: tuple[str, ...] = ()
    mentor_at_workplace: bool = False
    start_date: date | None = None
    expires: date | None = None
    status: str = "open"

    def __post_init__(self) -> None:
        _check_id("Opening", self.id)
        if not isinstance(self.title, str) or not isinstance(self.description, str):
            raise ValueError(f"Opening {self.id}: title and description must be str")
        if not isinstance(self.postcode, str):
            raise ValueError(f"Opening {self.id}: postcode must be a str, got {self.postcode!r}")
        if self.kind not in OPENING_KINDS:
            raise ValueError(f"Opening {self.id}: kind {self.kind!r} not in {OPENING_KINDS}")
        _check_hours("Opening", self.id, self.hours_min, self.hours_max)
        if isinstance(self.seats, bool) or not isinstance(self.seats, int) or self.seats < 1:
            raise ValueError(f"Opening {self.id}: seats must be an int >= 1, got {self.seats!r}")
        if not isinstance(self.min_age, int) or not 0 <= self.min_age <= 100:
            raise ValueError(f"Opening {self.id}: min_age {self.min_age!r} is outside 0..100")
        for name in _OPENING_TEXTS:
            _check_text_tuple("Opening", name, getattr(self, name))
        if self.status not in OPENING_STATUSES:
            raise ValueError(f"Opening {self.id}: status {self.status!r} not in {OPENING_STATUSES}")


@dataclass(frozen=True, slots=True)
class MentorSlot:
    """A volunteer or workplace mentor slot with a number of free places."""

    id: int
    title: str
    postcode: str
    description: str = ""
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("da",)
    max_distance_km: float = 25.0
    capacity: int = 1
    available_from: date | None = None
    available_until: date | None = None
    status: str = "open"

    def __post_init__(self) -> None:
        _check_id("MentorSlot", self.id)
        if not isinstance(self.title, str) or not isinstance(self.description, str):
            raise ValueError(f"MentorSlot {self.id}: title and description must be str")
        if not isinstance(self.postcode, str):
            raise ValueError(f"MentorSlot {self.id}: postcode must be a str")
        _check_km("MentorSlot", self.id, "max_distance_km", self.max_distance_km)
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int):
            raise ValueError(f"MentorSlot {self.id}: capacity must be an int")
        if self.capacity < 0:
            raise ValueError(f"MentorSlot {self.id}: capacity {self.capacity} is negative")
        for name in _SLOT_TEXTS:
            _check_text_tuple("MentorSlot", name, getattr(self, name))
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_from > self.available_until
        ):
            raise ValueError(f"MentorSlot {self.id}: available_from is after available_until")
        if self.status not in SLOT_STATUSES:
            raise ValueError(f"MentorSlot {self.id}: status {self.status!r} not in {SLOT_STATUSES}")


# Bulk construction: the same objects as the constructors make, for whole columns at once.
#
# The nightly run makes 75,000 youth, 40,000 openings and 5,000 mentor slots; their
# ``__post_init__`` checks, one object and one field at a time, were 1.9 s of a profiled
# night's load (one ``_check_text_tuple`` call per text field: 578,000). The checks below
# prove the very same conditions for a whole column with a few C-level passes (the set of
# the values' exact types, their min and max), and the objects are then made without
# ``__init__``. Where a check cannot prove a column valid (a bad value, or merely an
# unusual but valid one such as an ``int`` subclass) the objects are made one by one with
# their constructor, which raises the very error it always did, for the first bad object.

_T = TypeVar("_T")


def _only(values: Iterable[object], *types: type) -> bool:
    """Every value is of one of ``types`` exactly (no subclass: ``bool`` is no ``int`` here)."""
    return set(map(type, values)) <= set(types)


def _between(values: Sequence[Any], lo: float, hi: float) -> bool:
    """Every value within ``lo..hi``; only for values :func:`_only` proved numbers."""
    return not values or (lo <= min(values) and max(values) <= hi)


def _numbers_between(values: Sequence[Any], lo: float, hi: float) -> bool:
    """What :func:`_check_hours` and :func:`_check_km` ask of each value: an int or float,
    not a bool, finite, within ``lo..hi``. The range first: no finite bound admits an int
    too large for ``math.isfinite``; a NaN may slip past ``min``/``max`` but not
    ``isfinite``."""
    return (
        _only(values, float, int) and _between(values, lo, hi) and all(map(math.isfinite, values))
    )


def _hours_ok(lo: Sequence[Any], hi: Sequence[Any]) -> bool:
    return (
        _numbers_between(lo, 0, MAX_HOURS)
        and _numbers_between(hi, 0, MAX_HOURS)
        and all(map(le, lo, hi))
    )


def _text_tuples_ok(values: Sequence[Any]) -> bool:
    """What :func:`_check_text_tuple` asks of each value."""
    return _only(values, tuple) and _only(chain.from_iterable(values), str)


def _among(values: Sequence[Any], allowed: tuple[str, ...]) -> bool:
    return _only(values, str) and set(values) <= set(allowed)


def _youths_ok(c: Mapping[str, Sequence[Any]]) -> bool:
    """:meth:`Youth.__post_init__`'s conditions, for every youth of the columns ``c``."""
    return (
        _only(c["id"], int)
        and _only(c["birth_year"], int)
        and _between(c["birth_year"], 1900, 2100)
        and _only(c["postcode"], str)
        and _numbers_between(c["max_commute_km"], 0, math.inf)
        and _hours_ok(c["hours_min"], c["hours_max"])
        and all(map(_text_tuples_ok, (c[name] for name in _YOUTH_TEXTS)))
        and set(chain.from_iterable(c["preferred_kinds"])) <= set(OPENING_KINDS)
        and _among(c["status"], YOUTH_STATUSES)
    )


def _openings_ok(c: Mapping[str, Sequence[Any]]) -> bool:
    """:meth:`Opening.__post_init__`'s conditions, for every opening of the columns ``c``."""
    return (
        _only(c["id"], int)
        and _only(c["title"], str)
        and _only(c["description"], str)
        and _only(c["postcode"], str)
        and _among(c["kind"], OPENING_KINDS)
        and _hours_ok(c["hours_min"], c["hours_max"])
        and _only(c["seats"], int)
        and _between(c["seats"], 1, math.inf)
        and _only(c["min_age"], int)
        and _between(c["min_age"], 0, 100)
        and all(map(_text_tuples_ok, (c[name] for name in _OPENING_TEXTS)))
        and _among(c["status"], OPENING_STATUSES)
    )


def _in_order(start: date | None, end: date | None) -> bool:
    return start is None or end is None or start <= end


def _slots_ok(c: Mapping[str, Sequence[Any]]) -> bool:
    """:meth:`MentorSlot.__post_init__`'s conditions, for every slot of the columns ``c``.
    The dates are compared only when both are plain dates or None (anything else, a
    datetime say, is left to the constructor)."""
    return (
        _only(c["id"], int)
        and _only(c["title"], str)
        and _only(c["description"], str)
        and _only(c["postcode"], str)
        and _numbers_between(c["max_distance_km"], 0, math.inf)
        and _only(c["capacity"], int)
        and _between(c["capacity"], 0, math.inf)
        and all(map(_text_tuples_ok, (c[name] for name in _SLOT_TEXTS)))
        and _only(c["available_from"], date, type(None))
        and _only(c["available_until"], date, type(None))
        and all(map(_in_order, c["available_from"], c["available_until"]))
        and _among(c["status"], SLOT_STATUSES)
    )


#: Each input's bulk check: its ``__post_init__``'s conditions over whole columns.
_CHECKS: dict[type, Callable[[Mapping[str, Sequence[Any]]], bool]] = {}


def in_bulk(cls: type[_T], columns: Mapping[str, Sequence[Any]]) -> list[_T] | None:
    """``[cls(**row) for row in rows]`` (``cls`` one of :class:`Youth`, :class:`Opening`,
    :class:`MentorSlot`) from columns (field name -> one value per object, every field),
    made without ``__init__`` (each slot set through its descriptor, column by column), if
    the bulk checks prove every object valid; None if they cannot (then :func:`build`
    makes them one by one, which raises the constructor's error)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    if set(columns) != set(names):
        raise TypeError(f"{cls.__name__} columns must be exactly {names}, got {sorted(columns)}")
    lengths = {len(columns[name]) for name in names}
    if len(lengths) != 1 or not _CHECKS[cls](columns):
        return None
    return _without_init(cls, lengths.pop(), [(name, columns[name]) for name in names])


def _without_init(cls: type[_T], n: int, columns: Iterable[tuple[str, Iterable[Any]]]) -> list[_T]:
    """``n`` objects of ``cls`` made without ``__init__``, each slot set column by column
    (field name, its values) through its descriptor, in C-level maps."""
    made = list(map(object.__new__, repeat(cls, n)))
    for name, column in columns:
        deque(map(getattr(cls, name).__set__, made, column), maxlen=0)
    return made


def build(cls: type[_T], columns: Mapping[str, Sequence[Any]]) -> list[_T]:
    """The objects of the columns, in order (as :func:`in_bulk`): the same objects, and the
    same error for the first invalid one, as constructing them one by one."""
    made = in_bulk(cls, columns)
    if made is not None:
        return made
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    return [cls(*values) for values in zip(*(columns[name] for name in names), strict=True)]


@dataclass(frozen=True, slots=True)
class Reason:
    """One human-readable reason, in Danish and English.

    ``code`` is stable (for statistics and storage); ``params`` holds the numbers used in the
    text so a UI may re-render it. :meth:`as_dict` gives a JSON-ready form.
    """

    code: str
    da: str
    en: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, locale: str) -> str:
        """The reason in ``locale`` ("da" or "en"); Danish for anything else."""
        return self.en if locale.startswith("en") else self.da

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "da": self.da, "en": self.en, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Match:
    """One suggestion: a target (opening or mentor slot) for a youth, or a youth for a target."""

    target_id: int
    target_kind: Literal["opening", "mentor_slot", "youth"]
    score: float
    components: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    distance_km: float | None = None


_MATCH_FIELDS = tuple(f.name for f in fields(Match))


def build_matches(
    kind: Literal["opening", "mentor_slot", "youth"],
    target_ids: Iterable[int],
    scores: Iterable[float],
    components: Iterable[Mapping[str, float]],
    reasons: Iterable[tuple[Reason, ...]],
    distances: Iterable[float | None],
) -> list[Match]:
    """``[Match(t, kind, s, c, r, d) for t, s, c, r, d in zip(..., strict=True)]``: the same
    objects, made without the frozen dataclass's ``__init__`` (which sets each field through
    ``object.__setattr__``): the objects first, then each slot set column by column through
    its descriptor in C-level maps, as :func:`in_bulk` does (for the 390,000 matches of a
    national run about half the time of a ``__init__`` call each, and a quarter less than a
    Python loop setting the slots of one match after another)."""
    ids, score_list, component_list, reason_list, km_list = map(
        list, (target_ids, scores, components, reasons, distances)
    )
    n = len(ids)
    if any(len(c) != n for c in (score_list, component_list, reason_list, km_list)):
        raise ValueError("build_matches: the columns differ in length")  # as zip(strict=True)
    values = (ids, repeat(kind, n), score_list, component_list, reason_list, km_list)
    return _without_init(Match, n, zip(_MATCH_FIELDS, values, strict=True))


_CHECKS.update({Youth: _youths_ok, Opening: _openings_ok, MentorSlot: _slots_ok})
