"""Job openings: companies create, update, list and close their own; caseworkers read open ones."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask_login import current_user

from models.enums import OpeningKind, OpeningStatus, Role
from models.opening import JobOpening
from models.operations.after_save import commit
from models.operations.openings import (
    OpeningInput,
    post_opening,
    set_opening_status,
    update_opening,
)
from models.scoping import openings_for
from web.api.pagination import paginate
from web.api.routing import operation
from web.api.schemas import (
    OpeningCloseSchema,
    OpeningCreateSchema,
    OpeningPageSchema,
    OpeningPatchSchema,
    OpeningQuery,
    OpeningSchema,
)
from web.db import get_db
from web.security import get_scoped_or_404

READERS = (Role.COMPANY, Role.CASEWORKER)
WRITERS = (Role.COMPANY,)


def _input(body: dict[str, Any], base: OpeningInput | None = None) -> OpeningInput:
    values = {f.name: getattr(base, f.name) for f in fields(OpeningInput)} if base else {}
    values.update({k: v for k, v in body.items() if k != "publish"})
    if "kind" in values and not isinstance(values["kind"], OpeningKind):
        values["kind"] = OpeningKind(values["kind"])
    for name in ("required_skills", "nice_skills", "languages"):
        if values.get(name) is None and name in values:
            values[name] = []
    return OpeningInput(**values)


def _load(opening_id: int) -> JobOpening:
    return get_scoped_or_404(openings_for(current_user), JobOpening, opening_id)


@operation(
    "/openings",
    "GET",
    summary="List openings",
    tag="openings",
    roles=READERS,
    query=OpeningQuery,
    response=OpeningPageSchema,
)
def list_openings(query: dict[str, Any]) -> dict[str, Any]:
    """A company's own openings; for caseworkers, the open openings within reach."""
    select = openings_for(current_user)
    if query.get("status"):
        select = select.where(JobOpening.status == OpeningStatus(query["status"]))
    if query.get("kind"):
        select = select.where(JobOpening.kind == OpeningKind(query["kind"]))
    return paginate(select, query, JobOpening.id.desc())


@operation(
    "/openings",
    "POST",
    summary="Create an opening",
    tag="openings",
    roles=WRITERS,
    body=OpeningCreateSchema,
    response=OpeningSchema,
    status=201,
)
def create_opening(body: dict[str, Any]) -> JobOpening:
    """Posted for the company of the token's user; published unless ``publish`` is false."""
    db = get_db()
    opening = post_opening(db, current_user, _input(body), publish=body.get("publish", True))
    commit(db)
    return opening


@operation(
    "/openings/<int:opening_id>",
    "GET",
    summary="Read an opening",
    tag="openings",
    roles=READERS,
    response=OpeningSchema,
)
def get_opening(opening_id: int) -> JobOpening:
    return _load(opening_id)


@operation(
    "/openings/<int:opening_id>",
    "PATCH",
    summary="Change an opening",
    tag="openings",
    roles=WRITERS,
    body=OpeningPatchSchema,
    response=OpeningSchema,
)
def patch_opening(opening_id: int, body: dict[str, Any]) -> JobOpening:
    """Only the fields sent change; the rules are those of the web form."""
    db = get_db()
    opening = _load(opening_id)
    base = OpeningInput(**{f.name: getattr(opening, f.name) for f in fields(OpeningInput)})
    update_opening(db, current_user, opening, _input(body, base))
    commit(db)
    return opening


@operation(
    "/openings/<int:opening_id>/close",
    "POST",
    summary="Close an opening",
    tag="openings",
    roles=WRITERS,
    body=OpeningCloseSchema,
    response=OpeningSchema,
)
def close_opening(opening_id: int, body: dict[str, Any]) -> JobOpening:
    """Closed (or filled): undecided suggestions for it expire."""
    db = get_db()
    opening = _load(opening_id)
    set_opening_status(db, current_user, opening, OpeningStatus(body["status"]))
    commit(db)
    return opening
