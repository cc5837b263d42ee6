"""Single sign-on of staff: which account an identity provider's user is, and its set-up.

Only staff (caseworkers and the secretariat) sign in this way; companies and mentors keep
their password. The provider's ``user_claim`` (e-mail by default) is matched against the
account's e-mail; with a ``role_claim``, the provider must also give the account's role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import Role
from models.errors import DomainError, ValidationError
from models.i18n import N_
from models.operations.accounts import find_user_by_email
from models.operations.audit import record_event
from models.organisation import Partnership
from models.organisation import partnership_municipality as municipalities
from models.support import IdentityProvider
from models.user import User

STAFF_ROLES = (Role.CASEWORKER, Role.ADMIN)


class SignInRefused(DomainError):
    """The identity provider vouched for someone who may not sign in here."""


def sso_user(session: Session, provider: IdentityProvider, claims: Mapping[str, Any]) -> User:
    """The active staff account the validated ID-token claims belong to, or SignInRefused."""
    value = claims.get(provider.user_claim)
    if not isinstance(value, str) or not value.strip():
        raise SignInRefused(
            N_("Your organisation's login did not tell who you are (%(claim)s is missing)."),
            claim=provider.user_claim,
        )
    user = find_user_by_email(session, value)
    if user is None or not user.active:
        raise SignInRefused(
            N_(
                "Your organisation's login worked, but no account here belongs to %(who)s. "
                "Ask your partnership's secretariat to create one."
            ),
            who=value.strip().lower(),
        )
    if user.role not in STAFF_ROLES:
        raise SignInRefused(
            N_("Companies and mentors log in with their e-mail address and password.")
        )
    if user.role is Role.CASEWORKER:
        serves = session.scalar(
            select(municipalities.c.partnership_id).where(
                municipalities.c.partnership_id == provider.partnership_id,
                municipalities.c.municipality_code == user.municipality_code,
            )
        )
        if serves is None:
            raise SignInRefused(N_("Your account belongs to another partnership: use its login."))
    if provider.role_claim:
        given = claims.get(provider.role_claim) or []
        given = [given] if isinstance(given, str) else list(given)
        wanted = (provider.role_values or {}).get(user.role.value)
        if not wanted or wanted not in given:
            raise SignInRefused(N_("Your organisation's login does not give you this role here."))
    return user


def save_identity_provider(
    session: Session,
    admin: User,
    partnership: Partnership,
    *,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    user_claim: str,
    role_claim: str | None,
    role_values: Mapping[str, str],
    active: bool,
) -> IdentityProvider:
    """Create or change the partnership's provider (an empty secret keeps the one stored)."""
    issuer = (issuer or "").strip().rstrip("/")
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValidationError("issuer", N_("The issuer must be an https:// address."))
    if not (client_id or "").strip():
        raise ValidationError("client_id", N_("Enter the client ID."))
    provider = session.scalar(
        select(IdentityProvider).where(IdentityProvider.partnership_id == partnership.id)
    )
    if provider is None:
        if not client_secret:
            raise ValidationError("client_secret", N_("Enter the client secret."))
        provider = IdentityProvider(partnership_id=partnership.id)
        session.add(provider)
    provider.name = (name or "").strip() or partnership.name
    provider.issuer = issuer
    provider.client_id = client_id.strip()
    if client_secret:
        provider.client_secret = client_secret
    provider.user_claim = (user_claim or "").strip() or "email"
    provider.role_claim = (role_claim or "").strip() or None
    provider.role_values = {k: v.strip() for k, v in role_values.items() if v and v.strip()}
    provider.active = active
    session.flush()
    record_event(session, admin, "partnership.sso", partnership, issuer=issuer, active=active)
    return provider
