"""Openings and mentor slots held for a partnership admin's review, and caseworkers' reports.

Publishing runs the wording check (:mod:`models.wording`). A flagged ad is not published: it
is held (a ``flagged`` :class:`~models.ad_review.AdReview`) with the grounds and phrases
found, and the author is told why. An admin publishes it with a recorded justification, or
keeps it unpublished with a reason the author sees. A caseworker can report any published
ad, from the whole ad or from a suggestion card (:func:`report_ad`, the one way): the report
waits in the review queue and every active admin is mailed; an admin dismisses it or takes
the ad off the service. Every step is audited.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.ad_review import (
    DECLINED,
    DISMISSED,
    FLAGGED,
    PENDING,
    PUBLISHED,
    REPORTED,
    UNPUBLISHED,
    AdReview,
)
from models.base import utcnow
from models.enums import OpeningStatus, Role, SlotStatus, TargetKind
from models.errors import Conflict, ValidationError
from models.i18n import N_
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.audit import record_event
from models.operations.outbox import enqueue
from models.user import User
from models.validation import check_free_text
from models.wording import Finding, check_wording

Ad = JobOpening | MentorSlot


def ad_texts(ad: Ad) -> Mapping[str, str | Iterable[str] | None]:
    """The texts of an ad that partners and young people read, by form field."""
    if isinstance(ad, JobOpening):
        return {
            "title": ad.title,
            "description": ad.description,
            "required_skills": ad.required_skills,
            "nice_skills": ad.nice_skills,
        }
    return {"title": ad.title, "description": ad.description, "interests": ad.interests}


def ad_findings(ad: Ad) -> list[Finding]:
    return check_wording(ad_texts(ad))


def text_digest(ad: Ad) -> str:
    texts = {k: v if isinstance(v, str) or v is None else list(v) for k, v in ad_texts(ad).items()}
    return hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()


def _reviews(ad: Ad, kind: str, status: str) -> list[AdReview]:
    return [r for r in ad.reviews if r.kind == kind and r.status == status]


def pending_hold(ad: Ad) -> AdReview | None:
    """The flagged review waiting for an admin, if the ad is held."""
    held = _reviews(ad, FLAGGED, PENDING)
    return held[-1] if held else None


def justified(ad: Ad) -> bool:
    """An admin published this very text with a justification."""
    digest = text_digest(ad)
    return any(r.text_digest == digest for r in _reviews(ad, FLAGGED, PUBLISHED))


def hold_if_flagged(session: Session, user: User, ad: Ad) -> AdReview | None:
    """Before publishing: hold a flagged ad for review (returns the hold), or ``None``."""
    findings = ad_findings(ad)
    review = pending_hold(ad)
    if not findings or justified(ad):
        if review is not None:  # the author changed the wording: nothing left to review
            review.status = DISMISSED
            review.decided_at = utcnow()
            review.justification = "The author changed the wording."
            record_event(session, user, "ad.review_withdrawn", ad, review_id=review.id)
        return None
    if review is None:
        review = AdReview(kind=FLAGGED, status=PENDING, created_by_id=user.id)
        if isinstance(ad, JobOpening):
            review.opening = ad
        else:
            review.mentor_slot = ad
        session.add(review)
    review.categories = sorted({f.category for f in findings})
    review.phrases = [f.phrase for f in findings]
    review.text_digest = text_digest(ad)
    session.flush()
    record_event(session, user, "ad.held_for_review", ad, categories=review.categories)
    return review


def _require_admin(user: User) -> None:
    if user.role is not Role.ADMIN:
        raise Conflict(N_("Only a partnership admin can decide on an ad under review."))


def _decide(session: Session, admin: User, review: AdReview, status: str, text: str) -> None:
    _require_admin(admin)
    if review.status != PENDING:
        raise Conflict(N_("This review has already been decided."))
    review.status = status
    review.decided_by_id = admin.id
    review.decided_at = utcnow()
    review.justification = text


def _required_text(field: str, text: str | None, message: str) -> str:
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError(field, message)
    return text[:2000]


def publish_with_justification(
    session: Session, admin: User, review: AdReview, justification: str
) -> Ad:
    """The admin publishes a held ad; the justification is recorded and audited."""
    if review.kind != FLAGGED:
        raise Conflict(N_("Only a held ad can be published from a review."))
    justification = _required_text(
        "justification",
        justification,
        N_("Write why the wording is lawful here (at least 10 characters)."),
    )
    ad = review.ad
    if isinstance(ad, JobOpening) and ad.status in (OpeningStatus.CLOSED, OpeningStatus.FILLED):
        raise Conflict(N_("A closed opening cannot be published again."))
    _decide(session, admin, review, PUBLISHED, justification)
    review.text_digest = text_digest(ad)
    if isinstance(ad, JobOpening):
        ad.status = OpeningStatus.OPEN
        ad.unpublished_reason = None
    else:
        ad.status = SlotStatus.OPEN
    session.flush()
    record_event(
        session,
        admin,
        "ad.published_with_justification",
        ad,
        review_id=review.id,
        categories=review.categories,
        justification=justification,
    )
    return ad


def keep_unpublished(session: Session, admin: User, review: AdReview, reason: str) -> Ad:
    """The admin keeps a held ad unpublished; the author sees the reason."""
    if review.kind != FLAGGED:
        raise Conflict(N_("Only a held ad can be kept unpublished from a review."))
    reason = _required_text(
        "reason", reason, N_("Give the author a reason (at least 10 characters).")
    )
    _decide(session, admin, review, DECLINED, reason)
    ad = review.ad
    if isinstance(ad, JobOpening):
        ad.unpublished_reason = reason
    session.flush()
    record_event(session, admin, "ad.kept_unpublished", ad, review_id=review.id, reason=reason)
    return ad


REPORT_MAX = 2000


def admins(session: Session) -> list[User]:
    """The partnership secretariat's active accounts (role admin): they settle reports."""
    return list(
        session.scalars(
            select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
        )
    )


