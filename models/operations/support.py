"""The support contact of a partnership: who a user's partnership says to ask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import ValidationError
from models.i18n import N_
from models.operations.audit import record_event
from models.organisation import Partnership, organisation_partnership
from models.organisation import partnership_municipality as municipalities
from models.support import PartnershipSupport
from models.user import User
from models.validation import check_email


def partnerships_of(session: Session, user: User | None) -> list[Partnership]:
    """The partnerships a user works in: by municipality (caseworkers), by organisation
    (companies, mentors); all of them for admins and for visitors not logged in."""
    query = select(Partnership).order_by(Partnership.name)
    if user is not None and user.municipality_code is not None:
        query = query.join(municipalities).where(
            municipalities.c.municipality_code == user.municipality_code
        )
    elif user is not None and user.organisation_id is not None:
        query = query.join(organisation_partnership).where(
            organisation_partnership.c.organisation_id == user.organisation_id
        )
    return list(session.scalars(query))


def support_contacts(session: Session, user: User | None) -> list[PartnershipSupport]:
    """The support contacts to show a user (those set, for the user's partnerships)."""
    ids = [p.id for p in partnerships_of(session, user)]
    if not ids:
        return []
    return list(
        session.scalars(
            select(PartnershipSupport)
            .join(Partnership)
            .where(PartnershipSupport.partnership_id.in_(ids))
            .order_by(Partnership.name)
        )
    )


def set_support_contact(
    session: Session,
    admin: User,
    partnership: Partnership,
    *,
    email: str | None,
    phone: str | None,
    hours: str | None,
) -> PartnershipSupport:
    email = (email or "").strip().lower() or None
    phone = (phone or "").strip() or None
    hours = (hours or "").strip() or None
    if email is not None:
        email = check_email(email)
    if email is None and phone is None:
        raise ValidationError("email", N_("Give an e-mail address or a phone number."))
    support = session.get(PartnershipSupport, partnership.id)
    if support is None:
        support = PartnershipSupport(partnership_id=partnership.id)
        session.add(support)
    support.email, support.phone, support.hours = email, phone, hours
    session.flush()
    record_event(session, admin, "partnership.support", partnership)
    return support
