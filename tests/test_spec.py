"""One source per limit (models/spec.py): the operations, the web forms and the API's schemas
agree on every field limit, and the operations enforce it whatever the caller."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from wtforms.validators import Length, NumberRange

from models import spec
from models.errors import ValidationError
from models.operations import mentor_slots, openings, profiles
from web.api import schemas
from web.caseworker.forms import ProfileForm
from web.company.forms import OpeningForm
from web.mentor.forms import MentorSlotForm

TODAY = date.today()


def _opening(db, **kw: Any) -> None:  # type: ignore[no-untyped-def]
    kw.setdefault("title", "Lager")
    openings._clean(db, openings.OpeningInput(postcode="2300", **kw))


def _slot(db, **kw: Any) -> None:  # type: ignore[no-untyped-def]
    kw.setdefault("title", "Mentor")
    mentor_slots._clean(db, mentor_slots.MentorSlotInput(postcode="2200", **kw))


def _profile(db, **kw: Any) -> None:  # type: ignore[no-untyped-def]
    data = profiles.ProfileInput(birth_year=TODAY.year - 20, postcode="2200", **kw)
    profiles._clean(db, data, TODAY, new=True)


# (limit, operation probe, field, web form, API schemas)
TEXTS = [
    (spec.TITLE, _opening, "title", OpeningForm, [schemas.OpeningInSchema]),
    (spec.TITLE, _slot, "title", MentorSlotForm, [schemas.MentorSlotInSchema]),
    (spec.DESCRIPTION, _opening, "description", OpeningForm, [schemas.OpeningInSchema]),
    (spec.DESCRIPTION, _slot, "description", MentorSlotForm, [schemas.MentorSlotInSchema]),
    (spec.SUPPORT_NOTES, _profile, "support_notes", ProfileForm, [schemas.ProfileInSchema]),
]
NUMBERS = [
    (spec.HOURS, _opening, "hours_min", OpeningForm, [schemas.OpeningInSchema]),
    (spec.HOURS, _opening, "hours_max", OpeningForm, [schemas.OpeningInSchema]),
    (spec.HOURS, _profile, "hours_min", None, [schemas.ProfileInSchema]),
    (spec.HOURS, _profile, "hours_max", None, [schemas.ProfileInSchema]),
    (spec.SEATS, _opening, "seats", OpeningForm, [schemas.OpeningInSchema]),
    (spec.OPENING_MIN_AGE, _opening, "min_age", OpeningForm, [schemas.OpeningInSchema]),
    (spec.SLOT_CAPACITY, _slot, "capacity", MentorSlotForm, [schemas.MentorSlotInSchema]),
    (spec.SLOT_DISTANCE_KM, _slot, "max_distance_km", MentorSlotForm, [schemas.MentorSlotInSchema]),
    (spec.COMMUTE_KM, _profile, "max_commute_km", None, [schemas.ProfileInSchema]),
]


def _validators(form: type, name: str) -> list[object]:
    return list(getattr(form, name).kwargs.get("validators", []))


@pytest.mark.parametrize(("limit", "probe", "name", "form", "in_schemas"), TEXTS)
def test_text_limits_agree(db, limit, probe, name, form, in_schemas) -> None:  # type: ignore[no-untyped-def]
    lengths = [v.max for v in _validators(form, name) if isinstance(v, Length)]
    assert lengths == [limit.max_length]
    for schema in in_schemas:
        field = schema._declared_fields[name]
        assert (field.max_length, field.min_length) == (limit.max_length, limit.min_length)
    probe(db, **{name: "x" * limit.max_length})
    with pytest.raises(ValidationError) as refused:
        probe(db, **{name: "x" * (limit.max_length + 1)})
    assert refused.value.field == name


@pytest.mark.parametrize(("limit", "probe", "name", "form", "in_schemas"), NUMBERS)
def test_number_limits_agree(db, limit, probe, name, form, in_schemas) -> None:  # type: ignore[no-untyped-def]
    if form is not None:
        ranges = [(v.min, v.max) for v in _validators(form, name) if isinstance(v, NumberRange)]
        assert ranges == [(limit.minimum, limit.maximum)]
    for schema in in_schemas:
        field = schema._declared_fields[name]
        assert (field.minimum, field.maximum) == (limit.minimum, limit.maximum)
    # The other end of an hours pair stays valid while this one moves.
    other = {"hours_min": "hours_max", "hours_max": "hours_min"}.get(name)
    for value in (limit.minimum, limit.maximum):
        extra = {other: value} if other else {}
        probe(db, **{name: value}, **extra)
    for value in (limit.minimum - 1, limit.maximum + 1):
        with pytest.raises(ValidationError):
            probe(db, **{name: value})
