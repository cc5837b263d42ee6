"""Titles become mail subjects: they are one line, at every door (finding 4).

Forms, the API and the operations refuse a title with a line break, with a clear message in
Danish (and English); the OpenAPI document states the rule as a pattern.
"""

from __future__ import annotations

import re

import pytest

from models.enums import OrganisationKind, Role
from models.errors import ValidationError
from models.operations.accounts import create_organisation
from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
from models.operations.openings import OpeningInput, post_opening
from tests.web_partner.test_company import opening_form
from tests.web_partner.test_mentor import slot_form

BREAKS = ["Kok\nBcc: x@evil.example", "Kok\r\nBcc: x", "Kok\rx", "Kok\u2028x", "Kok\x85x"]
DANISH = "Skriv det på én linje: linjeskift er ikke tilladt."
ENGLISH = "Write it on one line: line breaks are not allowed."


@pytest.mark.parametrize("title", BREAKS)
def test_operations_refuse_a_title_with_a_line_break(db, make_user, title):
    company = make_user(Role.COMPANY)
    with pytest.raises(ValidationError) as error:
        post_opening(db, company, OpeningInput(title=title, postcode="2300"))
    assert error.value.field == "title"
    mentor = make_user(Role.MENTOR)
    with pytest.raises(ValidationError):
        create_mentor_slot(db, mentor, MentorSlotInput(title=title, postcode="2200"))
    with pytest.raises(ValidationError):
        create_organisation(db, kind=OrganisationKind.CIVIL_SOCIETY, name=title)


def test_a_one_line_title_is_kept(db, make_user):
    opening = post_opening(
        db, make_user(Role.COMPANY), OpeningInput(title="  Kok til kantinen ", postcode="2300")
    )
    assert opening.title == "Kok til kantinen"


def test_the_company_form_refuses_a_title_with_a_line_break_in_danish(client, company_user):
    response = client.post("/company/openings/new", data=opening_form(title="Kok\r\nBcc: x"))
    assert response.status_code == 422
    assert DANISH in response.text


def test_the_mentor_form_refuses_a_title_with_a_line_break(client, mentor_user):
    response = client.post("/mentor/slots/new", data=slot_form(title="Mentor\nBcc: x"))
    assert response.status_code == 422
    assert DANISH in response.text


def test_the_api_refuses_a_title_with_a_line_break_in_english(db, client, make_user):
    from models.operations.tokens import create_token

    user = make_user(Role.COMPANY)
    _token, secret = create_token(db, user, "test", 30)
    db.flush()
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}
    body = {"title": "Kok\nBcc: x@evil.example", "postcode": "2300"}
    response = client.post("/api/v1/openings", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["title"] == ENGLISH


def test_the_openapi_document_states_the_one_line_rule(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    titled = [name for name, schema in schemas.items() if "title" in schema.get("properties", {})]
    inputs = [name for name in titled if "In" in name or "Create" in name or "Patch" in name]
    assert inputs
    for name in inputs:
        pattern = schemas[name]["properties"]["title"]["pattern"]
        assert re.fullmatch(pattern, "Kok til kantinen")
        for title in BREAKS:
            assert not re.search(pattern, title), (name, title)
