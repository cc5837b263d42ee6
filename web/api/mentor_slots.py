"""Mentor slots: companies and mentors keep their own; caseworkers read open ones."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask_login import current_user

from models.enums import Role, SlotStatus
from models.mentor_slot import MentorSlot
from models.operations.after_save import commit
from models.operations.mentor_slots import (
    MentorSlotInput,
    create_mentor_slot,
    set_mentor_slot_status,
    update_mentor_slot,
)
from models.scoping import mentor_slots_for
from web.api.pagination import paginate
from web.api.routing import operation
from web.api.schemas import (
    MentorSlotInSchema,
    MentorSlotPageSchema,
    MentorSlotPatchSchema,
    MentorSlotQuery,
    MentorSlotSchema,
)
from web.db import get_db
from web.security import get_scoped_or_404

READERS = (Role.COMPANY, Role.MENTOR, Role.CASEWORKER)
WRITERS = (Role.COMPANY, Role.MENTOR)


def _input(body: dict[str, Any], base: MentorSlotInput | None = None) -> MentorSlotInput:
    values = {f.name: getattr(base, f.name) for f in fields(MentorSlotInput)} if base else {}
    values.update(body)
    for name in ("interests", "languages"):
        if name in values and values[name] is None:
            values[name] = []
    return MentorSlotInput(**values)


def _load(slot_id: int) -> MentorSlot:
    return get_scoped_or_404(mentor_slots_for(current_user), MentorSlot, slot_id)


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
    select = mentor_slots_for(current_user)
    if query.get("status"):
        select = select.where(MentorSlot.status == SlotStatus(query["status"]))
    return paginate(select, query, MentorSlot.id.desc())


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
    db = get_db()
    slot = create_mentor_slot(db, current_user, _input(body))
    commit(db)
    return slot


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
    db = get_db()
    slot = _load(slot_id)
    base = MentorSlotInput(**{f.name: getattr(slot, f.name) for f in fields(MentorSlotInput)})
    update_mentor_slot(db, current_user, slot, _input(body, base))
    commit(db)
    return slot


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
    db = get_db()
    slot = _load(slot_id)
    set_mentor_slot_status(db, current_user, slot, SlotStatus.CLOSED)
    commit(db)
    return slot
