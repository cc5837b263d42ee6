"""Youth profiles: caseworkers of the owning municipality only. Every read is audited."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from models.enums import Role
from models.operations.profiles import ProfileInput, create_profile, read_profile, update_profile
from models.scoping import profiles_for
from models.youth import YouthProfile
from web.api.resources import load, operation_input, page, run
from web.api.routing import operation
from web.api.schemas import (
    ProfileInSchema,
    ProfilePageSchema,
    ProfilePatchSchema,
    ProfileQuery,
    ProfileSchema,
)
from web.db import get_db

CASEWORKERS = (Role.CASEWORKER,)


def _load(profile_id: int) -> YouthProfile:
    return load(profiles_for, YouthProfile, profile_id)


@operation(
    "/profiles",
    "GET",
    summary="List profiles",
    tag="profiles",
    roles=CASEWORKERS,
    query=ProfileQuery,
    response=ProfilePageSchema,
)
def list_profiles(query: dict[str, Any]) -> dict[str, Any]:
    """Your municipality's profiles; each profile on the page is an audited read."""
    found = page(profiles_for, query, YouthProfile.id.desc(), {"status": YouthProfile.status})
    db = get_db()
    for profile in found["items"]:
        read_profile(db, current_user, profile)
    db.commit()
    return found


@operation(
    "/profiles",
    "POST",
    summary="Create a profile",
    tag="profiles",
    roles=CASEWORKERS,
    body=ProfileInSchema,
    response=ProfileSchema,
    status=201,
)
def create(body: dict[str, Any]) -> YouthProfile:
    """In your municipality; consent is recorded now. Free text may not hold identifiers."""
    return run(create_profile, operation_input(ProfileInput, body))


@operation(
    "/profiles/<int:profile_id>",
    "GET",
    summary="Read a profile",
    tag="profiles",
    roles=CASEWORKERS,
    response=ProfileSchema,
)
def get_profile(profile_id: int) -> YouthProfile:
    db = get_db()
    profile = read_profile(db, current_user, _load(profile_id))
    db.commit()
    return profile


@operation(
    "/profiles/<int:profile_id>",
    "PATCH",
    summary="Change a profile",
    tag="profiles",
    roles=CASEWORKERS,
    body=ProfilePatchSchema,
    response=ProfileSchema,
)
def patch_profile(profile_id: int, body: dict[str, Any]) -> YouthProfile:
    profile = _load(profile_id)
    return run(update_profile, profile, operation_input(ProfileInput, body, profile))
