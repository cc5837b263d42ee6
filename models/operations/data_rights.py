"""A young person's data rights (GDPR arts. 15, 17, 20): everything stored about a pseudonym,
as data, and erasure on request.

* :func:`export_profile` gathers the profile, the history of its changes and reads (audit
  events), every suggestion with its score, components and reasons, the caseworker's
  decision and the partner's answer (who and when), and the mails about it.
* :func:`erase_profile` removes the profile at once with its suggestions (and so the
  partners' answers), the mails about those suggestions and their ``.eml`` files, and takes
  the pseudonym out of digests that listed it. The audit event it leaves holds counts only.
* :func:`delete_mails` deletes mail rows and the ``.eml`` files the file transport wrote
  for them (retention uses it too, so what it reports deleted is gone from the disk).

Aggregate figures that must survive erasure are the partnerships' event table's job
(issue 13, item 5): nothing here keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.enums import Role
from models.errors import Conflict
from models.i18n import N_
from models.identifiers import find_identifiers
from models.notification import Notification
from models.operations.audit import record_event
from models.operations.expiry import rowcount
from models.suggestion import Suggestion
from models.user import User
from models.youth import YouthProfile

ERASED = "–"
_PROFILE_FIELDS = (
    "pseudonym",
    "municipality_code",
    "birth_year",
    "postcode",
    "max_commute_km",
    "education_level",
    "skills",
    "interests",
    "wished_occupations",
    "hours_min",
    "hours_max",
    "languages",
    "driving_licence",
    "needs_mentor",
    "available_from",
    "status",
    "consent_recorded_at",
    "support_notes",
    "follow_up_on",
    "active_since",
    "last_activity_at",
    "reconfirm_requested_at",
    "closed_at",
    "created_at",
    "updated_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _who(user: User | None, user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    if user is None:
        return {"id": user_id, "name": None, "role": None}
    return {"id": user.id, "name": user.name, "role": str(user.role)}


def _events(session: Session, object_type: str, ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = list(ids)
    if not ids:
        return []
    users: dict[int, User] = {}
    rows = []
    for event in session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids))
        .order_by(AuditEvent.at, AuditEvent.id)
    ):
        if event.actor_id is not None and event.actor_id not in users:
            actor = session.get(User, event.actor_id)
            if actor is not None:
                users[event.actor_id] = actor
        rows.append(
            {
                "at": _plain(event.at),
                "action": event.action,
                "object_id": event.object_id,
                "by": _who(users.get(event.actor_id or -1), event.actor_id),
                "details": _plain(event.details or {}),
            }
        )
    return rows


def _suggestions(session: Session, profile: YouthProfile) -> list[Suggestion]:
    return list(
        session.scalars(
            select(Suggestion).where(Suggestion.youth_id == profile.id).order_by(Suggestion.id)
        )
    )


def _mails_about(
    session: Session, profile: YouthProfile, suggestion_ids: list[int]
) -> list[Notification]:
    """Mails about the profile's suggestions, and digests that name its pseudonym."""
    about = [sa.cast(Notification.payload, sa.Text).like(f'%"{profile.pseudonym}"%')]
    if suggestion_ids:
        about.append(Notification.payload["suggestion_id"].as_integer().in_(suggestion_ids))
    return list(
        session.scalars(select(Notification).where(sa.or_(*about)).order_by(Notification.id))
    )


def _require_caseworker(user: User, profile: YouthProfile) -> None:
    if user.role is not Role.CASEWORKER or user.municipality_code != profile.municipality_code:
        raise Conflict(N_("Only a caseworker of the young person's municipality can do this."))


def export_profile(session: Session, caseworker: User, profile: YouthProfile) -> dict[str, Any]:
    """Everything stored about the pseudonym, as plain data (JSON-ready); audited."""
    _require_caseworker(caseworker, profile)
    suggestions = _suggestions(session, profile)
    ids = [s.id for s in suggestions]
    record_event(session, caseworker, "profile.export", profile)
    session.flush()
    items = []
    for s in suggestions:
        target = s.target
        items.append(
            {
                "id": s.id,
                "target": {
                    "kind": str(s.target_kind),
                    "id": target.id if target else None,
                    "title": target.title if target else None,
                    "organisation": target.organisation.name if target else None,
                },
                "created_at": _plain(s.created_at),
                "engine_version": s.engine_version,
                "score": s.score,
                "components": _plain(s.components or {}),
                "reasons": _plain(s.reasons or []),
                "distance_km": s.distance_km,
                "status": str(s.status),
                "decision": {
                    "by": _who(s.decided_by, s.decided_by_id),
                    "at": _plain(s.decided_at),
                    "reason_code": s.reason_code,
                    "reason": s.reason,
                    "pitch": s.pitch,
                },
                "partner_answer": {
                    "by": _who(s.responded_by, s.responded_by_id),
                    "at": _plain(s.responded_at),
                    "message": s.response_message,
                },
                "outcome": _plain(s.outcome),
                "outcome_recorded_at": _plain(s.outcome_recorded_at),
            }
        )
    return {
        "pseudonym": profile.pseudonym,
        "exported_at": _plain(datetime.now().astimezone()),
        "exported_by": _who(caseworker, caseworker.id),
        "profile": {name: _plain(getattr(profile, name)) for name in _PROFILE_FIELDS}
        | {"caseworker": _who(profile.caseworker, profile.caseworker_id)},
        "history": _events(session, "YouthProfile", [profile.id]),
        "suggestions": items,
        "suggestion_history": _events(session, "Suggestion", ids),
        "mails": [
            {
                "id": n.id,
                "kind": n.kind,
                "to_role": str(n.recipient.role) if n.recipient else None,
                "created_at": _plain(n.created_at),
                "status": n.status,
                "sent_at": _plain(n.sent_at),
            }
            for n in _mails_about(session, profile, ids)
        ],
    }


