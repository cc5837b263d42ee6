"""Hypothesis fuzzing of the API's and the forms' validation.

One field of a valid request is replaced by something hostile (overlong text, NUL, lone
surrogates, wrong types, negative or huge numbers, dates far away): the answer is a clear
4xx naming the field, and nothing is stored.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import spec
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.token import ApiToken
from models.youth import YouthProfile
from web.api.schemas import MentorSlotInSchema, OpeningCreateSchema, ProfileInSchema

EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

#: Longer than any text field may be (models/spec.py).
OVERLONG = max(limit.max_length for limit in (spec.TITLE, spec.DESCRIPTION, spec.SUPPORT_NOTES))
hostile_text = st.one_of(
    st.text(min_size=OVERLONG + 1, max_size=OVERLONG + 1000),
    st.just("\x00"),
    st.just("ok\ud800"),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
    st.booleans(),
)
hostile_int = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=10**3, max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.booleans(),
)
hostile_list = st.one_of(
    st.text(max_size=5),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.lists(st.text(min_size=301, max_size=400), min_size=1, max_size=2),
    st.lists(st.just("a"), min_size=60, max_size=80),
    st.integers(),
)
hostile_date = st.one_of(
    st.dates().filter(lambda d: not 1900 <= d.year <= 2099).map(lambda d: d.isoformat()),
    st.text(max_size=12),
    st.integers(),
    st.just("2026-02-30"),
)
unicode_key = st.text(min_size=1, max_size=20).filter(lambda k: k.isprintable())

OPENING = {
    "title": hostile_text,
    "postcode": st.one_of(hostile_text, st.just("9999"), st.just("０１２３")),
    "description": hostile_text,
    "required_skills": hostile_list,
    "hours_min": hostile_int,
    "seats": hostile_int,
    "min_age": hostile_int,
    "driving_licence_required": st.one_of(st.text(max_size=3), st.integers()),
    "start_date": hostile_date,
    "expires": hostile_date,
}
PROFILE = {
    "birth_year": hostile_int,
    "postcode": hostile_text,
    "skills": hostile_list,
    "max_commute_km": hostile_int,
    "support_notes": st.one_of(
        hostile_text, st.just("CPR 010203-1234"), st.just("ring 12 34 56 78")
    ),
    "available_from": hostile_date,
    "languages": hostile_list,
}
SLOT = {
    "title": hostile_text,
    "capacity": hostile_int,
    "max_distance_km": hostile_int,
    "interests": hostile_list,
    "available_until": hostile_date,
}


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def _fuzz(api, db, token, path, valid, hostile, model, schema):
    before = _count(db, model)

    @SETTINGS
    @given(field=st.sampled_from(sorted(hostile)), data=st.data())
    def run(field, data):
        value = data.draw(hostile[field], label=field)
        body = {**valid, field: value}
        response = api("POST", path, token, json=body)
        assert 400 <= response.status_code < 500, (field, value, response.text[:300])
        assert response.mimetype == "application/problem+json"
        assert response.json["errors"], response.json
        assert _count(db, model) == before

    run()

    @SETTINGS
    @given(key=unicode_key.filter(lambda k: k not in schema().fields), value=st.text(max_size=10))
    def unknown_field(key, value):
        response = api("POST", path, token, json={**valid, key: value})
        assert response.status_code == 422
        assert key in response.json["errors"]
        assert _count(db, model) == before

    unknown_field()


def test_fuzz_opening_validation(api, world, token_for, db):
    valid = {"title": "Kok", "postcode": "2300", "hours_min": 20, "hours_max": 30}
    _fuzz(
        api,
        db,
        token_for(world.users["company"]),
        "/openings",
        valid,
        OPENING,
        JobOpening,
        OpeningCreateSchema,
    )


def test_fuzz_profile_validation(api, world, token_for, db):
    valid = {"birth_year": 2006, "postcode": "2200"}
    token = token_for(world.users["caseworker"])
    _fuzz(api, db, token, "/profiles", valid, PROFILE, YouthProfile, ProfileInSchema)


def test_fuzz_mentor_slot_validation(api, world, token_for, db):
    valid = {"title": "Mentor", "postcode": "2200"}
    _fuzz(
        api,
        db,
        token_for(world.users["mentor"]),
        "/mentor-slots",
        valid,
        SLOT,
        MentorSlot,
        MentorSlotInSchema,
    )


def test_fuzz_bodies_that_are_not_objects(api, world, token_for, db):
    token = token_for(world.users["company"])
    before = _count(db, JobOpening)

    @SETTINGS
    @given(body=st.one_of(st.lists(st.integers()), st.text(), st.integers(), st.none()))
    def run(body):
        response = api("POST", "/openings", token, json=body)
        assert response.status_code in (415, 422)
        assert _count(db, JobOpening) == before

    run()
    raw = api("POST", "/openings", token, data=b"{not json", content_type="application/json")
    assert raw.status_code == 422
    form = api("POST", "/openings", token, data={"title": "x"})
    assert form.status_code == 415


def test_fuzz_token_form(client, login_as, make_user, db):
    """The web form for tokens: hostile names and day counts are refused, nothing stored."""
    from models.enums import Role

    user = login_as(make_user(Role.COMPANY))

    @SETTINGS
    @given(
        name=st.one_of(st.text(min_size=101, max_size=300), st.just(""), st.just("   ")),
        days=st.one_of(
            st.integers(max_value=0).map(str),
            st.integers(min_value=366, max_value=10**20).map(str),
            st.text(max_size=8).filter(lambda t: not t.strip().isdigit()),
        ),
        bad=st.sampled_from(["name", "days", "both"]),
    )
    def run(name, days, bad):
        data = {
            "name": name if bad in ("name", "both") else "ok",
            "days": days if bad in ("days", "both") else "30",
        }
        response = client.post("/account/tokens", data=data)
        assert response.status_code == 422, data
        assert (
            db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))
            == 0
        )

    run()
