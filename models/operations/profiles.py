"""Anonymised youth profiles: create, edit, change status, read (audited)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import spec
from models.base import utcnow
from models.enums import PENDING_STATUSES, ProfileStatus, SuggestionStatus
from models.errors import ValidationError
from models.geo import Postcode
from models.i18n import N_
from models.operations.after_save import saved
from models.operations.audit import record_event
from models.suggestion import Suggestion
from models.user import User
from models.validation import check_birth_year, check_free_text, check_free_texts, check_hours
from models.youth import EDUCATION_LEVELS, YouthProfile

# Crockford's base32 without I, L, O, U: no look-alike characters, no accidental words.
_PSEUDONYM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def new_pseudonym() -> str:
    chars = "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(6))
    return f"U-{chars[:4]}-{chars[4:]}"


@dataclass
class ProfileInput:
    """What a caseworker may record about a young person (and nothing more)."""

    birth_year: int
    postcode: str
    max_commute_km: int = 20
    education_level: str = "primary"
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    wished_occupations: list[str] = field(default_factory=list)
    hours_min: int = 10
    hours_max: int = 37
    languages: list[str] = field(default_factory=lambda: ["da"])
    driving_licence: bool = False
    needs_mentor: bool = False
    available_from: date | None = None
    support_notes: str = ""


def _clean(session: Session, data: ProfileInput, today: date, *, new: bool) -> ProfileInput:
    if new:
        check_birth_year(data.birth_year, today)
    if session.get(Postcode, (data.postcode or "").strip()) is None:
        raise ValidationError("postcode", N_("Unknown postcode."))
    check_hours(data.hours_min, data.hours_max)
    spec.check_range(
        "max_commute_km",
        data.max_commute_km,
        spec.COMMUTE_KM,
        N_("Max commute must be %(min)s–%(max)s km."),
    )
    if data.education_level not in EDUCATION_LEVELS:
        raise ValidationError("education_level", N_("Choose an education level from the list."))
    languages = [lang.strip().lower() for lang in data.languages if lang.strip()]
    if not languages or any(not _LANGUAGE.fullmatch(lang) for lang in languages):
        raise ValidationError(
            "languages", N_("Give languages as two-letter codes, e.g. da, en, ar.")
        )
    return ProfileInput(
        birth_year=data.birth_year,
        postcode=data.postcode.strip(),
        max_commute_km=data.max_commute_km,
        education_level=data.education_level,
        skills=check_free_texts("skills", data.skills),
        interests=check_free_texts("interests", data.interests),
        wished_occupations=check_free_texts("wished_occupations", data.wished_occupations),
        hours_min=data.hours_min,
        hours_max=data.hours_max,
        languages=sorted(set(languages)),
        driving_licence=bool(data.driving_licence),
        needs_mentor=bool(data.needs_mentor),
        available_from=data.available_from,
        support_notes=check_free_text(
            "support_notes",
            spec.check_length("support_notes", data.support_notes, spec.SUPPORT_NOTES),
        ),
    )


def create_profile(
    session: Session, caseworker: User, data: ProfileInput, *, now: datetime | None = None
) -> YouthProfile:
    """Create a profile in the caseworker's municipality; consent is recorded now."""
    now = now or utcnow()
    clean = _clean(session, data, now.date(), new=True)
    pseudonym = new_pseudonym()
    while session.scalar(select(YouthProfile.id).where(YouthProfile.pseudonym == pseudonym)):
        pseudonym = new_pseudonym()
    profile = YouthProfile(
        pseudonym=pseudonym,
        municipality_code=caseworker.municipality_code,
        caseworker_id=caseworker.id,
        consent_recorded_at=now,
        active_since=now,
        last_activity_at=now,
        status=ProfileStatus.ACTIVE,
        **{f.name: getattr(clean, f.name) for f in fields(ProfileInput)},
    )
    session.add(profile)
    session.flush()
    record_event(session, caseworker, "profile.create", profile)
    saved(session, profile)
    return profile


def update_profile(
    session: Session,
    caseworker: User,
    profile: YouthProfile,
    data: ProfileInput,
    *,
    now: datetime | None = None,
) -> YouthProfile:
    now = now or utcnow()
    clean = _clean(session, data, now.date(), new=False)
    changed = []
    for f in fields(ProfileInput):
        value = getattr(clean, f.name)
        if getattr(profile, f.name) != value:
            setattr(profile, f.name, value)
            changed.append(f.name)
    profile.last_activity_at = now
    profile.reconfirm_requested_at = None
    session.flush()
    record_event(session, caseworker, "profile.update", profile, fields=changed)
    saved(session, profile)
    return profile


def read_profile(session: Session, user: User, profile: YouthProfile) -> YouthProfile:
    """Mark that a user read a profile (reading personal data is audited)."""
    record_event(session, user, "profile.read", profile)
    return profile


def set_profile_status(
    session: Session,
    caseworker: User,
    profile: YouthProfile,
    status: ProfileStatus,
    *,
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> YouthProfile:
    now = now or utcnow()
    previous = profile.status
    if status is ProfileStatus.PLACED:
        check_follow_up(follow_up_on, now.date())
    if status is previous:
        return profile
    profile.status = status
    profile.last_activity_at = now
    if status is ProfileStatus.ACTIVE:
        profile.active_since = now
        profile.closed_at = None
    if status is ProfileStatus.PLACED:
        # IPS: support continues after hiring; the caseworker keeps a follow-up date.
        profile.follow_up_on = follow_up_on or date.fromordinal(now.date().toordinal() + 30)
    if status is ProfileStatus.CLOSED:
        profile.closed_at = now
    if status in (ProfileStatus.CLOSED, ProfileStatus.PAUSED):
        # Nobody should be asked about a young person who is not looking right now.
        for suggestion in session.scalars(
            select(Suggestion).where(
                Suggestion.youth_id == profile.id, Suggestion.status.in_(PENDING_STATUSES)
            )
        ):
            suggestion.status = SuggestionStatus.WITHDRAWN
    session.flush()
    record_event(
        session, caseworker, "profile.status", profile, before=str(previous), after=str(status)
    )
    return profile


def check_follow_up(follow_up_on: date | None, today: date, field: str = "follow_up_on") -> None:
    """IPS: support continues after hiring; a follow-up date lies ahead, within a year."""
    if follow_up_on is None:
        return
    if follow_up_on < today:
        raise ValidationError(field, N_("The follow-up date cannot be in the past."))
    if (follow_up_on - today).days > 366:
        raise ValidationError(field, N_("Choose a follow-up date within a year."))


def days_without_approved_proposal(
    profile: YouthProfile, today: date, last_approved_at: datetime | None = None
) -> int:
    """Days the profile has been active without an approved proposal (IPS rapid search).

    Counted from the later of ``active_since`` and the last approval; lists compute
    ``last_approved_at`` in bulk (:mod:`models.caseload`), a single profile may omit it.
    """
    start = profile.active_since
    if last_approved_at is not None and last_approved_at > start:
        start = last_approved_at
    return max(0, (today - start.date()).days)
