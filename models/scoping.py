"""Tenant scoping: what each user may reach, as queries.

Every load of a row on behalf of a user goes through one of these, so a foreign ID simply
is not found (the web answers 404). Companies and mentors only ever see suggestions that a
caseworker approved (human oversight).
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from models.enums import OpeningStatus, Role, SlotStatus, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile

# What a partner (company, mentor) may see: approved by a caseworker, and what came after.
PARTNER_VISIBLE = (
    SuggestionStatus.APPROVED,
    SuggestionStatus.INTERESTED,
    SuggestionStatus.DECLINED,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.PLACED,
    SuggestionStatus.ENDED,
)


def profiles_for(user: User) -> Select[tuple[YouthProfile]]:
    query = select(YouthProfile)
    if user.role is Role.CASEWORKER:
        return query.where(YouthProfile.municipality_code == user.municipality_code)
    return query.where(false())  # admins see aggregates only, partners see cards only


def openings_for(user: User) -> Select[tuple[JobOpening]]:
    query = select(JobOpening)
    if user.role is Role.COMPANY:
        return query.where(JobOpening.organisation_id == user.organisation_id)
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.CASEWORKER:
        return query.where(JobOpening.status == OpeningStatus.OPEN)
    return query.where(false())


def mentor_slots_for(user: User) -> Select[tuple[MentorSlot]]:
    query = select(MentorSlot)
    if user.role is Role.MENTOR:
        return query.where(MentorSlot.mentor_id == user.id)
    if user.role is Role.COMPANY:
        return query.where(MentorSlot.organisation_id == user.organisation_id)
    if user.role is Role.CASEWORKER:
        return query.where(MentorSlot.status == SlotStatus.OPEN)
    if user.role is Role.ADMIN:
        return query
    return query.where(false())


def suggestions_for(user: User) -> Select[tuple[Suggestion]]:
    query = select(Suggestion)
    if user.role is Role.CASEWORKER:
        return query.join(Suggestion.youth).where(
            YouthProfile.municipality_code == user.municipality_code
        )
    if user.role is Role.COMPANY:
        return query.join(Suggestion.opening).where(
            Suggestion.target_kind == TargetKind.OPENING,
            JobOpening.organisation_id == user.organisation_id,
            Suggestion.status.in_(PARTNER_VISIBLE),
        )
    if user.role is Role.MENTOR:
        return query.join(Suggestion.mentor_slot).where(
            Suggestion.target_kind == TargetKind.MENTOR_SLOT,
            MentorSlot.mentor_id == user.id,
            Suggestion.status.in_(PARTNER_VISIBLE),
        )
    return query.where(false())


def mentor_offers_for(user: User) -> Select[tuple[Suggestion]]:
    """Approved mentoring offers for the user's slots: a volunteer's own, a company's
    workplace mentor slots (whoever in the company posted them)."""
    query = select(Suggestion).join(Suggestion.mentor_slot)
    visible = (
        Suggestion.target_kind == TargetKind.MENTOR_SLOT,
        Suggestion.status.in_(PARTNER_VISIBLE),
    )
    if user.role is Role.MENTOR:
        return query.where(MentorSlot.mentor_id == user.id, *visible)
    if user.role is Role.COMPANY:
        return query.where(MentorSlot.organisation_id == user.organisation_id, *visible)
    return query.where(false())
