"""Personal access tokens for the JSON API.

A token is a long random secret shown to its owner once. Only its SHA-256 is stored (the
secret has 256 bits of entropy, so a fast hash is enough; no salt or slow hash is needed)
together with a short prefix that lets the owner recognise it in the list. A token acts as
its user: same role, same tenant, same scoping; it dies with the user's deactivation, its
expiry or its revocation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.errors import ValidationError
from models.i18n import N_
from models.operations.audit import record_event
from models.token import ApiToken
from models.user import User

TOKEN_PREFIX = "ugm_"  # noqa: S105 - a public marker, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 365
# A token's use is audited at most once per this interval (not on every request).
USE_AUDIT_INTERVAL = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    session: Session,
    user: User,
    name: str,
    days: int = DEFAULT_DAYS,
    *,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret (shown once, never stored)."""
    now = now or utcnow()
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", N_("Enter a name."))
    if len(name) > 100:
        raise ValidationError("name", N_("The name can have at most %(n)s characters."), n=100)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError("days", N_("A token can be valid for 1 to %(n)s days."), n=MAX_DAYS)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[:12],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    record_event(session, user, "token.create", token, prefix=token.prefix, days=days)
    return token, secret


def revoke_token(
    session: Session, user: User, token: ApiToken, *, now: datetime | None = None
) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.flush()
        record_event(session, user, "token.revoke", token, prefix=token.prefix)


def tokens_of(user: User):  # type: ignore[no-untyped-def]
    """The scoped query for a user's own tokens (newest first)."""
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())


def authenticate_token(
    session: Session, secret: str, *, now: datetime | None = None, ip: str | None = None
) -> User | None:
    """The active user a valid token belongs to, or None. Audits its use now and then."""
    now = now or utcnow()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= USE_AUDIT_INTERVAL:
        token.last_used_at = now
        record_event(session, user, "token.use", token, ip=ip, prefix=token.prefix)
        session.flush()
    return user
