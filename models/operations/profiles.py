"""Anonymised youth profiles: create, edit, change status, read (audited)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import spec
from models.base import utcnow
from models.enums import PENDING_STATUSES, ProfileStatus, SuggestionStatus
from models.errors import Conflict, ValidationError
from models.figure_event import FigureKind
from models.geo import known_postcode
from models.i18n import N_
from models.languages import check_languages
from models.occupation import Occupation
from models.operations.after_save import saved
from models.operations.audit import record_event
from models.operations.figures import record_figure
from models.suggestion import Suggestion
from models.user import User
from models.validation import check_birth_year, check_free_text, check_free_texts, check_hours
from models.youth import EDUCATION_LEVELS, PREFERRED_KINDS, YouthProfile

# Crockford's base32 without I, L, O, U: no look-alike characters, no accidental words.
_PSEUDONYM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"


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
    former_jobs: list[str] = field(default_factory=list)
    preferred_kinds: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, profile: YouthProfile) -> ProfileInput:
        """What a profile holds now (to change one part of it through the same rules)."""
        return cls(**{f.name: getattr(profile, f.name) for f in fields(cls)})


def _occupation_texts(session: Session, name: str, items: list[str]) -> list[str]:
    """Wishes and former jobs: free text through the identifier guard; an ESCO occupation URI
    (picked from the list) as it is, if it is one (its UUID digits are no phone number)."""
    texts = [item.strip() for item in items if item and item.strip()]
    uris = {text for text in texts if text.startswith(ESCO_OCCUPATION)}
    known = (
        set(session.scalars(select(Occupation.uri).where(Occupation.uri.in_(uris))))
        if uris
        else set()
    )
    if uris - known:
        raise ValidationError(name, N_("Unknown occupation."))
    return [text if text in known else check_free_text(name, text) for text in texts]


def _clean(session: Session, data: ProfileInput, today: date, *, new: bool) -> ProfileInput:
    if new:
        check_birth_year(data.birth_year, today)
    postcode = known_postcode(session, data.postcode)
    check_hours(data.hours_min, data.hours_max)
    spec.check_range(
        "max_commute_km",
        data.max_commute_km,
        spec.COMMUTE_KM,
        N_("Max commute must be %(min)s–%(max)s km."),
    )
    if data.education_level not in EDUCATION_LEVELS:
        raise ValidationError("education_level", N_("Choose an education level from the list."))
    languages = check_languages(data.languages)
    if not languages:
        raise ValidationError("languages", N_("Choose at least one language."))
    kinds = [str(kind).strip() for kind in data.preferred_kinds if str(kind).strip()]
    if any(kind not in PREFERRED_KINDS for kind in kinds):
        raise ValidationError("preferred_kinds", N_("Choose the preferred kinds from the list."))
    return ProfileInput(
        birth_year=data.birth_year,
        postcode=postcode,
        max_commute_km=data.max_commute_km,
        education_level=data.education_level,
        skills=check_free_texts("skills", data.skills),
        interests=check_free_texts("interests", data.interests),
        wished_occupations=_occupation_texts(
            session, "wished_occupations", data.wished_occupations
        ),
        hours_min=data.hours_min,
        hours_max=data.hours_max,
        languages=languages,
        driving_licence=bool(data.driving_licence),
        needs_mentor=bool(data.needs_mentor),
        available_from=data.available_from,
        support_notes=check_free_text(
            "support_notes",
            spec.check_length("support_notes", data.support_notes, spec.SUPPORT_NOTES),
        ),
        former_jobs=_occupation_texts(session, "former_jobs", data.former_jobs),
        preferred_kinds=[kind for kind in PREFERRED_KINDS if kind in kinds],
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
    for kind in (FigureKind.PROFILE_CREATED, FigureKind.PROFILE_ACTIVATED):
        record_figure(session, kind, municipality_code=profile.municipality_code, now=now)
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
    # A stored birth year is kept as it is (a young person may have aged past the range
    # since), but a changed one is held to the same range as a new profile's.
    clean = _clean(session, data, now.date(), new=data.birth_year != profile.birth_year)
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


def add_wished_occupation(
    session: Session,
    caseworker: User,
    profile: YouthProfile,
    occupation_uri: str,
    *,
    now: datetime | None = None,
) -> bool:
    """Add an ESCO occupation (by URI, which the engine takes as is) to the profile's wishes,
    e.g. one of its possible occupations after talking it through with the young person.
    A profile change like any other (same rules, audited); False if it was a wish already."""
    if session.get(Occupation, occupation_uri) is None:
        raise ValidationError("occupation", N_("Unknown occupation."))
    if occupation_uri in profile.wished_occupations:
        return False
    data = ProfileInput.of(profile)
    data.wished_occupations = [*profile.wished_occupations, occupation_uri]
    update_profile(session, caseworker, profile, data, now=now)
    return True


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
        record_figure(
            session,
            FigureKind.PROFILE_ACTIVATED,
            municipality_code=profile.municipality_code,
            now=now,
        )
    if status is ProfileStatus.PLACED:
        # IPS: support continues after hiring; the caseworker keeps a follow-up date.
        profile.follow_up_on = follow_up_on or date.fromordinal(now.date().toordinal() + 30)
    if status is ProfileStatus.CLOSED:
        profile.closed_at = now
    if status in (ProfileStatus.CLOSED, ProfileStatus.PAUSED, ProfileStatus.PLACED):
        # Nobody should be asked about a young person who is not looking right now.
        for suggestion in session.scalars(
            select(Suggestion).where(
                Suggestion.youth_id == profile.id, Suggestion.status.in_(PENDING_STATUSES)
            )
        ):
            suggestion.status = SuggestionStatus.WITHDRAWN
            suggestion.reason_code = f"youth_{status}"
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


def confirm_profile(
    session: Session, caseworker: User, profile: YouthProfile, *, now: datetime | None = None
) -> YouthProfile:
    """ "Bekræft profil": the young person confirmed the profile still holds; the reminder
    to reconfirm clears and the date is kept."""
    now = now or utcnow()
    profile.confirmed_at = now
    profile.reconfirm_requested_at = None
    profile.last_activity_at = now
    session.flush()
    record_event(session, caseworker, "profile.confirm", profile)
    return profile


# What a follow-up after a placement found; the first two keep the profile placed.
FOLLOW_UP_RESULTS = ("still_in_job", "in_education", "searching_again")


def record_follow_up(
    session: Session,
    caseworker: User,
    profile: YouthProfile,
    result: str,
    next_follow_up_on: date | None = None,
    *,
    now: datetime | None = None,
) -> YouthProfile:
    """The follow-up after a placement (IPS): still in the job or the education (with an
    optional next follow-up date), or searching again (the profile is active once more)."""
    now = now or utcnow()
    if profile.status is not ProfileStatus.PLACED or profile.follow_up_on is None:
        raise Conflict(N_("No follow-up is planned for this profile."))
    if result not in FOLLOW_UP_RESULTS:
        raise ValidationError("result", N_("Choose what the follow-up found."))
    if result == "searching_again":
        profile.status = ProfileStatus.ACTIVE
        profile.active_since = now
        profile.follow_up_on = None
    else:
        check_follow_up(next_follow_up_on, now.date(), field="next_follow_up_on")
        profile.follow_up_on = next_follow_up_on
    profile.last_activity_at = now
    session.flush()
    _count_follow_up(session, profile, result != "searching_again", now)
    record_event(
        session,
        caseworker,
        "profile.follow_up",
        profile,
        result=result,
        next=next_follow_up_on.isoformat() if next_follow_up_on else None,
    )
    return profile


def _count_follow_up(
    session: Session, profile: YouthProfile, still_placed: bool, now: datetime
) -> None:
    """The partnership figures count the follow-up as the 30- or the 90-day one, by the days
    since the placement was recorded (up to 60 days: the 30-day one)."""
    from models.operations import figures

    placed_at = session.scalar(
        select(func.max(Suggestion.outcome_recorded_at)).where(
            Suggestion.youth_id == profile.id, Suggestion.status == SuggestionStatus.PLACED
        )
    )
    days = (now - placed_at).days if placed_at is not None else 0
    after = figures.FOLLOW_UP_AFTER[0] if days <= 60 else figures.FOLLOW_UP_AFTER[1]
    figures.record_follow_up(session, profile.municipality_code, after, still_placed, now=now)
