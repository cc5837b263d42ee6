"""Job openings: post, edit, publish, pause, close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import spec
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import (
    OpeningKind,
    OpeningStatus,
    Role,
)
from models.errors import Conflict, ValidationError
from models.figure_event import FigureKind
from models.geo import known_postcode
from models.i18n import N_
from models.languages import check_languages
from models.mentor_slot import MentorSlot
from models.occupation import Occupation
from models.opening import JobOpening
from models.operations.ad_reviews import ad_findings, hold_if_flagged, justified
from models.operations.after_save import saved
from models.operations.audit import record_event
from models.operations.expiry import expire_pending_suggestions
from models.operations.figures import record_for_ad
from models.operations.outbox import enqueue
from models.user import User
from models.validation import check_hours, check_title
from models.wording import Finding

CLOSED_STATES = (OpeningStatus.CLOSED, OpeningStatus.FILLED)


@dataclass
class OpeningInput:
    title: str
    postcode: str
    description: str = ""
    occupation_uri: str | None = None
    kind: OpeningKind = OpeningKind.JOB
    required_skills: list[str] = field(default_factory=list)
    nice_skills: list[str] = field(default_factory=list)
    hours_min: int = 37
    hours_max: int = 37
    seats: int = 1
    min_age: int = 15
    driving_licence_required: bool = False
    languages: list[str] = field(default_factory=lambda: ["da"])
    mentor_at_workplace: bool = False
    start_date: date | None = None
    expires: date | None = None


def _clean(session: Session, data: OpeningInput) -> OpeningInput:
    title = check_title(data.title)
    if len(title) > spec.TITLE.max_length:
        raise ValidationError(
            "title", N_("The title can have at most %(n)s characters."), n=spec.TITLE.max_length
        )
    postcode = known_postcode(session, data.postcode)
    occupation_uri = (data.occupation_uri or "").strip() or None  # "" means none chosen
    if occupation_uri and session.get(Occupation, occupation_uri) is None:
        raise ValidationError("occupation_uri", N_("Choose an occupation from the list."))
    check_hours(data.hours_min, data.hours_max)
    spec.check_range(
        "seats", data.seats, spec.SEATS, N_("Seats must be between %(min)s and %(max)s.")
    )
    spec.check_range(
        "min_age",
        data.min_age,
        spec.OPENING_MIN_AGE,
        N_("Minimum age must be between %(min)s and %(max)s."),
    )
    if data.start_date and data.expires and data.expires < data.start_date:
        raise ValidationError("expires", N_("The expiry date must be after the start date."))
    languages = check_languages(data.languages)
    return OpeningInput(
        **{
            **{f.name: getattr(data, f.name) for f in fields(OpeningInput)},
            "title": title,
            "occupation_uri": occupation_uri,
            "postcode": postcode,
            "description": spec.check_length("description", data.description, spec.DESCRIPTION),
            "required_skills": [s.strip() for s in data.required_skills if s.strip()],
            "nice_skills": [s.strip() for s in data.nice_skills if s.strip()],
            "languages": languages,
        }
    )


class DiscriminatingWording(ValidationError):
    """The opening's text looks discriminating; it stays a draft until the text is changed."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            findings[0].field,
            N_("The opening was not published: change the wording marked below."),
        )
        self.findings = findings


def wording_findings(opening: JobOpening) -> list[Finding]:
    """What the wording check says about an opening's texts."""
    return ad_findings(opening)


def write_ad(ad: JobOpening | MentorSlot, clean: Any, *, published: bool) -> None:
    """Write a cleaned form (a dataclass of the ad's columns) onto an opening or a mentor
    slot. A published ad keeps passing the wording check, or the change is refused
    (:class:`DiscriminatingWording`; the caller rolls back)."""
    for f in fields(clean):
        setattr(ad, f.name, getattr(clean, f.name))
    if published and not justified(ad):
        findings = ad_findings(ad)
        if findings:
            raise DiscriminatingWording(findings)


