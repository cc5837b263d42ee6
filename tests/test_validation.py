"""Bad input gets a clear error: CVR, e-mail, personal identifiers in free text, ages."""

from datetime import date

import pytest

from models.enums import OrganisationKind, Role
from models.errors import ValidationError
from models.operations.accounts import create_organisation, create_user
from models.operations.profiles import ProfileInput, create_profile
from models.validation import check_cvr, check_email, check_free_text


@pytest.mark.parametrize("cvr", ["24256790", "61056416", "2275 6214"])
def test_valid_cvr(cvr):
    assert check_cvr(cvr) == cvr.replace(" ", "")


@pytest.mark.parametrize(
    "cvr,message",
    [
        ("1234567", "8 digits"),
        ("123456789", "8 digits"),
        ("abcdefgh", "8 digits"),
        ("", "8 digits"),
        ("01234567", "8 digits"),
        ("24256791", "not a valid CVR"),
    ],
)
def test_invalid_cvr(cvr, message):
    with pytest.raises(ValidationError) as err:
        check_cvr(cvr)
    assert message in err.value.message
    assert err.value.field == "cvr"


def test_email():
    assert check_email(" Anna@Example.DK ") == "anna@example.dk"
    for bad in ["anna", "anna@", "@example.dk", "anna@@example.dk", ""]:
        with pytest.raises(ValidationError):
            check_email(bad)


@pytest.mark.parametrize(
    "text,what",
    [
        ("CPR 010203-1234", "CPR"),
        ("født 0102031234", "CPR"),
        ("skriv til anna.b@gmail.com", "e-mail"),
        ("ring 20 30 40 50", "phone"),
        ("tlf +45 20304050", "phone"),
        ("mobil 22334455", "phone"),
    ],
)
def test_free_text_refuses_identifiers(text, what):
    with pytest.raises(ValidationError) as err:
        check_free_text("support_notes", text)
    assert what in err.value.message


@pytest.mark.parametrize(
    "text",
    [
        "Vil gerne arbejde med dyr",
        "Har truckcertifikat fra 2024",
        "37 timer om ugen",
        "",
    ],
)
def test_free_text_allows_ordinary_text(text):
    assert check_free_text("notes", text) == text


def test_company_needs_valid_cvr(db):
    with pytest.raises(ValidationError) as err:
        create_organisation(db, kind=OrganisationKind.COMPANY, name="Firma", cvr="12345678")
    assert err.value.field == "cvr"


def test_profile_age_must_be_15_to_29(db, make_user):
    caseworker = make_user(Role.CASEWORKER)
    year = date.today().year
    for birth_year in (year - 14, year - 30):
        with pytest.raises(ValidationError) as err:
            create_profile(db, caseworker, ProfileInput(birth_year=birth_year, postcode="2200"))
        assert err.value.field == "birth_year"
    assert create_profile(db, caseworker, ProfileInput(birth_year=year - 15, postcode="2200"))
    assert create_profile(db, caseworker, ProfileInput(birth_year=year - 29, postcode="2200"))


def test_profile_refuses_identifiers_in_every_free_text_field(db, make_user):
    caseworker = make_user(Role.CASEWORKER)
    year = date.today().year
    for field in ("skills", "interests", "wished_occupations"):
        with pytest.raises(ValidationError) as err:
            create_profile(
                db,
                caseworker,
                ProfileInput(
                    birth_year=year - 20, postcode="2200", **{field: ["mail mig på x@y.dk"]}
                ),
            )
        assert err.value.field == field
    with pytest.raises(ValidationError):
        create_profile(
            db,
            caseworker,
            ProfileInput(birth_year=year - 20, postcode="2200", support_notes="CPR 311299-1234"),
        )


def test_user_rules(db, make_org):
    with pytest.raises(ValidationError) as err:
        create_user(db, email="x@example.dk", password="short", role=Role.ADMIN)
    assert err.value.field == "password"
    with pytest.raises(ValidationError) as err:
        create_user(db, email="cw@example.dk", password="long-enough-pw", role=Role.CASEWORKER)
    assert err.value.field == "municipality"
    with pytest.raises(ValidationError) as err:
        create_user(
            db,
            email="co@example.dk",
            password="long-enough-pw",
            role=Role.COMPANY,
            organisation=make_org(OrganisationKind.CIVIL_SOCIETY),
        )
    assert err.value.field == "organisation"
