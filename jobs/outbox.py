"""The outbox sender: claims queued mails, renders them, delivers over SMTP (or to files).

* **Claims**: rows move ``pending → sending`` in one statement (PostgreSQL: the ids come from
  ``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite serialises writers, so the guarded
  ``UPDATE ... WHERE status = 'pending'`` is atomic), so two senders never send the same row.
  A claim older than :data:`STALE_CLAIM` (a sender died) is released again.
* **Temporary failures** (SMTP 4xx, connection refused, time-outs, a dropped connection)
  go back to ``pending`` with ``next_attempt_at`` pushed out exponentially with jitter;
  **permanent** ones (SMTP 5xx, a mail that cannot be built) are dead-lettered (``dead``);
  after ``outbox_max_attempts`` attempts a mail is ``dead`` too. ``attempts`` and
  ``last_error`` record what happened.
* **One mail, one failure**: anything that goes wrong building or handing over one mail
  (e.g. a header with a line feed) dead-letters that mail and the run goes on with the next;
  only database errors end the run (its claims go back to the queue).
* **Transport**: ``SMTP_URL`` like ``smtp://user:pass@host:port?starttls=1`` (``smtps://``
  for implicit TLS); empty writes ``.eml`` files under ``MAIL_DIR`` (the embedded default).

Delivery is at-least-once by construction (a crash between the server's "250" and the
commit of ``sent`` would resend that one mail); each row is committed right after its
attempt to keep that window to one mail.
"""

from __future__ import annotations

import contextlib
import random
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jobs.mail import Undeliverable, render
from jobs.runs import SessionSource, host_name, session_scope, take_write_lock
from jobs.settings import JobSettings
from models.notification import Notification

STALE_CLAIM = timedelta(minutes=15)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


# --- transports --------------------------------------------------------------------------


@dataclass
class FileTransport:
    """Writes each mail as an ``.eml`` file (development and the embedded default)."""

    directory: Path

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = message["X-Ungeloeftet-Notification"] or uuid.uuid4().hex
        path = self.directory / f"{name}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(message))
        temporary.replace(path)


class SMTPTransport:
    """One SMTP connection for a batch; failures classified as temporary or permanent."""

    def __init__(self, url: str, timeout: float = 20.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme!r}")
        query = parse_qs(parts.query)
        self.implicit_tls = parts.scheme == "smtps"
        self.starttls = query.get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.implicit_tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls(context=context)
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _msg in error.recipients.values()]
            self._reset_on_error()
            detail = "; ".join(f"{c} {m!r}" for c, m in error.recipients.values())
            if codes and all(400 <= c < 500 for c in codes):
                raise TemporaryFailure(f"recipient refused: {detail}") from error
            raise PermanentFailure(f"recipient refused: {detail}") from error
        except smtplib.SMTPAuthenticationError as error:
            # A configuration problem, not the mail's fault: retry rather than lose it.
            self.close()
            raise TemporaryFailure(f"SMTP login failed: {error.smtp_code}") from error
        except smtplib.SMTPResponseException as error:
            self._reset_on_error()
            text = f"{error.smtp_code} {error.smtp_error!r}"
            if 400 <= error.smtp_code < 500:
                raise TemporaryFailure(text) from error
            raise PermanentFailure(text) from error
        except (smtplib.SMTPException, OSError) as error:  # refused, reset, time-out, TLS
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if refused:
            raise PermanentFailure(f"recipient refused: {refused}")

    def _reset_on_error(self) -> None:
        # After an error answer the session may be mid-transaction or closed: start afresh.
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            with contextlib.suppress(Exception):
                self._smtp.close()
            self._smtp = None


def make_transport(settings: JobSettings) -> Transport:
    if settings.smtp_url:
        return SMTPTransport(settings.smtp_url, settings.smtp_timeout)
    return FileTransport(Path(settings.mail_dir))


# --- claiming and recording ----------------------------------------------------------------