def _report_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            "reason", N_("Say what is wrong with the ad (at least 10 characters).")
        )
    if len(reason) > REPORT_MAX:
        raise ValidationError("reason", N_("Write at most 2000 characters."))
    return check_free_text("reason", reason)


def report_ad(session: Session, caseworker: User, ad: Ad, reason: str) -> AdReview:
    """A caseworker reports a published ad: the one way, from the whole-ad page and from the
    suggestion card. A ``reported`` review waits in the admins' queue, the report is audited
    (``ad.report``) and every active admin is mailed (``ad.reported``)."""
    if caseworker.role is not Role.CASEWORKER:
        raise Conflict(N_("Only a caseworker can report an ad."))
    if ad.status not in (OpeningStatus.OPEN, SlotStatus.OPEN):
        raise Conflict(N_("Only a published ad can be reported."))
    reason = _report_reason(reason)
    findings = ad_findings(ad)
    review = AdReview(
        kind=REPORTED,
        status=PENDING,
        created_by_id=caseworker.id,
        report_reason=reason,
        categories=sorted({f.category for f in findings}),
        phrases=[f.phrase for f in findings],
        text_digest=text_digest(ad),
    )
    if isinstance(ad, JobOpening):
        review.opening = ad
    else:
        review.mentor_slot = ad
    session.add(review)
    session.flush()
    kind = TargetKind.OPENING if isinstance(ad, JobOpening) else TargetKind.MENTOR_SLOT
    record_event(
        session, caseworker, "ad.report", ad, review_id=review.id, reason=reason, kind=str(kind)
    )
    for admin in admins(session):
        enqueue(
            session,
            admin,
            "ad.reported",
            f"ad-review:{review.id}",
            {"target_kind": str(kind), "target_id": ad.id, "reason": reason},
        )
    return review


def settle_report(
    session: Session, admin: User, review: AdReview, *, unpublished: bool, note: str
) -> AdReview:
    """Close a caseworker's report: dismissed, or the ad was taken off the service (the
    caller unpublishes it with :func:`models.operations.openings.unpublish_opening` or pauses
    the slot)."""
    if review.kind != REPORTED:
        raise Conflict(N_("This is not a report."))
    note = _required_text(
        "note", note, N_("Write a short note on the decision (at least 10 characters).")
    )
    _decide(session, admin, review, UNPUBLISHED if unpublished else DISMISSED, note)
    session.flush()
    record_event(
        session,
        admin,
        "ad.report_settled",
        review.ad,
        review_id=review.id,
        outcome=review.status,
    )
    return review


def pending_reviews(session: Session) -> list[AdReview]:
    return list(
        session.scalars(
            select(AdReview).where(AdReview.status == PENDING).order_by(AdReview.created_at)
        )
    )
