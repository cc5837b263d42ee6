"""Languages by name: picked by name, stored as ISO 639-1 codes, shown by name on cards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.enums import Role
from models.errors import ValidationError
from models.languages import check_languages, language_name
from models.youth import YouthProfile


@pytest.mark.parametrize(
    "typed,codes",
    [
        (["dansk"], ["da"]),
        (["Danish", "somali"], ["da", "so"]),
        (["da", "so", "DA"], ["da", "so"]),
        (["arabisk", "Tigrinya", "kurdisk"], ["ar", "ku", "ti"]),
    ],
)
def test_names_and_codes_are_stored_as_iso_639_1(typed, codes):
    assert check_languages(typed) == codes


def test_unknown_language_is_named_in_the_message():
    with pytest.raises(ValidationError) as err:
        check_languages(["dansk", "klingonsk"])
    assert err.value.params == {"found": "klingonsk"}


def test_names_come_from_babel_in_both_languages():
    assert language_name("so", "da") == "somali"
    assert language_name("ar", "en") == "Arabic"


def test_caseworker_picks_by_name_and_typed_names_are_accepted(db, client, make_user, login_as):
    caseworker = login_as(make_user(Role.CASEWORKER))
    form = client.get("/caseworker/profiles/new")
    assert '<option value="so">somali</option>' in form.text
    assert '<option selected value="da">dansk</option>' in form.text
    response = client.post(
        "/caseworker/profiles/new",
        data={
            "birth_year": "2004",
            "postcode": "2200",
            "max_commute_km": "20",
            "education_level": "primary",
            "hours_min": "10",
            "hours_max": "37",
            "languages": ["dansk, arabisk", "so"],
            "consent": "y",
        },
    )
    assert response.status_code == 302, response.text
    profile = db.scalars(
        select(YouthProfile).where(YouthProfile.caseworker_id == caseworker.id)
    ).one()
    assert profile.languages == ["ar", "da", "so"]
    page = client.get(f"/caseworker/profiles/{profile.id}")
    assert "arabisk, dansk, somali" in page.text


def test_partner_card_shows_language_names(
    db, client, make_user, make_youth, make_opening, approved, login_as
):
    company = make_user(Role.COMPANY)
    youth = make_youth(languages=["ar", "da"])
    opening = make_opening(company)
    approved(youth, opening)
    login_as(company)
    page = client.get(f"/company/openings/{opening.id}")
    assert "arabisk, dansk" in page.text
    assert ">ar, da<" not in page.text


def test_api_accepts_names_and_returns_codes(db, api, make_user, token_for):
    company = make_user(Role.COMPANY)
    response = api(
        "POST",
        "/openings",
        token_for(company),
        json={"title": "Lager", "postcode": "2300", "languages": ["dansk", "English"]},
    )
    assert response.status_code == 201, response.text
    assert response.json["languages"] == ["da", "en"]