def release_stale_claims(session: Session, now: datetime) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.status == "sending", Notification.claimed_at < now - STALE_CLAIM)
        .values(status="pending", claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def claim(session: Session, now: datetime, limit: int, worker: str) -> list[int]:
    """Claim up to ``limit`` due rows for ``worker`` and commit; returns their ids."""
    due = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # The ids first, locked until the commit below: inside ``IN (...)`` the planner may
        # run a LIMIT ... SKIP LOCKED subquery more than once and claim more than the batch.
        chosen = Notification.id.in_(list(session.scalars(due.with_for_update(skip_locked=True))))
    else:
        chosen = Notification.id.in_(due.scalar_subquery())
    session.execute(
        update(Notification)
        .where(chosen, Notification.status == "pending")
        .values(status="sending", claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return list(
        session.scalars(
            select(Notification.id)
            .where(Notification.claimed_by == worker, Notification.status == "sending")
            .order_by(Notification.id)
        )
    )


def backoff(attempts: int) -> timedelta:
    """Exponential back-off (1, 2, 4 ... minutes, capped at 6 hours) with ±50 % jitter."""
    delay = min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)
    return delay * random.uniform(0.5, 1.5)


def build_message(
    notification: Notification, subject: str, text: str, html: str, settings: JobSettings
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = notification.recipient_email
    # A subject is one line: line breaks in a title fold into spaces, never a new header.
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(f"n{notification.id}", domain="ungeloeftet.local")
    message["X-Ungeloeftet-Notification"] = str(notification.id)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = notification.locale
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


@dataclass
class SendCounts:
    claimed: int = 0
    sent: int = 0
    retry: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"claimed": self.claimed, "sent": self.sent, "retry": self.retry, "dead": self.dead}


def send_pending(
    source: SessionSource,
    now: datetime,
    settings: JobSettings | None = None,
    *,
    transport: Transport | None = None,
    limit: int | None = None,
) -> dict[str, int]:
    """Send what is due; one commit per mail. Returns counts (claimed, sent, retry, dead)."""
    settings = settings or JobSettings()
    transport = transport or make_transport(settings)
    worker = f"{host_name()}:{uuid.uuid4().hex[:8]}"
    counts = SendCounts()
    with session_scope(source) as session:
        release_stale_claims(session, now)
        session.commit()
        ids = claim(session, now, limit or settings.outbox_batch, worker)
        counts.claimed = len(ids)
        try:
            for notification_id in ids:
                _deliver_one(session, notification_id, now, settings, transport, counts)
        finally:
            _close_transport(transport)
            # Whatever this worker still holds (an exception above) goes back to the queue.
            session.rollback()
            session.execute(
                update(Notification)
                .where(Notification.claimed_by == worker, Notification.status == "sending")
                .values(status="pending", claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False)
            )
            session.commit()
    return counts.as_dict()


def _close_transport(transport: Transport) -> None:
    close = getattr(transport, "close", None)
    if close is not None:
        close()


def _deliver_one(
    session: Session,
    notification_id: int,
    now: datetime,
    settings: JobSettings,
    transport: Transport,
    counts: SendCounts,
) -> None:
    notification = session.get(Notification, notification_id, populate_existing=True)
    if notification is None:  # pragma: no cover - erased meanwhile
        return
    attempts = notification.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "claimed_by": None, "claimed_at": None}
    try:
        try:
            mail = render(session, notification, settings)
            message = build_message(notification, mail.subject, mail.text, mail.html, settings)
        except (Undeliverable, sa.exc.SQLAlchemyError):
            raise
        except Exception as error:  # noqa: BLE001 - this one mail cannot be built
            raise Undeliverable(
                f"cannot build the mail: {type(error).__name__}: {error}"
            ) from error
        session.rollback()  # no transaction (and no SQLite snapshot) held while talking SMTP
        try:
            transport.send(message)
        except (TemporaryFailure, PermanentFailure):
            raise
        except Exception as error:  # noqa: BLE001 - e.g. a header the transport cannot encode
            _close_transport(transport)
            raise PermanentFailure(
                f"cannot send the mail: {type(error).__name__}: {error}"
            ) from error
    except (Undeliverable, PermanentFailure) as error:
        values |= {"status": "dead", "last_error": str(error)[:2000]}
        counts.dead += 1
    except TemporaryFailure as error:
        values["last_error"] = str(error)[:2000]
        if attempts >= settings.outbox_max_attempts:
            values["status"] = "dead"
            counts.dead += 1
        else:
            values |= {"status": "pending", "next_attempt_at": now + backoff(attempts)}
            counts.retry += 1
    else:
        values |= {"status": "sent", "sent_at": datetime.now(UTC), "last_error": None}
        counts.sent += 1
    session.rollback()
    take_write_lock(session)
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def outbox_summary(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Notification.status, sa.func.count()).group_by(Notification.status)
    )
    return {status: int(n) for status, n in rows}
