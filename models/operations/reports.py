"""Reporting an ad (a job opening or a mentor slot) to the partnership's secretariat.

A caseworker who reads an ad that looks wrong (discriminating, misleading, not a real job)
reports it: one audit event (``ad.report``) and a notice to every active secretariat
account. The vetting of ads is a separate matter; this hook is deliberately small so that
vetting can call it too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.enums import Role, TargetKind
from models.errors import ValidationError
from models.i18n import N_
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.audit import record_event
from models.operations.outbox import enqueue
from models.user import User

REPORT_MAX = 2000


def secretariat(session: Session) -> list[User]:
    """The partnership secretariat's active accounts (role admin)."""
    return list(
        session.scalars(
            select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
        )
    )


def report_ad(
    session: Session, reporter: User, ad: JobOpening | MentorSlot, reason: str
) -> AuditEvent:
    """Report ``ad`` with the reporter's ``reason``; returns the audit event."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", N_("Say what is wrong with the ad."))
    if len(reason) > REPORT_MAX:
        raise ValidationError("reason", N_("Write at most 2000 characters."))
    kind = TargetKind.OPENING if isinstance(ad, JobOpening) else TargetKind.MENTOR_SLOT
    event = record_event(session, reporter, "ad.report", ad, reason=reason, kind=str(kind))
    session.flush()
    for admin in secretariat(session):
        enqueue(
            session,
            admin,
            "ad.reported",
            f"ad-report:{event.id}",
            {"target_kind": str(kind), "target_id": ad.id, "reason": reason},
        )
    return event
