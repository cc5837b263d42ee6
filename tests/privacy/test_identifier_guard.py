"""The identifier guard on every free-text field, through the operations forms and API use."""

from __future__ import annotations

import pytest

from models.enums import Role, SuggestionStatus
from models.errors import ValidationError
from models.operations.profiles import ProfileInput, create_profile
from models.operations.suggestions import (
    answer_as_company,
    answer_as_mentor,
    approve_suggestion,
    reject_suggestion,
)
from models.validation import check_free_text
from tests.conftest import TODAY

PLANTED = {
    "name": "Mads Jensen fra Valby",
    "address": "Bor på Valby Langgade 112",
    "birthdate": "født 12. marts 2006",
    "social": "Instagram @madsj03",
    "plate": "bil AB 12 345",
}


@pytest.mark.parametrize(
    "text,kind,said",
    [
        ("Mads Jensen fra Valby", "name", "Mads Jensen"),
        ("Bor på Valby Langgade 112, 2. tv", "address", "Valby Langgade 112"),
        ("Bor i 2500 Valby", "address", "2500 Valby"),
        ("Født 12. marts 2006", "birthdate", "12. marts 2006"),
        ("Instagram @madsj03", "social", "@madsj03"),
        ("facebook.com/mads.jensen.77", "social", "facebook.com/mads.jensen.77"),
        ("Nummerplade AB 12 345", "plate", "AB 12 345"),
    ],
)
def test_message_says_what_was_found(text, kind, said):
    with pytest.raises(ValidationError) as err:
        check_free_text("interests", text)
    assert said in str(err.value)
    assert err.value.params == {"found": said}


@pytest.mark.parametrize(
    "text",
    [
        "kan lide fodbold og Mads Mikkelsen-film",
        "har arbejdet på lager i Brøndby",
        "bor i Valby",
        "født i 2006",
        "kan arbejde 20 timer per uge",
        "starter 1 August",
    ],
)
def test_decided_clean_texts_pass(text):
    assert check_free_text("interests", text) == text


@pytest.mark.parametrize("field", ["skills", "interests", "wished_occupations", "support_notes"])
@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_profile_fields_refuse_identifiers(db, make_user, field, kind):
    caseworker = make_user(Role.CASEWORKER)
    text = PLANTED[kind]
    value = text if field == "support_notes" else ["truckkørsel", text]
    with pytest.raises(ValidationError) as err:
        create_profile(
            db,
            caseworker,
            ProfileInput(birth_year=TODAY.year - 20, postcode="2200", **{field: value}),
        )
    assert err.value.field == field


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_decisions_and_partner_answers_refuse_identifiers(
    db, make_user, make_youth, make_opening, make_slot, make_suggestion, kind
):
    text = PLANTED[kind]
    youth = make_youth()
    caseworker = youth.caseworker
    proposal = make_suggestion(youth, make_opening())
    with pytest.raises(ValidationError, match="anonymous") as err:
        approve_suggestion(db, caseworker, proposal, text)
    assert err.value.field == "pitch"
    with pytest.raises(ValidationError) as err:
        reject_suggestion(db, caseworker, proposal, "other", text)
    assert err.value.field == "reason"
    assert proposal.status is SuggestionStatus.PROPOSED

    approved = make_suggestion(youth, make_opening(), status=SuggestionStatus.APPROVED)
    company = make_user(Role.COMPANY, organisation=approved.opening.organisation)
    with pytest.raises(ValidationError) as err:
        answer_as_company(db, company, approved, True, text)
    assert err.value.field == "message"
    offer = make_suggestion(youth, make_slot(), status=SuggestionStatus.APPROVED)
    with pytest.raises(ValidationError) as err:
        answer_as_mentor(db, offer.mentor_slot.mentor, offer, False, text)
    assert err.value.field == "reason"
    db.refresh(approved)
    db.refresh(offer)
    assert approved.status is offer.status is SuggestionStatus.APPROVED
    assert approved.response_message is None and offer.response_message is None
