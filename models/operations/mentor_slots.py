"""Mentor slots: offer, edit, pause, close."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import spec
from models.base import utcnow
from models.enums import SlotStatus, SuggestionStatus
from models.errors import ValidationError
from models.figure_event import FigureKind
from models.geo import known_postcode
from models.i18n import N_
from models.languages import check_languages
from models.mentor_slot import MentorSlot
from models.operations.ad_reviews import hold_if_flagged
from models.operations.after_save import saved
from models.operations.audit import record_event
from models.operations.expiry import expire_pending_suggestions
from models.operations.figures import record_for_ad
from models.operations.openings import write_ad
from models.operations.outbox import enqueue
from models.suggestion import Suggestion
from models.user import User
from models.validation import check_title


@dataclass
class MentorSlotInput:
    title: str
    postcode: str
    description: str = ""
    interests: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["da"])
    max_distance_km: int = 25
    capacity: int = 1
    available_from: date | None = None
    available_until: date | None = None


def _clean(session: Session, data: MentorSlotInput) -> MentorSlotInput:
    title = check_title(data.title)
    title = spec.check_length("title", title, spec.TITLE)
    postcode = known_postcode(session, data.postcode)
    spec.check_range(
        "capacity",
        data.capacity,
        spec.SLOT_CAPACITY,
        N_("Capacity must be between %(min)s and %(max)s."),
    )
    spec.check_range(
        "max_distance_km",
        data.max_distance_km,
        spec.SLOT_DISTANCE_KM,
        N_("Max distance must be %(min)s–%(max)s km."),
    )
    if data.available_from and data.available_until and data.available_until < data.available_from:
        raise ValidationError("available_until", N_("The end date must be after the start date."))
    return MentorSlotInput(
        **{
            **{f.name: getattr(data, f.name) for f in fields(MentorSlotInput)},
            "title": title,
            "postcode": postcode,
            "description": spec.check_length("description", data.description, spec.DESCRIPTION),
            "interests": [s.strip() for s in data.interests if s.strip()],
            "languages": check_languages(data.languages),
        }
    )


def create_mentor_slot(
    session: Session, user: User, data: MentorSlotInput, *, mentor: User | None = None
) -> MentorSlot:
    clean = _clean(session, data)
    slot = MentorSlot(
        organisation_id=user.organisation_id,
        mentor_id=(mentor or user).id,
        status=SlotStatus.OPEN,
        **{f.name: getattr(clean, f.name) for f in fields(MentorSlotInput)},
    )
    session.add(slot)
    session.flush()
    record_for_ad(session, FigureKind.SLOT_POSTED, slot, amount=slot.capacity)
    record_event(session, user, "mentor_slot.create", slot)
    if hold_if_flagged(session, user, slot) is not None:
        slot.status = SlotStatus.PAUSED  # held for an admin's review (ad_reviews)
        session.flush()
    saved(session, slot)
    return slot


def update_mentor_slot(
    session: Session, user: User, slot: MentorSlot, data: MentorSlotInput
) -> MentorSlot:
    write_ad(slot, _clean(session, data), published=slot.status is SlotStatus.OPEN)
    session.flush()
    record_event(session, user, "mentor_slot.update", slot)
    saved(session, slot)
    return slot


def set_mentor_slot_status(
    session: Session, user: User, slot: MentorSlot, status: SlotStatus
) -> MentorSlot:
    """Open, pause or close a slot.

    When it stops taking young people, the offers the mentor has not answered yet are
    declined and their caseworkers are told; suggestions no caseworker approved expire.
    """
    previous = slot.status
    if status is SlotStatus.OPEN and hold_if_flagged(session, user, slot) is not None:
        return slot  # held for an admin's review (ad_reviews); stays as it was
    slot.status = status
    if status is not SlotStatus.OPEN:
        now = utcnow()
        for offer in session.scalars(
            select(Suggestion).where(
                Suggestion.mentor_slot_id == slot.id,
                Suggestion.status == SuggestionStatus.APPROVED,
            )
        ):
            offer.status = SuggestionStatus.DECLINED
            offer.responded_by_id = user.id
            offer.responded_at = now
            offer.response_message = ""
            caseworker = offer.youth.caseworker
            if caseworker is not None:
                enqueue(
                    session,
                    caseworker,
                    "mentoring.answered",
                    f"suggestion:{offer.id}:{offer.status}",
                    {"suggestion_id": offer.id, "reason": f"slot_{status}"},
                )
        expire_pending_suggestions(session, mentor_slot_ids=[slot.id])
    session.flush()
    record_event(session, user, "mentor_slot.status", slot, before=str(previous), after=str(status))
    saved(session, slot)
    return slot
