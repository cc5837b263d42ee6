"""Partnerships for everyone: membership, contributions, contact persons, invitations and
the secretariat's inspiration notes.

Staff data only: contact persons are municipal staff; nothing here touches youth data.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models import spec
from models.base import utcnow
from models.enums import OpeningKind, OpeningStatus, OrganisationKind, Role, SlotStatus
from models.errors import Conflict, ValidationError
from models.geo import Municipality
from models.i18n import N_
from models.mentor_slot import MentorSlot
from models.notification import Notification
from models.opening import JobOpening
from models.operations.accounts import create_organisation, create_user
from models.operations.audit import record_event
from models.organisation import (
    Organisation,
    Partnership,
    organisation_partnership,
    partnership_municipality,
)
from models.partnership_info import ContactPerson, InspirationNote, PartnershipInvitation
from models.user import User
from models.validation import check_cvr, check_email

INVITATION_DAYS = 14
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
NATIONAL = (Role.ADMIN, Role.SECRETARIAT)

# --- membership ------------------------------------------------------------------------------


def partnerships_query(user: User):  # type: ignore[no-untyped-def]
    """The partnerships a user belongs to (all of them for the admin and the secretariat)."""
    query = select(Partnership).order_by(Partnership.name)
    if user.role in NATIONAL:
        return query
    if user.role is Role.CASEWORKER:
        return query.where(
            Partnership.id.in_(
                select(partnership_municipality.c.partnership_id).where(
                    partnership_municipality.c.municipality_code == user.municipality_code
                )
            )
        )
    return query.where(
        Partnership.id.in_(
            select(organisation_partnership.c.partnership_id).where(
                organisation_partnership.c.organisation_id == user.organisation_id
            )
        )
    )


@dataclass
class Member:
    organisation: Organisation
    open_openings: int = 0
    open_seats: int = 0
    education_places: int = 0
    mentor_places: int = 0


@dataclass
class PartnershipView:
    partnership: Partnership
    municipalities: list[Municipality]
    companies: list[Member] = field(default_factory=list)
    civil_society: list[Member] = field(default_factory=list)
    contacts: list[ContactPerson] = field(default_factory=list)


def partnership_view(session: Session, partnership: Partnership) -> PartnershipView:
    """Members and what each contributes (open openings, education and mentor places)."""
    organisations = sorted(
        (o for o in partnership.organisations if o.active), key=lambda o: o.name.lower()
    )
    ids = [o.id for o in organisations]
    openings: dict[int, tuple[int, int, int]] = {}
    places: dict[int, int] = {}
    if ids:
        for org_id, n, seats, education in session.execute(
            select(
                JobOpening.organisation_id,
                func.count(),
                func.coalesce(func.sum(JobOpening.seats), 0),
                func.sum(
                    case((JobOpening.kind == OpeningKind.EDUCATION, JobOpening.seats), else_=0)
                ),
            )
            .where(JobOpening.organisation_id.in_(ids), JobOpening.status == OpeningStatus.OPEN)
            .group_by(JobOpening.organisation_id)
        ):
            openings[org_id] = (int(n), int(seats), int(education or 0))
        places = {
            org_id: int(total)
            for org_id, total in session.execute(
                select(MentorSlot.organisation_id, func.sum(MentorSlot.capacity))
                .where(MentorSlot.organisation_id.in_(ids), MentorSlot.status == SlotStatus.OPEN)
                .group_by(MentorSlot.organisation_id)
            )
        }
    view = PartnershipView(partnership, list(partnership.municipalities))
    for org in organisations:
        n, seats, education = openings.get(org.id, (0, 0, 0))
        member = Member(org, n, seats, education, places.get(org.id, 0))
        (view.companies if org.kind is OrganisationKind.COMPANY else view.civil_society).append(
            member
        )
    view.contacts = list(
        session.scalars(
            select(ContactPerson)
            .where(ContactPerson.partnership_id == partnership.id)
            .order_by(ContactPerson.municipality_code)
        )
    )
    return view


# --- contact persons -------------------------------------------------------------------------


@dataclass
class ContactInput:
    municipality_code: int
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


def set_contact_person(
    session: Session, admin: User, partnership: Partnership, data: ContactInput
) -> ContactPerson:
    """Register or change a municipality's contact person; the change is audited."""
    if data.municipality_code not in {m.code for m in partnership.municipalities}:
        raise ValidationError("municipality", N_("Choose a municipality of the partnership."))
    name = (data.name or "").strip()
    if not name:
        raise ValidationError("name", N_("Enter a name."))
    email = check_email(data.email)
    phone = (data.phone or "").strip()
    if phone and not all(c.isdigit() or c in " +-()" for c in phone):
        raise ValidationError("phone", N_("Give a phone number of digits, e.g. +45 33 12 34 56."))
    contact = session.scalar(
        select(ContactPerson).where(
            ContactPerson.partnership_id == partnership.id,
            ContactPerson.municipality_code == data.municipality_code,
        )
    )
    before = None
    if contact is None:
        contact = ContactPerson(
            partnership_id=partnership.id, municipality_code=data.municipality_code
        )
        session.add(contact)
    else:
        before = _contact_fields(contact)
    contact.name = name[:120]
    contact.title = (data.title or "").strip()[:120]
    contact.email = email
    contact.phone = phone[:30]
    session.flush()
    record_event(
        session,
        admin,
        "contact_person.set",
        contact,
        partnership_id=partnership.id,
        municipality_code=data.municipality_code,
        before=before,
        after=_contact_fields(contact),
    )
    return contact


