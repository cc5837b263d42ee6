"""Queueing e-mails in the outbox, in the transaction of the change that causes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.notification import Notification
from models.user import User


def enqueue(
    session: Session,
    recipient: User,
    kind: str,
    about: str,
    payload: dict[str, Any] | None = None,
    *,
    run: str | int | None = None,
) -> Notification | None:
    """Queue one mail; the key (recipient, kind, what it is about, run) makes it idempotent.

    Returns ``None`` when the same mail is queued already or the recipient is inactive.
    """
    if not recipient.active:
        return None
    key = f"{recipient.id}:{kind}:{about}:{run if run is not None else '-'}"
    if session.scalar(select(Notification.id).where(Notification.idempotency_key == key)):
        return None
    notification = Notification(
        recipient_id=recipient.id,
        recipient_email=recipient.email,
        kind=kind,
        locale=recipient.locale,
        payload=payload or {},
        idempotency_key=key,
    )
    session.add(notification)
    session.flush()
    return notification
