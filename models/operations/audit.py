"""Writing audit events."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.user import User


def record_event(
    session: Session,
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details=details,
        ip=ip,
    )
    session.add(event)
    return event