def _contact_fields(contact: ContactPerson) -> dict[str, str]:
    return {
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
    }


def contact_persons(session: Session) -> list[ContactPerson]:
    """Every municipality's contact person (the secretariat's list)."""
    return list(
        session.scalars(
            select(ContactPerson)
            .join(ContactPerson.partnership)
            .order_by(Partnership.name, ContactPerson.municipality_code)
        )
    )


# --- invitations -----------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class InvitationInput:
    email: str
    kind: OrganisationKind = OrganisationKind.COMPANY
    organisation_name: str = ""
    cvr: str | None = None


def invite_organisation(
    session: Session,
    admin: User,
    partnership: Partnership,
    data: InvitationInput,
    *,
    now: datetime | None = None,
) -> tuple[PartnershipInvitation, str]:
    """Invite an organisation (an existing one if the CVR is known) to the partnership.

    Returns the invitation and its secret (for the link; only its hash is stored). The
    caller queues the mail with :func:`queue_invitation_mail` in the same transaction.
    """
    now = now or utcnow()
    email = check_email(data.email)
    cvr = (data.cvr or "").strip() or None
    existing = None
    if data.kind is OrganisationKind.COMPANY or cvr:
        cvr = check_cvr(cvr)
        existing = session.scalar(select(Organisation).where(Organisation.cvr == cvr))
    name = (data.organisation_name or "").strip()
    if existing is None and not name:
        raise ValidationError("organisation_name", N_("Enter a name."))
    if existing is not None and existing.kind is not data.kind:
        raise ValidationError(
            "kind", N_("The organisation with this CVR number is of another kind.")
        )
    secret = secrets.token_urlsafe(32)
    invitation = PartnershipInvitation(
        partnership_id=partnership.id,
        organisation_id=existing.id if existing is not None else None,
        organisation_kind=data.kind,
        organisation_name=existing.name if existing is not None else name[:200],
        cvr=cvr,
        email=email,
        token_hash=_hash(secret),
        invited_by_id=admin.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    record_event(
        session,
        admin,
        "partnership.invite",
        invitation,
        partnership_id=partnership.id,
        organisation_id=invitation.organisation_id,
    )
    return invitation, secret


def queue_invitation_mail(
    session: Session, invitation: PartnershipInvitation, subject: str, body: str
) -> Notification:
    """The invitation mail, in the outbox of the invitation's transaction (the invitee may
    have no account yet, so the mail is addressed by e-mail and rendered by the caller)."""
    notification = Notification(
        recipient_id=None,
        recipient_email=invitation.email,
        kind="partnership.invitation",
        payload={"invitation_id": invitation.id},
        subject=subject,
        body_text=body,
        idempotency_key=f"invitation:{invitation.id}",
    )
    session.add(notification)
    session.flush()
    return notification


def find_invitation(
    session: Session, secret: str, *, now: datetime | None = None
) -> PartnershipInvitation | None:
    """The open invitation a link's secret belongs to, or None (unknown, used or expired)."""
    now = now or utcnow()
    if not secret or len(secret) > 100:
        return None
    invitation = session.scalar(
        select(PartnershipInvitation).where(PartnershipInvitation.token_hash == _hash(secret))
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= now:
        return None
    return invitation


def accept_invitation(
    session: Session, invitation: PartnershipInvitation, user: User, *, now: datetime | None = None
) -> Organisation:
    """A logged-in company or mentor user accepts: their organisation joins the partnership."""
    if user.role not in (Role.COMPANY, Role.MENTOR) or user.organisation is None:
        raise Conflict(N_("Log in as a company or organisation user to accept the invitation."))
    organisation = user.organisation
    if invitation.organisation_id is not None and invitation.organisation_id != organisation.id:
        raise Conflict(N_("This invitation is for another organisation."))
    if organisation.kind is not invitation.organisation_kind:
        raise Conflict(N_("This invitation is for another organisation."))
    return _join(session, invitation, organisation, user, now or utcnow())


def accept_invitation_with_account(
    session: Session,
    invitation: PartnershipInvitation,
    *,
    name: str,
    password: str,
    locale: str = "da",
    now: datetime | None = None,
) -> User:
    """Accept by creating the account (and the organisation, unless it exists)."""
    now = now or utcnow()
    organisation = invitation.organisation
    if organisation is None:
        organisation = create_organisation(
            session,
            kind=invitation.organisation_kind,
            name=invitation.organisation_name,
            cvr=invitation.cvr,
            contact_email=invitation.email,
        )
        record_event(session, None, "organisation.create", organisation, by="invitation")
    role = Role.COMPANY if organisation.kind is OrganisationKind.COMPANY else Role.MENTOR
    user = create_user(
        session,
        email=invitation.email,
        password=password,
        role=role,
        name=name,
        organisation=organisation,
        locale=locale,
    )
    record_event(session, None, "user.create", user, role=str(role), by="invitation")
    _join(session, invitation, organisation, user, now)
    return user


def _join(
    session: Session,
    invitation: PartnershipInvitation,
    organisation: Organisation,
    user: User,
    now: datetime,
) -> Organisation:
    partnership = invitation.partnership
    if partnership not in organisation.partnerships:
        organisation.partnerships.append(partnership)
    invitation.accepted_at = now
    invitation.organisation_id = organisation.id
    session.flush()
    record_event(
        session,
        user,
        "partnership.join",
        organisation,
        partnership_id=partnership.id,
        invitation_id=invitation.id,
    )
    return organisation


# --- inspiration notes -----------------------------------------------------------------------


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def publish_note(
    session: Session,
    author: User,
    title: str,
    body: str,
    attachment: Attachment | None = None,
) -> InspirationNote:
    """The secretariat publishes a short note; partnership users see it on their start page."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("title", N_("Enter a title."))
    title = spec.check_length("title", title, spec.TITLE)
    body = (body or "").strip()
    if len(body) > 5000:
        raise ValidationError("body", N_("Keep the note under 5,000 characters."))
    note = InspirationNote(title=title, body=body, author_id=author.id)
    if attachment is not None and attachment.data:
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError("attachment", N_("The attachment can be at most 5 MB."))
        if attachment.content_type not in ATTACHMENT_TYPES:
            raise ValidationError(
                "attachment",
                N_("Attach a PDF, a Word document, a PNG or JPEG image or a text file."),
            )
        filename = attachment.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
        note.attachment_name = (filename or "attachment")[:200]
        note.attachment_type = attachment.content_type
        note.attachment = attachment.data
    session.add(note)
    session.flush()
    record_event(session, author, "inspiration.publish", note, title=title)
    return note


def latest_notes(session: Session, limit: int = 3) -> list[InspirationNote]:
    return list(
        session.scalars(
            select(InspirationNote).order_by(InspirationNote.published_at.desc()).limit(limit)
        )
    )
