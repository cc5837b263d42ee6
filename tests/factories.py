"""Rows for tests, on any session: the one way a test makes an organisation, a user, a
profile, an opening, a mentor slot or a suggestion.

The ``make_*`` fixtures of tests/conftest.py are these functions on the test's rolled-back
session; tests that need a committed database (races, killed connections) call them on a
session of their own. Every user gets ``PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from models.enums import OrganisationKind, Role, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.accounts import create_organisation, create_user
from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
from models.operations.openings import OpeningInput, post_opening
from models.operations.profiles import ProfileInput, create_profile
from models.organisation import Organisation
from models.suggestion import Suggestion
from models.user import User
from models.validation import CVR_WEIGHTS
from models.youth import YouthProfile

PASSWORD = "correct-horse-battery"  # noqa: S105
TODAY = date.today()

_seq = count(1)


def valid_cvr(n: int) -> str:
    head = f"{1000000 + n * 7919 % 8999999:07d}"
    while True:
        check = -sum(int(d) * w for d, w in zip(head, CVR_WEIGHTS, strict=False)) % 11
        if check < 10:
            return head + str(check)
        head = f"{int(head) + 1:07d}"


def make_org(
    session: Session, kind: OrganisationKind = OrganisationKind.COMPANY, **kw: Any
) -> Organisation:
    n = next(_seq)
    kw.setdefault("name", f"Org {n}")
    if kind is OrganisationKind.COMPANY:
        kw.setdefault("cvr", valid_cvr(n))
    kw.setdefault("postcode", "2200")
    return create_organisation(session, kind=kind, **kw)


def make_user(session: Session, role: Role = Role.CASEWORKER, **kw: Any) -> User:
    n = next(_seq)
    kw.setdefault("email", f"user{n}@example.dk")
    if role is Role.CASEWORKER:
        kw.setdefault("municipality_code", 101)
    if role is Role.COMPANY:
        kw.setdefault("organisation", make_org(session))
    if role is Role.MENTOR:
        kw.setdefault("organisation", make_org(session, OrganisationKind.CIVIL_SOCIETY))
    return create_user(session, password=PASSWORD, role=role, **kw)


def make_youth(session: Session, caseworker: User | None = None, **kw: Any) -> YouthProfile:
    caseworker = caseworker or make_user(session, Role.CASEWORKER)
    kw.setdefault("birth_year", TODAY.year - 20)
    kw.setdefault("postcode", "2200")
    kw.setdefault("skills", ["kundeservice"])
    kw.setdefault("wished_occupations", ["lagerarbejder"])
    return create_profile(session, caseworker, ProfileInput(**kw))


def make_opening(session: Session, user: User | None = None, **kw: Any) -> JobOpening:
    user = user or make_user(session, Role.COMPANY)
    publish = kw.pop("publish", True)
    kw.setdefault("title", "Lagermedarbejder")
    kw.setdefault("postcode", "2300")
    kw.setdefault("hours_min", 20)
    kw.setdefault("start_date", TODAY + timedelta(days=7))
    return post_opening(session, user, OpeningInput(**kw), publish=publish)


def make_slot(session: Session, mentor: User | None = None, **kw: Any) -> MentorSlot:
    mentor = mentor or make_user(session, Role.MENTOR)
    kw.setdefault("title", "Frivillig mentor")
    kw.setdefault("postcode", "2200")
    return create_mentor_slot(session, mentor, MentorSlotInput(**kw))


def make_suggestion(
    session: Session, youth: YouthProfile, target: JobOpening | MentorSlot, **kw: Any
) -> Suggestion:
    is_opening = isinstance(target, JobOpening)
    kw.setdefault("score", 0.8)
    kw.setdefault("engine_version", "test")
    kw.setdefault("status", SuggestionStatus.PROPOSED)
    kw.setdefault("reasons", [{"code": "test", "da": "Test-grund", "en": "Test reason"}])
    suggestion = Suggestion(
        youth=youth,
        target_kind=TargetKind.OPENING if is_opening else TargetKind.MENTOR_SLOT,
        opening=target if is_opening else None,
        mentor_slot=None if is_opening else target,
        **kw,
    )
    session.add(suggestion)
    session.flush()
    return suggestion


@dataclass
class TenantObjects:
    """One of each object a web route takes the ID of, all of one set of users."""

    youth: YouthProfile
    opening: JobOpening
    slot: MentorSlot  # the mentor's
    company_slot: MentorSlot  # the company's own mentor slot
    proposal: Suggestion  # the opening's, approved
    offer: Suggestion  # the mentor slot's, approved

    def route_ids(self) -> dict[str, int]:
        """The routes' ID arguments (``company_slot_id`` stands for the company's ``slot_id``)."""
        return {
            "profile_id": self.youth.id,
            "opening_id": self.opening.id,
            "slot_id": self.slot.id,
            "company_slot_id": self.company_slot.id,
            "suggestion_id": self.proposal.id,
            "offer_id": self.offer.id,
        }


def make_tenant_objects(
    session: Session, caseworker: User, company: User, mentor: User, postcode: str
) -> TenantObjects:
    youth = make_youth(session, caseworker, postcode=postcode)
    opening = make_opening(session, company, postcode=postcode)
    slot = make_slot(session, mentor, postcode=postcode)
    approved = SuggestionStatus.APPROVED
    return TenantObjects(
        youth=youth,
        opening=opening,
        slot=slot,
        company_slot=make_slot(session, company, postcode=postcode),
        proposal=make_suggestion(session, youth, opening, status=approved, distance_km=2.5),
        offer=make_suggestion(session, youth, slot, status=approved, distance_km=3.0),
    )
