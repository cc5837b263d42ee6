import dataclasses
import functools
import math
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import EngineConfig, MentorSlot, Opening, Reason, Youth
from matcher.types import build, in_bulk


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours_min": -1.0}, "hours_min=-1.0 is outside"),
        ({"hours_min": 30.0, "hours_max": 20.0}, "greater than hours_max"),
        ({"max_commute_km": -5.0}, "max_commute_km must be a non-negative"),
        ({"max_commute_km": float("nan")}, "max_commute_km must be a non-negative"),
        ({"birth_year": 1800}, "birth_year"),
        ({"status": "gone"}, "status"),
        ({"skills": ["list", "not tuple"]}, "skills must be a tuple"),
        ({"id": "7"}, "id must be an int"),
    ],
)
def test_youth_rejects_bad_values(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"id": 1, "birth_year": 2005, "postcode": "2600"}
    base.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Youth(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seats": 0}, "seats must be an int >= 1"),
        ({"hours_max": 100.0}, "outside"),
        ({"min_age": -1}, "min_age"),
        ({"kind": "gig"}, "kind"),
    ],
)
def test_opening_rejects_bad_values(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"id": 1, "title": "Kok", "postcode": "2600"}
    base.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Opening(**base)  # type: ignore[arg-type]


def test_slot_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="capacity -1 is negative"):
        MentorSlot(id=1, title="x", postcode="2600", capacity=-1)
    with pytest.raises(ValueError, match="available_from is after"):
        MentorSlot(
            id=1,
            title="x",
            postcode="2600",
            available_from=date(2027, 1, 2),
            available_until=date(2027, 1, 1),
        )


def test_config_rejects_unknown_and_negative_weights() -> None:
    with pytest.raises(ValueError, match="unknown components"):
        EngineConfig(opening_weights={"charisma": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        EngineConfig(opening_weights={"distance": -1.0, "occupation": 1.0})
    with pytest.raises(ValueError, match="seat_multiplier"):
        EngineConfig(seat_multiplier=0)


def test_reason_as_dict_and_locale() -> None:
    r = Reason(
        "distance",
        "12 km fra hjemmet, maks. 20",
        "12 km from home, max 20",
        (("km", 12), ("max_km", 20)),
    )
    assert r.text("da") == r.da and r.text("en-GB") == r.en
    assert r.as_dict() == {
        "code": "distance",
        "da": r.da,
        "en": r.en,
        "params": {"km": 12, "max_km": 20},
    }


def test_build_matches_equals_the_constructor() -> None:
    from matcher.types import Match, build_matches

    why = (Reason("text_similar", "a", "b"),)
    built = build_matches("opening", [7, 8], [0.5, 0.25], [{"text": 0.5}, {}], [why, ()], [1.0, 2])
    expected = [
        Match(7, "opening", 0.5, {"text": 0.5}, why, 1.0),
        Match(8, "opening", 0.25, {}, (), 2),
    ]
    assert built == expected
    assert [repr(m) for m in built] == [repr(m) for m in expected]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].score = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):  # columns of different lengths
        build_matches("opening", [7], [0.5, 0.25], [{}], [()], [1.0])


# --- bulk construction (build, in_bulk) ------------------------------------------------------


class _Id(int):
    """An int of another type: the constructor takes it, the bulk checks leave it to it."""


class _Text(str):
    """As :class:`_Id`, a str."""


_BUILDERS = {cls: functools.partial(build, cls) for cls in (Youth, Opening, MentorSlot)}
_IN_BULK = {cls: functools.partial(in_bulk, cls) for cls in (Youth, Opening, MentorSlot)}


