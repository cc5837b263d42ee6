"""The secretariat's changes to partnerships, organisations and accounts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import OpeningStatus, SlotStatus
from models.errors import ValidationError
from models.geo import Municipality, Postcode
from models.i18n import N_
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.accounts import deactivate_user, set_password
from models.operations.audit import record_event
from models.operations.expiry import expire_pending_suggestions
from models.organisation import Organisation, Partnership
from models.user import User
from models.validation import check_cvr, check_email, check_single_line


def update_partnership(
    session: Session, admin: User, partnership: Partnership, name: str, codes: Iterable[int]
) -> Partnership:
    name = check_single_line("name", name)
    if not name:
        raise ValidationError("name", N_("Enter a name."))
    clash = session.scalar(
        select(Partnership.id).where(Partnership.name == name, Partnership.id != partnership.id)
    )
    if clash is not None:
        raise ValidationError("name", N_("A partnership with this name exists."))
    municipalities = []
    for code in codes:
        municipality = session.get(Municipality, code)
        if municipality is None:
            raise ValidationError("municipalities", N_("Unknown municipality."))
        municipalities.append(municipality)
    partnership.name = name
    partnership.municipalities = municipalities
    session.flush()
    record_event(session, admin, "partnership.update", partnership, municipalities=sorted(codes))
    return partnership


def update_organisation(
    session: Session,
    admin: User,
    organisation: Organisation,
    *,
    name: str,
    cvr: str | None,
    postcode: str | None,
    contact_email: str | None,
    partnerships: Iterable[Partnership],
) -> Organisation:
    if not check_single_line("name", name):
        raise ValidationError("name", N_("Enter a name."))
    if cvr or organisation.cvr:
        cvr = check_cvr(cvr)
        clash = session.scalar(
            select(Organisation.id).where(
                Organisation.cvr == cvr, Organisation.id != organisation.id
            )
        )
        if clash is not None:
            raise ValidationError("cvr", N_("An organisation with this CVR number exists."))
    if postcode and session.get(Postcode, postcode) is None:
        raise ValidationError("postcode", N_("Unknown postcode."))
    organisation.name = name.strip()
    organisation.cvr = cvr or None
    organisation.postcode = postcode or None
    organisation.contact_email = (
        check_email(contact_email, "contact_email") if contact_email else None
    )
    organisation.partnerships = list(partnerships)
    session.flush()
    record_event(session, admin, "organisation.update", organisation)
    return organisation


def deactivate_organisation(session: Session, admin: User, organisation: Organisation) -> None:
    """An organisation leaves: its users lose access, its openings and slots close."""
    organisation.active = False
    for user in session.scalars(select(User).where(User.organisation_id == organisation.id)):
        deactivate_user(user)
    openings = list(
        session.scalars(
            select(JobOpening).where(
                JobOpening.organisation_id == organisation.id,
                JobOpening.status.not_in((OpeningStatus.CLOSED, OpeningStatus.FILLED)),
            )
        )
    )
    slots = list(
        session.scalars(
            select(MentorSlot).where(
                MentorSlot.organisation_id == organisation.id,
                MentorSlot.status != SlotStatus.CLOSED,
            )
        )
    )
    for opening in openings:
        opening.status = OpeningStatus.CLOSED
    for slot in slots:
        slot.status = SlotStatus.CLOSED
    expire_pending_suggestions(
        session, opening_ids=[o.id for o in openings], mentor_slot_ids=[s.id for s in slots]
    )
    session.flush()
    record_event(
        session,
        admin,
        "organisation.deactivate",
        organisation,
        openings_closed=len(openings),
        slots_closed=len(slots),
    )


def new_password() -> str:
    """A random password to hand over once (the user changes it afterwards)."""
    return secrets.token_urlsafe(12)


def reset_password(session: Session, admin: User, user: User, password: str | None = None) -> str:
    """Set the typed password, or a random one; returns it so it can be shown once."""
    password = (password or "").strip() or new_password()
    set_password(user, password)
    session.flush()
    record_event(session, admin, "user.password_reset", user)
    return password


def deactivate_account(session: Session, admin: User, user: User) -> None:
    if user.id == admin.id:
        raise ValidationError("user", N_("You cannot deactivate your own account."))
    deactivate_user(user)
    session.flush()
    record_event(session, admin, "user.deactivate", user)
