"""Organisations, partnerships and user accounts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from models.enums import OrganisationKind, Role
from models.errors import ValidationError
from models.geo import Municipality, Postcode
from models.i18n import N_
from models.organisation import Organisation, Partnership
from models.user import User
from models.validation import check_cvr, check_email, check_single_line

# argon2id with the library's defaults (RFC 9106 "low memory" profile: t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# zxcvbn's score: 0 = too guessable ... 4 = very unguessable; 3 resists offline attacks on
# a slow hash. zxcvbn ships the common-password and word lists (Dropbox, MIT licence).
MIN_PASSWORD_SCORE = 3
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide

# Lockout: after every LOCKOUT_THRESHOLD consecutive failures the account pauses for
# LOCKOUT_BASE, doubling with each further round, never longer than LOCKOUT_CAP, so an
# attacker can delay a user but never lock them out for good. A success resets it.
LOCKOUT_THRESHOLD = 5
LOCKOUT_BASE = timedelta(minutes=15)
LOCKOUT_CAP = timedelta(hours=2)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        ok = _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return ok


_dummy_hashes: dict[int, str] = {}


def verify_dummy_password(password: str) -> None:
    """Spend the time of one verification, so unknown e-mails answer as slowly as known."""
    dummy = _dummy_hashes.setdefault(id(_hasher), _hasher.hash("only-for-equal-timing"))
    try:
        _hasher.verify(dummy, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        pass


def check_password(password: str, field: str = "password", user_inputs: Iterable[str] = ()) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            field, N_("The password must have at least %(n)s characters."), n=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            field, N_("The password can have at most %(n)s characters."), n=MAX_PASSWORD_LENGTH
        )
    # The user's own e-mail and name, whole and in parts ("hansen.jobcenter@kk.dk").
    inputs = [x.lower() for x in user_inputs if x]
    inputs += [part for x in inputs for part in re.split(r"[^\w]+", x) if len(part) > 2]
    inputs += [x.split("@", 1)[0] for x in inputs if "@" in x]
    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:
        raise ValidationError(
            field,
            N_(
                "This password is too common or too easy to guess. "
                "Try a few unrelated words, e.g. a short sentence."
            ),
        )
    return password


def create_partnership(
    session: Session, name: str, municipality_codes: Iterable[int]
) -> Partnership:
    partnership = Partnership(name=check_single_line("name", name))
    for code in municipality_codes:
        municipality = session.get(Municipality, code)
        if municipality is None:
            raise ValidationError("municipalities", N_("Unknown municipality."))
        partnership.municipalities.append(municipality)
    session.add(partnership)
    session.flush()
    return partnership


def create_organisation(
    session: Session,
    *,
    kind: OrganisationKind,
    name: str,
    cvr: str | None = None,
    postcode: str | None = None,
    contact_email: str | None = None,
    partnerships: Iterable[Partnership] = (),
) -> Organisation:
    if not check_single_line("name", name):
        raise ValidationError("name", N_("Enter a name."))
    if kind is OrganisationKind.COMPANY or cvr:
        cvr = check_cvr(cvr)
        if session.scalar(select(Organisation.id).where(Organisation.cvr == cvr)) is not None:
            raise ValidationError("cvr", N_("An organisation with this CVR number exists."))
    if postcode is not None and session.get(Postcode, postcode) is None:
        raise ValidationError("postcode", N_("Unknown postcode."))
    organisation = Organisation(
        kind=kind,
        name=name.strip(),
        cvr=cvr,
        postcode=postcode,
        contact_email=check_email(contact_email, "contact_email") if contact_email else None,
        partnerships=list(partnerships),
    )
    session.add(organisation)
    session.flush()
    return organisation


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role,
    name: str = "",
    municipality_code: int | None = None,
    organisation: Organisation | None = None,
    locale: str = "da",
    phone: str | None = None,
) -> User:
    email = check_email(email)
    check_password(password, user_inputs=[email, name])
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ValidationError("email", N_("A user with this e-mail address exists."))
    if role is Role.CASEWORKER:
        if municipality_code is None or session.get(Municipality, municipality_code) is None:
            raise ValidationError("municipality", N_("A caseworker needs a municipality."))
    if role is Role.COMPANY and (
        organisation is None or organisation.kind is not OrganisationKind.COMPANY
    ):
        raise ValidationError("organisation", N_("A company user needs a company."))
    if role is Role.MENTOR and organisation is None:
        raise ValidationError("organisation", N_("A mentor needs an organisation."))
    if locale not in ("da", "en"):
        raise ValidationError("locale", N_("Choose Danish or English."))
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        name=name.strip(),
        municipality_code=municipality_code if role is Role.CASEWORKER else None,
        organisation=organisation if role in (Role.COMPANY, Role.MENTOR) else None,
        locale=locale,
        phone=phone,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password(password, user_inputs=[user.email, user.name])
    user.password_hash = hash_password(password)
    user.session_version += 1  # every other session of this user ends


def deactivate_user(user: User) -> None:
    user.active = False
    user.session_version += 1


def record_login(user: User, now: datetime) -> None:
    user.last_login_at = now
    user.failed_logins = 0
    user.locked_until = None


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def record_failed_login(user: User, now: datetime) -> None:
    """Count a failed login; every LOCKOUT_THRESHOLD-th failure pauses the account."""
    user.failed_logins = (user.failed_logins or 0) + 1
    rounds, rest = divmod(user.failed_logins, LOCKOUT_THRESHOLD)
    if rest == 0:
        user.locked_until = now + min(LOCKOUT_BASE * 2 ** min(rounds - 1, 8), LOCKOUT_CAP)


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere (their signed cookies stop matching)."""
    user.session_version += 1


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))