def _columns(cls: type, objects: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """One column per field; a field an object leaves out takes the field's default."""
    columns: dict[str, list[Any]] = {}
    for f in dataclasses.fields(cls):
        columns[f.name] = [o.get(f.name, f.default) for o in objects]
    return columns


def _outcome(make: Any) -> tuple[Any, ...]:
    """What ``make()`` gives: its objects with every field's type, or its error."""
    try:
        made = make()
    except Exception as error:  # noqa: BLE001 - compared, whatever it is
        return ("error", type(error), str(error))
    typed = [
        tuple((getattr(m, f.name), _types(getattr(m, f.name))) for f in dataclasses.fields(m))
        for m in made
    ]
    return ("made", made, typed)


def _types(value: Any) -> Any:
    if isinstance(value, tuple):
        return (tuple, tuple(type(v) for v in value))
    return type(value)


def _same_as_one_by_one(cls: type, objects: list[dict[str, Any]]) -> tuple[Any, ...]:
    columns = _columns(cls, objects)
    built = _outcome(lambda: _BUILDERS[cls](columns))
    expected = _outcome(lambda: [cls(**o) for o in objects])
    assert built == expected
    return built


_GOOD = {
    Youth: {
        "id": 1,
        "birth_year": 2005,
        "postcode": "2600",
        "max_commute_km": 12.5,
        "education_level": "primary",
        "skills": ("kok", "opvask"),
        "interests": ("fodbold",),
        "wished_occupations": ("http://data.europa.eu/esco/occupation/x",),
        "hours_min": 10.0,
        "hours_max": 37.0,
        "languages": ("da", "en"),
        "driving_licence": True,
        "needs_mentor": True,
        "available_from": date(2027, 1, 1),
        "former_jobs": ("opvasker",),
        "preferred_kinds": ("education", "small_job"),
    },
    Opening: {
        "id": 1,
        "title": "Kok",
        "postcode": "2600",
        "description": "Køkken",
        "occupation_uri": "http://data.europa.eu/esco/occupation/x",
        "kind": "apprenticeship",
        "required_skills": ("kok",),
        "nice_skills": (),
        "hours_min": 37.0,
        "hours_max": 37.0,
        "seats": 2,
        "min_age": 18,
        "driving_licence_required": True,
        "languages": ("da",),
        "mentor_at_workplace": True,
        "start_date": date(2027, 1, 1),
        "expires": date(2027, 2, 1),
    },
    MentorSlot: {
        "id": 1,
        "title": "Mentor",
        "postcode": "2600",
        "description": "Frivillig",
        "interests": ("fodbold",),
        "languages": ("da", "ar"),
        "max_distance_km": 30.0,
        "capacity": 0,
        "available_from": date(2027, 1, 1),
        "available_until": date(2027, 1, 1),
    },
}


@pytest.mark.parametrize("cls", [Youth, Opening, MentorSlot])
def test_bulk_makes_the_constructors_objects(cls: type) -> None:
    objects = [_GOOD[cls], {**_GOOD[cls], "id": 2}, {"id": 3, "title": "x", "postcode": "1"}]
    if cls is Youth:
        objects[2] = {"id": 3, "birth_year": 1900, "postcode": "1"}
    columns = _columns(cls, objects)
    made = _IN_BULK[cls](columns)
    assert made is not None  # the bulk path, not the constructor's
    assert _outcome(lambda: made) == _outcome(lambda: [cls(**o) for o in objects])
    assert repr(made) == repr([cls(**o) for o in objects])
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].id = 5
    assert _IN_BULK[cls](_columns(cls, [])) == []