def post_opening(
    session: Session, user: User, data: OpeningInput, *, publish: bool = True
) -> JobOpening:
    """Create an opening for the user's organisation (published unless ``publish`` is false).

    If the wording is flagged the opening stays a draft, held for an admin's review.
    """
    clean = _clean(session, data)
    opening = JobOpening(
        organisation_id=user.organisation_id,
        created_by_id=user.id,
        status=OpeningStatus.DRAFT,
        **{f.name: getattr(clean, f.name) for f in fields(OpeningInput)},
    )
    session.add(opening)
    session.flush()
    record_event(session, user, "opening.create", opening)
    if publish:
        publish_opening(session, user, opening)
    return opening


def publish_opening(session: Session, user: User, opening: JobOpening) -> JobOpening:
    """Open a draft or paused opening, after the check for discriminating wording.

    Flagged wording holds the opening for a partnership admin's review instead
    (:mod:`models.operations.ad_reviews`): it stays unpublished and
    ``pending_hold(opening)`` says why; an admin may publish it with a justification.
    """
    if opening.status in CLOSED_STATES:
        raise Conflict(N_("A closed opening cannot be published again."))
    if hold_if_flagged(session, user, opening) is not None:
        return opening
    opening.status = OpeningStatus.OPEN
    opening.unpublished_reason = None
    session.flush()
    if not _published_before(session, opening):
        record_for_ad(session, FigureKind.OPENING_POSTED, opening, amount=opening.seats)
    record_event(session, user, "opening.publish", opening)
    saved(session, opening)
    return opening


def _published_before(session: Session, opening: JobOpening) -> bool:
    """Whether the opening was published before (it is counted as posted once)."""
    return (
        session.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.object_type == "JobOpening",
                AuditEvent.object_id == opening.id,
                AuditEvent.action == "opening.publish",
            )
            .limit(1)
        )
        is not None
    )


def unpublish_opening(
    session: Session,
    admin: User,
    opening: JobOpening,
    reason: str,
    *,
    compose: Callable[[User], tuple[str, str]] | None = None,
) -> JobOpening:
    """The secretariat takes an opening off the service; the company sees the reason.

    The company's contacts get a mail; ``compose(contact)`` may give its subject and text
    in the contact's language (the caller knows the translations; models do not).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", N_("Give the company a reason."))
    if opening.status is not OpeningStatus.OPEN:
        raise Conflict(N_("Only a published opening can be unpublished."))
    opening.status = OpeningStatus.DRAFT
    opening.unpublished_reason = reason[:2000]
    expire_pending_suggestions(session, opening_ids=[opening.id])
    session.flush()
    record_event(session, admin, "opening.unpublish", opening, reason=opening.unpublished_reason)
    for contact in session.scalars(
        select(User).where(
            User.organisation_id == opening.organisation_id,
            User.role == Role.COMPANY,
            User.active.is_(True),
        )
    ):
        notification = enqueue(
            session,
            contact,
            "opening.unpublished",
            f"opening:{opening.id}:{utcnow().isoformat()}",
            {"opening_id": opening.id, "reason": opening.unpublished_reason},
        )
        if notification is not None and compose is not None:
            notification.subject, notification.body_text = compose(contact)
    return opening


def update_opening(
    session: Session, user: User, opening: JobOpening, data: OpeningInput
) -> JobOpening:
    """Change an opening. A published opening keeps passing the wording check, or the
    change is refused (:class:`DiscriminatingWording`; the caller rolls back)."""
    write_ad(opening, _clean(session, data), published=opening.status is OpeningStatus.OPEN)
    session.flush()
    record_event(session, user, "opening.update", opening)
    if opening.status is OpeningStatus.OPEN:
        saved(session, opening)
    return opening


def set_opening_status(
    session: Session, user: User, opening: JobOpening, status: OpeningStatus
) -> JobOpening:
    if status is OpeningStatus.OPEN:
        return publish_opening(session, user, opening)
    if opening.status in CLOSED_STATES and status is not opening.status:
        raise Conflict(N_("This opening is closed."))
    opening.status = status
    if status in CLOSED_STATES:
        expire_pending_suggestions(session, opening_ids=[opening.id], reason=f"opening_{status}")
    session.flush()
    record_event(session, user, "opening.status", opening, after=str(status))
    return opening


def open_openings(session: Session) -> list[JobOpening]:
    return list(session.scalars(select(JobOpening).where(JobOpening.status == OpeningStatus.OPEN)))