def delete_mails(session: Session, ids: Iterable[int], mail_dir: Path | None) -> tuple[int, int]:
    """Delete mail rows and the ``.eml`` files written for them; (rows, files) deleted."""
    ids = list(ids)
    rows = files = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        rows += rowcount(
            session.execute(
                delete(Notification)
                .where(Notification.id.in_(chunk))
                .execution_options(synchronize_session=False)
            )
        )
        files += _unlink(mail_dir, chunk)
    return rows, files


def _unlink(mail_dir: Path | None, ids: Iterable[int]) -> int:
    if mail_dir is None:
        return 0
    count = 0
    for mail_id in ids:
        path = Path(mail_dir) / f"{mail_id}.eml"
        if path.exists():
            path.unlink()
            count += 1
    return count


def _scrub(value: Any, pseudonym: str) -> Any:
    if isinstance(value, str):
        return value.replace(pseudonym, ERASED)
    if isinstance(value, list):
        return [_scrub(v, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pseudonym) for k, v in value.items()}
    return value


def erase_profile(
    session: Session, caseworker: User, profile: YouthProfile, *, mail_dir: Path | None = None
) -> dict[str, int]:
    """Erase a profile on request, now. Its suggestions go (with the partners' answers), and
    the mails about them with their files; digests naming the pseudonym are scrubbed. The
    audit event holds counts only."""
    _require_caseworker(caseworker, profile)
    suggestion_ids = [s.id for s in _suggestions(session, profile)]
    pseudonym = profile.pseudonym
    about, digests = [], []
    for mail in _mails_about(session, profile, suggestion_ids):
        if mail.payload.get("suggestion_id") in suggestion_ids:
            about.append(mail.id)
        else:
            digests.append(mail)
    for mail in digests:
        mail.payload = _scrub(dict(mail.payload), pseudonym)
        mail.subject = _scrub(mail.subject, pseudonym)
        mail.body_text = _scrub(mail.body_text, pseudonym)
        mail.body_html = _scrub(mail.body_html, pseudonym)
    scrubbed_files = _unlink(mail_dir, [m.id for m in digests])
    mails, files = delete_mails(session, about, mail_dir)
    suggestions = rowcount(
        session.execute(
            delete(Suggestion)
            .where(Suggestion.youth_id == profile.id)
            .execution_options(synchronize_session=False)
        )
    )
    profile_id = profile.id
    session.delete(profile)
    session.flush()
    counts = {
        "suggestions": suggestions,
        "mails_deleted": mails,
        "mails_scrubbed": len(digests),
        "mail_files_deleted": files + scrubbed_files,
    }
    event = record_event(
        session,
        caseworker,
        "profile.erase",
        None,
        suggestions=suggestions,
        mails_deleted=mails,
        mails_scrubbed=len(digests),
        mail_files_deleted=files + scrubbed_files,
    )
    event.object_type, event.object_id = "YouthProfile", profile_id
    session.flush()
    return counts


def stored_identifiers(session: Session) -> list[tuple[str, str, list[str]]]:
    """(pseudonym, field, kinds) for stored text that the identifier guard would refuse now:
    text saved before the guard, for caseworkers to correct. The text itself is not returned."""
    found = []
    rows = session.execute(
        select(
            YouthProfile.pseudonym,
            YouthProfile.skills,
            YouthProfile.interests,
            YouthProfile.wished_occupations,
            YouthProfile.support_notes,
        )
        .order_by(YouthProfile.id)
        .execution_options(yield_per=1000)
    )
    for pseudonym, *texts in rows:
        for field, value in zip(
            ("skills", "interests", "wished_occupations", "support_notes"), texts, strict=True
        ):
            items = [value] if isinstance(value, str) else list(value or ())
            kinds = sorted({i.kind for item in items for i in find_identifiers(item)})
            if kinds:
                found.append((pseudonym, field, kinds))
    for pseudonym, suggestion_id, pitch in session.execute(
        select(YouthProfile.pseudonym, Suggestion.id, Suggestion.pitch)
        .join(Suggestion.youth)
        .where(Suggestion.pitch.is_not(None))
        .execution_options(yield_per=1000)
    ):
        kinds = sorted({i.kind for i in find_identifiers(pitch)})
        if kinds:
            found.append((pseudonym, f"pitch of suggestion {suggestion_id}", kinds))
    return found