@pytest.mark.parametrize(
    ("cls", "bad"),
    [
        (Youth, {"id": "7"}),
        (Youth, {"id": True}),
        (Youth, {"birth_year": 1899}),
        (Youth, {"birth_year": 2101}),
        (Youth, {"birth_year": 2005.0}),
        (Youth, {"postcode": 2600}),
        (Youth, {"max_commute_km": -0.5}),
        (Youth, {"max_commute_km": math.inf}),
        (Youth, {"max_commute_km": math.nan}),
        (Youth, {"max_commute_km": True}),
        (Youth, {"hours_min": math.nan}),
        (Youth, {"hours_min": -1.0}),
        (Youth, {"hours_max": 80.5}),
        (Youth, {"hours_max": 10**400}),
        (Youth, {"hours_min": 30.0, "hours_max": 20.0}),
        (Youth, {"skills": ["list", "not tuple"]}),
        (Youth, {"languages": ("da", 5)}),
        (Youth, {"preferred_kinds": ("job", "gig")}),
        (Youth, {"status": "gone"}),
        (Youth, {"status": ["active"]}),
        (Opening, {"id": None}),
        (Opening, {"title": None}),
        (Opening, {"description": None}),
        (Opening, {"postcode": None}),
        (Opening, {"kind": "gig"}),
        (Opening, {"kind": ["job"]}),
        (Opening, {"seats": 0}),
        (Opening, {"seats": 1.0}),
        (Opening, {"min_age": 101}),
        (Opening, {"min_age": -1}),
        (Opening, {"hours_min": 38.0, "hours_max": 37.5}),
        (Opening, {"nice_skills": ("a", b"b")}),
        (Opening, {"status": "gone"}),
        (MentorSlot, {"title": 1}),
        (MentorSlot, {"postcode": None}),
        (MentorSlot, {"max_distance_km": -1}),
        (MentorSlot, {"capacity": -1}),
        (MentorSlot, {"capacity": False}),
        (MentorSlot, {"interests": "fodbold"}),
        (MentorSlot, {"available_until": date(2026, 12, 31)}),
        (MentorSlot, {"available_from": datetime(2027, 1, 1, 12)}),  # vs date: TypeError
        (MentorSlot, {"status": "full "}),
    ],
)
def test_bulk_refuses_what_the_constructor_refuses(cls: type, bad: dict[str, Any]) -> None:
    """A bad value anywhere: no bulk objects, and the constructor's error for the first bad
    object (the objects after it bad as well, in another way)."""
    later = {"hours_min": 30.0, "hours_max": 20.0} if cls is not MentorSlot else {"capacity": -2}
    objects = [_GOOD[cls], {**_GOOD[cls], **bad, "id": bad.get("id", 2)}, {**_GOOD[cls], **later}]
    assert _IN_BULK[cls](_columns(cls, objects[:2])) is None
    outcome = _same_as_one_by_one(cls, objects)
    # All but the datetime (which the constructor takes) are errors.
    assert outcome[0] == "error" or "available_from" in bad


@pytest.mark.parametrize(
    ("cls", "unusual", "in_bulk"),
    [
        (Youth, {"hours_min": 10, "hours_max": 37, "max_commute_km": 20}, True),
        (Youth, {"id": _Id(2), "birth_year": _Id(2000)}, False),
        (Youth, {"skills": (_Text("kok"),)}, False),
        (Opening, {"min_age": True}, False),
        (Opening, {"seats": 2**70}, True),
        (MentorSlot, {"capacity": 2**70, "max_distance_km": 5}, True),
        (MentorSlot, {"available_from": datetime(2027, 1, 1), "available_until": None}, False),
    ],
)
def test_bulk_keeps_what_the_constructor_keeps(
    cls: type, unusual: dict[str, Any], in_bulk: bool
) -> None:
    objects = [_GOOD[cls], {**_GOOD[cls], "id": 2, **unusual}]
    assert (_IN_BULK[cls](_columns(cls, objects)) is not None) is in_bulk
    outcome = _same_as_one_by_one(cls, objects)
    assert outcome[0] == "made"


@pytest.mark.parametrize("cls", [Youth, Opening, MentorSlot])
def test_bulk_wants_every_column_of_one_length(cls: type) -> None:
    columns = _columns(cls, [_GOOD[cls]])
    del columns["id"]
    with pytest.raises(TypeError, match="columns must be exactly"):
        _BUILDERS[cls](columns)
    columns = _columns(cls, [_GOOD[cls], _GOOD[cls]])
    columns["postcode"] = columns["postcode"][:1]
    assert _IN_BULK[cls](columns) is None
    with pytest.raises(ValueError, match="shorter"):  # zip(strict=True), as before
        _BUILDERS[cls](columns)


_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "job", "education", "gig", "active", "open", "closed", "2600"]),
    st.tuples(st.sampled_from(["job", "da", "", "gig"])),
    st.just(("job", 1)),
    st.just(["job"]),
    st.just(date(2027, 1, 1)),
)


@st.composite
def _objects(draw: st.DrawFn, cls: type) -> list[dict[str, Any]]:
    """Mostly good objects, each with a few fields drawn from anything at all."""
    names = [f.name for f in dataclasses.fields(cls)]
    objects = []
    for i in range(draw(st.integers(0, 4))):
        o = {**_GOOD[cls], "id": i}
        for name in draw(st.lists(st.sampled_from(names), max_size=2)):
            o[name] = draw(_ANY)
        objects.append(o)
    return objects


@pytest.mark.parametrize("cls", [Youth, Opening, MentorSlot])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_bulk_is_the_constructor_for_anything(cls: type, data: st.DataObject) -> None:
    _same_as_one_by_one(cls, data.draw(_objects(cls)))
