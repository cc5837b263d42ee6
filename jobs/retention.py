"""GDPR housekeeping: reconfirmation of untouched profiles, erasure, audit-trail retention.

* **reconfirm**: active or paused profiles untouched for ``reconfirm_days`` (default 90) get
  ``reconfirm_requested_at``; each caseworker is told once (one mail per run, listing the
  newly flagged pseudonyms). A profile already flagged is not flagged or mailed again.
* **retention**: profiles closed, or untouched, for ``retention_days`` (default 365) are
  erased with their suggestions; the run keeps only totals that identify no one
  (``JobRun.counts``). Audit events older than ``audit_retention_days`` (at least 183 days:
  decisions are kept six months) are deleted, younger ones kept. Sent or dead mails older
  than :data:`MAIL_LOG_DAYS` are deleted too (digests name pseudonyms), and so are the mails
  about erased profiles' suggestions, each with the ``.eml`` file the file transport wrote.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from jobs.runs import daily_job
from jobs.settings import JobSettings
from models.audit import AuditEvent
from models.enums import ProfileStatus
from models.jobrun import JobRun
from models.notification import Notification
from models.operations.audit import record_event
from models.operations.data_rights import delete_mails
from models.operations.figures import sweep_suggestions
from models.operations.outbox import enqueue
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile

MAIL_LOG_DAYS = 90
RECONFIRM_KIND = "profile.reconfirm"
MAX_LISTED = 50


def _untouched_since(cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(YouthProfile.last_activity_at < cutoff, YouthProfile.updated_at < cutoff)


def reconfirm_work(
    session: Session, run: JobRun, now: datetime, settings: JobSettings
) -> dict[str, Any]:
    cutoff = now - timedelta(days=settings.reconfirm_days)
    rows = session.execute(
        select(YouthProfile.id, YouthProfile.caseworker_id, YouthProfile.pseudonym)
        .where(
            YouthProfile.status.in_((ProfileStatus.ACTIVE, ProfileStatus.PAUSED)),
            YouthProfile.reconfirm_requested_at.is_(None),
            _untouched_since(cutoff),
        )
        .order_by(YouthProfile.id)
    ).all()
    if rows:
        # No ORM onupdate here: flagging must not count as touching the profile.
        session.execute(
            update(YouthProfile)
            .where(YouthProfile.id.in_([r.id for r in rows]))
            .values(reconfirm_requested_at=now, updated_at=YouthProfile.updated_at)
            .execution_options(synchronize_session=False)
        )
    by_caseworker: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.caseworker_id is not None:
            by_caseworker[row.caseworker_id].append(row.pseudonym)
    mails = 0
    if by_caseworker:
        users = session.scalars(select(User).where(User.id.in_(list(by_caseworker))))
        for user in users:
            pseudonyms = sorted(by_caseworker[user.id])
            payload = {
                "new": len(pseudonyms),
                "days": settings.reconfirm_days,
                "pseudonyms": pseudonyms[:MAX_LISTED],
            }
            if enqueue(session, user, RECONFIRM_KIND, f"run:{run.run_date}", payload, run=run.id):
                mails += 1
    session.flush()
    return {"flagged": len(rows), "mails": mails}


def retention_work(
    session: Session, run: JobRun, now: datetime, settings: JobSettings
) -> dict[str, Any]:
    # Suggestions not counted yet are counted before any is erased (figures outlive them).
    sweep_suggestions(session, now)
    cutoff = now - timedelta(days=settings.retention_days)
    closed_long_ago = sa.and_(
        YouthProfile.status == ProfileStatus.CLOSED,
        func.coalesce(YouthProfile.closed_at, YouthProfile.last_activity_at) < cutoff,
    )
    doomed = session.execute(
        select(YouthProfile.id, YouthProfile.status).where(
            sa.or_(closed_long_ago, _untouched_since(cutoff))
        )
    ).all()
    ids = [row.id for row in doomed]
    by_status: dict[str, int] = defaultdict(int)
    for row in doomed:
        by_status[str(row.status)] += 1
    suggestions = 0
    mail_dir = Path(settings.mail_dir) if not settings.smtp_url else None
    mails_deleted = mail_files_deleted = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        about = select(Suggestion.id).where(Suggestion.youth_id.in_(chunk))
        rows, files = delete_mails(
            session,
            session.scalars(
                select(Notification.id).where(
                    Notification.payload["suggestion_id"].as_integer().in_(about)
                )
            ).all(),
            mail_dir,
        )
        mails_deleted += rows
        mail_files_deleted += files
        suggestions += (
            session.execute(
                delete(Suggestion)
                .where(Suggestion.youth_id.in_(chunk))
                .execution_options(synchronize_session=False)
            ).rowcount
            or 0
        )
        session.execute(
            delete(YouthProfile)
            .where(YouthProfile.id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
    audit_cutoff = now - timedelta(days=max(settings.audit_retention_days, 183))
    audit_deleted = (
        session.execute(
            delete(AuditEvent)
            .where(AuditEvent.at < audit_cutoff)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    rows, files = delete_mails(
        session,
        session.scalars(
            select(Notification.id).where(
                Notification.status.in_(("sent", "dead")),
                Notification.created_at < now - timedelta(days=MAIL_LOG_DAYS),
            )
        ).all(),
        mail_dir,
    )
    mails_deleted += rows
    mail_files_deleted += files
    counts = {
        "profiles_erased": len(ids),
        "profiles_erased_by_status": dict(sorted(by_status.items())),
        "suggestions_erased": suggestions,
        "audit_events_deleted": audit_deleted,
        "mails_deleted": mails_deleted,
        "mail_files_deleted": mail_files_deleted,
    }
    if ids:
        record_event(session, None, "retention.erase", None, **counts)
    session.flush()
    return counts


run_reconfirm = daily_job("reconfirm", reconfirm_work)
run_retention = daily_job("retention", retention_work)
