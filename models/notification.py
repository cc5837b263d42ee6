"""The e-mail outbox: written in the transaction of the change that causes a mail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, user_reference, utcnow
from models.user import User


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'dead')", name="status"),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.Index("ix_notification_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int | None] = user_reference(index=True)
    recipient_email: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(40))
    locale: Mapped[str] = mapped_column(sa.String(2), default="da")
    # Rendered by the sender from ``kind`` and ``payload`` in the recipient's language
    # unless the code that queued it rendered it already.
    subject: Mapped[str | None] = mapped_column(sa.String(250))
    body_text: Mapped[str | None] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # (recipient, kind, subject of the mail, run): a repeated run cannot queue it twice.
    idempotency_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(120))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[User | None] = relationship()
