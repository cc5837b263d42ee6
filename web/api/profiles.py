"""Youth profiles: caseworkers of the owning municipality only. Every read is audited."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask_login import current_user

from models.enums import ProfileStatus, Role
from models.operations.after_save import commit
from models.operations.profiles import ProfileInput, create_profile, read_profile, update_profile
from models.scoping import profiles_for
from models.youth import YouthProfile
from web.api.pagination import paginate
from web.api.routing import operation
from web.api.schemas import (
    ProfileInSchema,
    ProfilePageSchema,
    ProfilePatchSchema,
    ProfileQuery,
    ProfileSchema,
)
from web.db import get_db
from web.security import get_scoped_or_404

CASEWORKERS = (Role.CASEWORKER,)


def _input(body: dict[str, Any], base: ProfileInput | None = None) -> ProfileInput:
    values = {f.name: getattr(base, f.name) for f in fields(ProfileInput)} if base else {}
    values.update(body)
    for name in (
        "skills",
        "interests",
        "wished_occupations",
        "languages",
        "former_jobs",
        "preferred_kinds",
    ):
        if name in values and values[name] is None:
            values[name] = []
    if values.get("support_notes") is None and "support_notes" in values:
        values["support_notes"] = ""
    return ProfileInput(**values)


def _load(profile_id: int) -> YouthProfile:
    return get_scoped_or_404(profiles_for(current_user), YouthProfile, profile_id)


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
    select = profiles_for(current_user)
    if query.get("status"):
        select = select.where(YouthProfile.status == ProfileStatus(query["status"]))
    page = paginate(select, query, YouthProfile.id.desc())
    db = get_db()
    for profile in page["items"]:
        read_profile(db, current_user, profile)
    db.commit()
    return page


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
    db = get_db()
    profile = create_profile(db, current_user, _input(body))
    commit(db)
    return profile


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
    db = get_db()
    profile = _load(profile_id)
    base = ProfileInput(**{f.name: getattr(profile, f.name) for f in fields(ProfileInput)})
    update_profile(db, current_user, profile, _input(body, base))
    commit(db)
    return profile
