"""Former jobs and preferred kinds on the profile; "Mulige fag" / "Possible occupations" on
the profile page with their reasons; "Tilføj som ønske" adds one as a wish (audited); each
wish shows what it was understood as."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.errors import ValidationError
from models.operations.profiles import ProfileInput, add_wished_occupation, update_profile
from models.youth import YouthProfile

MOVER = "http://data.europa.eu/esco/occupation/c84a055d-00fe-4789-a054-f4a62914ff6e"
WAREHOUSE_SKILLS = ["gaffeltruck", "pakning", "lagerstyring", "rengøring"]


@pytest.fixture()
def no_wish(make_youth, caseworker):
    return make_youth(
        caseworker, skills=WAREHOUSE_SKILLS, wished_occupations=[], former_jobs=["flyttearbejder"]
    )


def _updates(db, profile):
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "profile.update", AuditEvent.object_id == profile.id
            )
        )
    )


# --- the operation -----------------------------------------------------------------------


def test_former_jobs_and_kinds_are_stored_in_the_kinds_order(db, make_youth, caseworker):
    profile = make_youth(
        caseworker,
        former_jobs=[" opvasker ", ""],
        preferred_kinds=["education", "job", "education"],
    )
    assert profile.former_jobs == ["opvasker"]
    assert profile.preferred_kinds == ["job", "education"]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"preferred_kinds": ["freelance"]}, "preferred_kinds"),
        ({"former_jobs": ["opvasker, ring 12 34 56 78"]}, "former_jobs"),
        ({"former_jobs": ["opvasker hos 010203-1234"]}, "former_jobs"),
        (
            {"wished_occupations": ["http://data.europa.eu/esco/occupation/nope"]},
            "wished_occupations",
        ),
    ],
)
def test_kinds_come_from_the_list_and_former_jobs_pass_the_identifier_guard(
    db, make_youth, caseworker, change, field
):
    profile = make_youth(caseworker)
    data = ProfileInput.of(profile)
    for name, value in change.items():
        setattr(data, name, value)
    with pytest.raises(ValidationError) as caught:
        update_profile(db, caseworker, profile, data)
    assert caught.value.field == field


def test_an_esco_uri_is_kept_although_its_digits_look_like_a_phone_number(
    db, make_youth, caseworker
):
    # 0019b951-c699-4191-8208-9822882d150c: "4191-8208" would pass for a phone number as text.
    uri = "http://data.europa.eu/esco/occupation/0019b951-c699-4191-8208-9822882d150c"
    profile = make_youth(caseworker, wished_occupations=[uri], former_jobs=[uri])
    assert profile.wished_occupations == [uri]
    assert profile.former_jobs == [uri]


def test_add_wished_occupation_is_a_profile_change_once(db, no_wish, caseworker):
    assert add_wished_occupation(db, caseworker, no_wish, MOVER) is True
    assert no_wish.wished_occupations == [MOVER]
    assert add_wished_occupation(db, caseworker, no_wish, MOVER) is False
    assert no_wish.wished_occupations == [MOVER]
    events = _updates(db, no_wish)
    assert [e.details["fields"] for e in events] == [["wished_occupations"]]
    with pytest.raises(ValidationError):
        add_wished_occupation(db, caseworker, no_wish, "http://example.org/not-esco")


# --- the form ----------------------------------------------------------------------------


def test_form_records_former_jobs_and_kinds_and_shows_them(client, db, caseworker, form_data):
    response = client.post(
        "/caseworker/profiles/new",
        data=form_data(
            former_jobs="opvasker, flyttemand", preferred_kinds=["small_job", "education"]
        ),
    )
    assert response.status_code == 302
    profile = db.scalars(select(YouthProfile)).one()
    assert profile.former_jobs == ["opvasker", "flyttemand"]
    assert profile.preferred_kinds == ["small_job", "education"]
    page = client.get(response.location).text
    assert "opvasker, flyttemand" in page
    assert "Småjob (få timer), Uddannelsesplads" in page  # the opening kinds' own labels
    form = client.get(f"/caseworker/profiles/{profile.id}/edit").text
    checked = re.findall(
        r'<input checked id="preferred_kinds-\d" name="preferred_kinds" '
        r'type="checkbox" value="(\w+)"',
        form,
    )
    assert checked == ["small_job", "education"]
    assert 'data-autocomplete-url="/occupations/search"' in form
    assert 'list="wished_occupations-options"' in form and "data-autocomplete-multiple" in form
    assert "Tidligere job" in form and "Foretrukne typer" in form


def test_form_refuses_an_unknown_kind_in_danish(client, db, caseworker, form_data):
    response = client.post(
        "/caseworker/profiles/new", data=form_data(preferred_kinds=["freelance"])
    )
    assert response.status_code == 422
    assert "Vælg de foretrukne typer fra listen." in response.text
    assert db.scalar(select(YouthProfile.id)) is None


def test_a_wish_added_by_uri_stays_a_uri_when_the_form_is_saved_again(
    client, db, no_wish, caseworker
):
    add_wished_occupation(db, caseworker, no_wish, MOVER)
    form = client.get(f"/caseworker/profiles/{no_wish.id}/edit").text
    assert 'value="flyttearbejder"' in form  # shown by its label, not its URI
    edited = {
        "birth_year": str(no_wish.birth_year),
        "postcode": no_wish.postcode,
        "max_commute_km": "20",
        "education_level": "primary",
        "skills": ", ".join(WAREHOUSE_SKILLS),
        "wished_occupations": "flyttearbejder, bager",
        "hours_min": "10",
        "hours_max": "37",
        "languages": "da",
    }
    assert client.post(f"/caseworker/profiles/{no_wish.id}/edit", data=edited).status_code == 302
    db.refresh(no_wish)
    assert no_wish.wished_occupations == [MOVER, "bager"]


# --- the profile page --------------------------------------------------------------------


def test_profile_page_shows_possible_occupations_with_reasons_in_danish(client, no_wish):
    page = client.get(f"/caseworker/profiles/{no_wish.id}").text
    assert "Mulige fag" in page
    assert "Et forslag at tale igennem med den unge" in page
    assert "flyttearbejder" in page
    assert "Kompetencer: gaffeltruck, pakning, rengøring (3 af 4 genkendte); tidligere job" in page
    assert page.count("Tilføj som ønske") == 5
    assert f'name="occupation" value="{MOVER}"' in page
    assert 'name="csrf_token"' in page


def test_profile_page_in_english(client, no_wish):
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get(f"/caseworker/profiles/{no_wish.id}").text
    assert "Possible occupations" in page
    assert "mover" in page
    assert (
        "Skills: operate forklift, pack goods, clean surfaces (3 of 4 recognised); former job"
        in page
    )
    assert "Add as wish" in page


def test_add_as_wish_adds_the_uri_audited_and_says_so(client, db, no_wish):
    response = client.post(f"/caseworker/profiles/{no_wish.id}/wishes", data={"occupation": MOVER})
    assert response.status_code == 302
    assert response.location.endswith(f"/caseworker/profiles/{no_wish.id}")
    db.refresh(no_wish)
    assert no_wish.wished_occupations == [MOVER]
    assert _updates(db, no_wish)
    page = client.get(response.location).text
    assert "flyttearbejder er tilføjet som ønske." in page
    assert "forstået som: flyttearbejder" in page
    assert "Allerede et ønske" in page
    assert page.count("Tilføj som ønske") == 4
    again = client.post(f"/caseworker/profiles/{no_wish.id}/wishes", data={"occupation": MOVER})
    assert "Dette fag er allerede et ønske." in client.get(again.location).text
    db.refresh(no_wish)
    assert no_wish.wished_occupations == [MOVER]


def test_add_as_wish_refuses_an_unknown_occupation(client, db, no_wish):
    page = f"/caseworker/profiles/{no_wish.id}"
    response = client.post(
        f"{page}/wishes",
        data={"occupation": "bager"},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert response.status_code == 303 and response.location == page
    assert "Ukendt fag." in client.get(page).text
    db.refresh(no_wish)
    assert no_wish.wished_occupations == []


def test_add_as_wish_on_a_foreign_profile_is_404(
    client, db, make_youth, caseworker, foreign_caseworker
):
    foreign = make_youth(foreign_caseworker, postcode="8000", wished_occupations=[])
    response = client.post(f"/caseworker/profiles/{foreign.id}/wishes", data={"occupation": MOVER})
    assert response.status_code == 404
    db.refresh(foreign)
    assert foreign.wished_occupations == []
    assert not _updates(db, foreign)


def test_each_wish_shows_what_it_was_understood_as(client, make_youth, caseworker):
    profile = make_youth(caseworker, wished_occupations=["bager", "drømmejob xyz"])
    page = client.get(f"/caseworker/profiles/{profile.id}").text
    assert 'bager <span class="understood">(forstået som: bager' in page
    assert 'drømmejob xyz <span class="understood">(ikke genkendt)' in page
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get(f"/caseworker/profiles/{profile.id}").text
    assert "(understood as: baker" in page
    assert "(not recognised)" in page


def test_no_possible_occupations_without_skills_jobs_or_interests(client, make_youth, caseworker):
    profile = make_youth(caseworker, skills=[], interests=[])
    page = client.get(f"/caseworker/profiles/{profile.id}").text
    assert "Mulige fag" not in page
