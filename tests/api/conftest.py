"""Fixtures for the API tests: tokens, a client helper, and a world of two tenants each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from models.enums import OrganisationKind, Role, SlotStatus, SuggestionStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.mentor_slots import set_mentor_slot_status
from models.operations.tokens import create_token
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile


@pytest.fixture()
def token_for(db: Session) -> Callable[[User], str]:
    def make(user: User, days: int = 90) -> str:
        _token, secret = create_token(db, user, "test", days)
        db.flush()
        return secret

    return make


class Api:
    """Calls the API with a bearer token (or without one)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(
        self, method: str, path: str, token: str | None = None, json: Any = None, **kw: Any
    ) -> Any:
        headers = kw.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if json is not None:
            kw["json"] = json
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kw)


@pytest.fixture()
def api(client: Any) -> Api:
    return Api(client)


@dataclass
class World:
    users: dict[str, User]
    youth_a: YouthProfile
    youth_b: YouthProfile
    opening_a: JobOpening
    opening_b: JobOpening
    slot_company: MentorSlot
    slot_a: MentorSlot
    slot_b: MentorSlot
    suggestion_a: Suggestion  # youth A x opening A, proposed
    suggestion_b: Suggestion  # youth B x opening A, proposed (another municipality)
    proposal_a: Suggestion  # approved, for company A's opening
    proposal_b: Suggestion  # approved, for company B's opening
    offer_a: Suggestion  # approved, for mentor A's slot
    offer_b: Suggestion  # approved, for mentor B's slot


@pytest.fixture()
def world(
    db: Session, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion
) -> World:
    users = {
        "admin": make_user(Role.ADMIN),
        "caseworker": make_user(Role.CASEWORKER, municipality_code=101),
        "caseworker_b": make_user(Role.CASEWORKER, municipality_code=147),
        "company": make_user(Role.COMPANY),
        "company_b": make_user(Role.COMPANY),
        "mentor": make_user(Role.MENTOR),
        "mentor_b": make_user(Role.MENTOR, organisation=make_org(OrganisationKind.CIVIL_SOCIETY)),
    }
    youth_a = make_youth(users["caseworker"], support_notes="Har brug for ro")
    youth_b = make_youth(users["caseworker_b"], postcode="2000")
    opening_a = make_opening(users["company"])
    opening_b = make_opening(users["company_b"], publish=False)
    slot_company = make_slot(users["company"], title="Mentor på arbejdspladsen")
    slot_a = make_slot(users["mentor"])
    slot_b = make_slot(users["mentor_b"])
    set_mentor_slot_status(db, users["mentor_b"], slot_b, SlotStatus.PAUSED)
    extra_youth = make_youth(users["caseworker"], birth_year=youth_a.birth_year - 3)
    approved = {"status": SuggestionStatus.APPROVED, "pitch": "Mødestabil og glad for kunder"}
    world = World(
        users=users,
        youth_a=youth_a,
        youth_b=youth_b,
        opening_a=opening_a,
        opening_b=opening_b,
        slot_company=slot_company,
        slot_a=slot_a,
        slot_b=slot_b,
        suggestion_a=make_suggestion(youth_a, opening_a),
        suggestion_b=make_suggestion(youth_b, opening_a),
        proposal_a=make_suggestion(extra_youth, opening_a, **approved),
        proposal_b=make_suggestion(extra_youth, opening_b, **approved),
        offer_a=make_suggestion(youth_a, slot_a, **approved),
        offer_b=make_suggestion(extra_youth, slot_b, **approved),
    )
    db.flush()
    return world
