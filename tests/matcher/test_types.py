from datetime import date

import pytest

from matcher import EngineConfig, MentorSlot, Opening, Reason, Youth


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
    import dataclasses

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
