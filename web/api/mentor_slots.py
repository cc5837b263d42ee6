"""Mentor slots: companies and mentors keep their own; caseworkers read open ones."""

from __future__ import annotations

from typing import Any

from models.enums import Role, SlotStatus
from models.mentor_slot import MentorSlot
from models.operations.mentor_slots import (
    MentorSlotInput,
    create_mentor_slot,
    set_mentor_slot_status,
    update_mentor_slot,
)
from models.scoping import mentor_slots_for
from web.api.resources import load, operation_input, page, run
from web.api.routing import operation
from web.api.schemas import (
    MentorSlotInSchema,
    MentorSlotPageSchema,
    MentorSlotPatchSchema,
    MentorSlotQuery,
    MentorSlotSchema,
)

READERS = (Role.COMPANY, Role.MENTOR, Role.CASEWORKER)
WRITERS = (Role.COMPANY, Role.MENTOR)


def _load(slot_id: int) -> MentorSlot:
    return load(mentor_slots_for, MentorSlot, slot_id)


@operation(
    "/mentor-slots",
    "GET",
    summary="List mentor slots",
    tag="mentor slots",
    roles=READERS,
    query=MentorSlotQuery,
    response=MentorSlotPageSchema,
)
def list_mentor_slots(query: dict[str, Any]) -> dict[str, Any]:
    """Your own slots (company: your organisation's); caseworkers: the open ones."""
    return page(mentor_slots_for, query, MentorSlot.id.desc(), {"status": MentorSlot.status})


@operation(
    "/mentor-slots",
    "POST",
    summary="Offer a mentor slot",
    tag="mentor slots",
    roles=WRITERS,
    body=MentorSlotInSchema,
    response=MentorSlotSchema,
    status=201,
)
def create_slot(body: dict[str, Any]) -> MentorSlot:
    return run(create_mentor_slot, operation_input(MentorSlotInput, body))


@operation(
    "/mentor-slots/<int:slot_id>",
    "GET",
    summary="Read a mentor slot",
    tag="mentor slots",
    roles=READERS,
    response=MentorSlotSchema,
)
def get_slot(slot_id: int) -> MentorSlot:
    return _load(slot_id)


@operation(
    "/mentor-slots/<int:slot_id>",
    "PATCH",
    summary="Change a mentor slot",
    tag="mentor slots",
    roles=WRITERS,
    body=MentorSlotPatchSchema,
    response=MentorSlotSchema,
)
def patch_slot(slot_id: int, body: dict[str, Any]) -> MentorSlot:
    slot = _load(slot_id)
    return run(update_mentor_slot, slot, operation_input(MentorSlotInput, body, slot))


@operation(
    "/mentor-slots/<int:slot_id>/close",
    "POST",
    summary="Close a mentor slot",
    tag="mentor slots",
    roles=WRITERS,
    response=MentorSlotSchema,
)
def close_slot(slot_id: int) -> MentorSlot:
    """Closed: undecided offers for it expire."""
    return run(set_mentor_slot_status, _load(slot_id), SlotStatus.CLOSED)
