"""Job openings: companies create, update, list and close their own; caseworkers read open ones."""

from __future__ import annotations

from typing import Any

from models.enums import OpeningStatus, Role
from models.opening import JobOpening
from models.operations.openings import (
    OpeningInput,
    post_opening,
    set_opening_status,
    update_opening,
)
from models.scoping import openings_for
from web.api.resources import load, operation_input, page, run
from web.api.routing import operation
from web.api.schemas import (
    OpeningCloseSchema,
    OpeningCreateSchema,
    OpeningPageSchema,
    OpeningPatchSchema,
    OpeningQuery,
    OpeningSchema,
)

READERS = (Role.COMPANY, Role.CASEWORKER)
WRITERS = (Role.COMPANY,)


def _load(opening_id: int) -> JobOpening:
    return load(openings_for, JobOpening, opening_id)


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
    filters = {"status": JobOpening.status, "kind": JobOpening.kind}
    return page(openings_for, query, JobOpening.id.desc(), filters)


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
    return run(post_opening, operation_input(OpeningInput, body), publish=body["publish"])


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
    opening = _load(opening_id)
    return run(update_opening, opening, operation_input(OpeningInput, body, opening))


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
    return run(set_opening_status, _load(opening_id), OpeningStatus(body["status"]))
