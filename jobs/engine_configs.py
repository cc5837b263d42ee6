"""Engine configs: the active weights, proposals, adoption by an admin, return to a version.

Business rules (see models/engine_config.py for the table):

* there is always exactly one ``active`` config; the first one (version 1) holds the
  engine's defaults (``matcher/config.py``) and is created when first asked for;
* a proposal (``proposed``) is adopted or rejected by an admin, who and when recorded and
  audited; adopting retires the active config and makes the proposal active: the next
  nightly run scores with it;
* a proposal, and every adopted config, must keep the guard rails
  (:func:`matcher.learn.check_guard_rails`);
* returning to the previous version writes a new version with the previous weights
  (``source = "restored"``), so versions only grow and each suggestion's label stays true.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher import ENGINE_VERSION, EngineConfig
from matcher.config import DEFAULT_MENTOR_WEIGHTS, DEFAULT_OPENING_WEIGHTS
from matcher.learn import GuardRailError, check_guard_rails
from models.base import utcnow
from models.engine_config import EngineConfigRow, engine_label
from models.errors import Conflict
from models.i18n import N_
from models.operations.audit import record_event
from models.user import User


def _next_version(session: Session) -> int:
    # Version 1 is the defaults, also when no row holds them yet (see active_config).
    return max(1, int(session.scalar(select(func.max(EngineConfigRow.version))) or 0)) + 1


def _defaults() -> EngineConfigRow:
    return EngineConfigRow(
        version=1,
        status="active",
        opening_weights=dict(DEFAULT_OPENING_WEIGHTS),
        mentor_weights=dict(DEFAULT_MENTOR_WEIGHTS),
        source="defaults",
        based_on_version=None,
        figures={},
    )


def active_config(session: Session) -> EngineConfigRow:
    """The config the engine scores with. The migration stores version 1 (the engine's
    defaults); should no row be active, an unsaved version 1 with the defaults answers
    (reading never writes: the nightly run and the web's fast paths call this)."""
    row = session.scalar(select(EngineConfigRow).where(EngineConfigRow.status == "active"))
    return row if row is not None else _defaults()


def engine_config(session: Session, today: date) -> EngineConfig:
    """An :class:`matcher.EngineConfig` with the active weights, for ``today``."""
    row = active_config(session)
    return EngineConfig(
        opening_weights=dict(row.opening_weights),
        mentor_weights=dict(row.mentor_weights),
        today=today,
    )


def active_label(session: Session) -> str:
    """What suggestions scored now record as ``engine_version`` ("0.1.0+w2")."""
    return engine_label(ENGINE_VERSION, active_config(session).version)


def propose_config(
    session: Session,
    opening_weights: Mapping[str, float],
    figures: dict[str, Any],
    *,
    created_by: User | None = None,
    now: datetime | None = None,
) -> EngineConfigRow:
    """A proposal beside the active config (its mentor weights stay as they are)."""
    check_guard_rails(opening_weights)
    current = active_config(session)
    EngineConfig(opening_weights=dict(opening_weights), mentor_weights=current.mentor_weights)
    row = EngineConfigRow(
        version=_next_version(session),
        status="proposed",
        opening_weights={k: float(v) for k, v in opening_weights.items()},
        mentor_weights=dict(current.mentor_weights),
        source="learned",
        based_on_version=current.version,
        figures=figures,
        created_by_id=created_by.id if created_by is not None else None,
        created_at=now or utcnow(),
    )
    session.add(row)
    session.flush()
    record_event(session, created_by, "engine_config.propose", row, version=row.version)
    return row


def _activate(session: Session, admin: User, row: EngineConfigRow, now: datetime) -> None:
    try:
        check_guard_rails(row.opening_weights)
    except GuardRailError as error:
        raise Conflict(
            N_("These weights break a guard rail: %(detail)s"), detail=str(error)
        ) from error
    current = active_config(session)
    taken = session.scalar(select(EngineConfigRow.id).where(EngineConfigRow.version == 1))
    if current.id is None and taken is None:
        session.add(current)  # the unsaved defaults: kept as the retired version 1
    current.status = "retired"
    current.retired_at = now
    session.flush()
    row.status = "active"
    row.adopted_by_id = admin.id
    row.adopted_at = now
    session.flush()


def adopt_config(
    session: Session, admin: User, row: EngineConfigRow, *, now: datetime | None = None
) -> EngineConfigRow:
    """The admin adopts a proposal: it is the active config from the next run on."""
    if row.status != "proposed":
        raise Conflict(N_("Only a proposed configuration can be adopted."))
    now = now or utcnow()
    previous = active_config(session).version
    _activate(session, admin, row, now)
    record_event(session, admin, "engine_config.adopt", row, version=row.version, previous=previous)
    return row


def reject_config(
    session: Session, admin: User, row: EngineConfigRow, *, now: datetime | None = None
) -> EngineConfigRow:
    if row.status != "proposed":
        raise Conflict(N_("Only a proposed configuration can be rejected."))
    row.status = "rejected"
    row.rejected_by_id = admin.id
    row.rejected_at = now or utcnow()
    session.flush()
    record_event(session, admin, "engine_config.reject", row, version=row.version)
    return row


def previous_config(session: Session) -> EngineConfigRow | None:
    """The config that was active before the active one (the latest retired)."""
    return session.scalar(
        select(EngineConfigRow)
        .where(EngineConfigRow.status == "retired")
        .order_by(EngineConfigRow.retired_at.desc(), EngineConfigRow.version.desc())
        .limit(1)
    )


def restore_previous(
    session: Session, admin: User, *, now: datetime | None = None
) -> EngineConfigRow:
    """One click back: a new version with the previous config's weights, active at once."""
    previous = previous_config(session)
    if previous is None:
        raise Conflict(N_("There is no earlier configuration to return to."))
    now = now or utcnow()
    current = active_config(session)
    row = EngineConfigRow(
        version=_next_version(session),
        status="proposed",
        opening_weights=dict(previous.opening_weights),
        mentor_weights=dict(previous.mentor_weights),
        source="restored",
        based_on_version=previous.version,
        figures=dict(previous.figures or {}),
        created_by_id=admin.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    _activate(session, admin, row, now)
    record_event(
        session,
        admin,
        "engine_config.restore",
        row,
        version=row.version,
        restored=previous.version,
        previous=current.version,
    )
    return row


def config_history(session: Session) -> list[EngineConfigRow]:
    return list(session.scalars(select(EngineConfigRow).order_by(EngineConfigRow.version.desc())))
