"""Tenant scoping: what each user may reach, as queries.

Every load of a row on behalf of a user goes through one of these, so a foreign ID simply
is not found (the web answers 404). Companies and mentors only ever see suggestions that a
caseworker approved (human oversight).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Exists, Select, false, select

from models.enums import (
    PARTNER_VISIBLE,
    OpeningStatus,
    Role,
    SlotStatus,
    TargetKind,
)
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile


def profiles_for(user: User) -> Select[YouthProfile]:
    query = select(YouthProfile)
    if user.role is Role.CASEWORKER:
        return query.where(YouthProfile.municipality_code == user.municipality_code)
    return query.where(false())  # admins see aggregates only, partners see cards only


def openings_for(user: User) -> Select[JobOpening]:
    query = select(JobOpening)
    if user.role is Role.COMPANY:
        return query.where(JobOpening.organisation_id == user.organisation_id)
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.CASEWORKER:
        return query.where(JobOpening.status == OpeningStatus.OPEN)
    return query.where(false())


def mentor_slots_for(user: User) -> Select[MentorSlot]:
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


def suggestions_for(user: User) -> Select[Suggestion]:
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


def mentor_offers_for(user: User) -> Select[Suggestion]:
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


def _partnership_organisations(user: User) -> Select[int]:
    """Organisations in a partnership that the caseworker's municipality belongs to."""
    from models.organisation import organisation_partnership, partnership_municipality

    return (
        select(organisation_partnership.c.organisation_id)
        .join(
            partnership_municipality,
            partnership_municipality.c.partnership_id == organisation_partnership.c.partnership_id,
        )
        .where(partnership_municipality.c.municipality_code == user.municipality_code)
    )


def _proposed_here(user: User, points_here: ColumnElement[bool]) -> Exists:
    """Whether the engine proposed the target (``points_here``: the suggestion's column
    equal to the outer query's row) to a young person of the caseworker's municipality.
    Correlated: the target's own suggestions by their index, not every suggestion of the
    municipality (an ``IN`` list of those, 53,000 in København, cost 100 ms an ad)."""
    return (
        select(Suggestion.id)
        .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
        .where(points_here, YouthProfile.municipality_code == user.municipality_code)
        .exists()
    )


def opening_ads_for(user: User) -> Select[JobOpening]:
    """Openings a caseworker may read in full (read-only): published or once published in
    their partnership, or proposed to their young people. Others answer 404."""
    query = select(JobOpening)
    if user.role is not Role.CASEWORKER:
        return openings_for(user)
    return query.where(
        (
            JobOpening.organisation_id.in_(_partnership_organisations(user))
            & (JobOpening.status != OpeningStatus.DRAFT)
        )
        | _proposed_here(user, Suggestion.opening_id == JobOpening.id)
    )


def mentor_slot_ads_for(user: User) -> Select[MentorSlot]:
    """Mentor slots a caseworker may read in full (read-only), as :func:`opening_ads_for`."""
    if user.role is not Role.CASEWORKER:
        return mentor_slots_for(user)
    return select(MentorSlot).where(
        MentorSlot.organisation_id.in_(_partnership_organisations(user))
        | _proposed_here(user, Suggestion.mentor_slot_id == MentorSlot.id)
    )
