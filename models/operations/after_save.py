"""After a save: the one event and the one path that runs what follows it.

An operation that saves something the matching reads (a profile, an opening, a mentor slot)
calls :func:`saved` once it has flushed. The caller (a web view, an API endpoint, a CLI
command) ends its unit of work with :func:`commit` instead of ``session.commit()``:

1. the user's change is committed first — nothing after this point can lose it;
2. then each handler registered with :func:`on_saved` runs for each saved object, each in a
   transaction of its own; a handler that raises is rolled back and logged, and the next one
   still runs.

The jobs layer registers the instant suggestions (:mod:`jobs.after_save`); models do not know
the engine. See docs/ARCHITECTURE.md, "The data flow of a save".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

_PENDING = "after_save.pending"
#: ``handler(session, obj)`` returns what it produced (e.g. the suggestions), or raises.
Handler = Callable[[Session, Any], Any]
_handlers: list[Handler] = []


@dataclass(frozen=True)
class Outcome:
    """What one handler did for one saved object."""

    target: Any
    result: Any = None
    failed: bool = False


def on_saved(handler: Handler) -> Handler:
    """Register ``handler`` (once; registering it again changes nothing)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def has_handlers() -> bool:
    return bool(_handlers)


def saved(session: Session, obj: Any) -> None:
    """Operations call this when ``obj`` (flushed, so it has an id) was created or changed."""
    pending: dict[tuple[type, int], None] = session.info.setdefault(_PENDING, {})
    pending[(type(obj), obj.id)] = None


def commit(session: Session) -> list[Outcome]:
    """Commit the unit of work, then run the handlers for what it saved, each on its own."""
    pending = list(session.info.pop(_PENDING, {}))
    session.commit()
    outcomes: list[Outcome] = []
    for model, obj_id in pending:
        obj = session.get(model, obj_id)
        if obj is None:
            continue
        for handler in list(_handlers):
            try:
                result = handler(session, obj)
                session.commit()
            except Exception:  # noqa: BLE001 - the save is committed; tonight's run catches up
                session.rollback()
                log.exception("after-save %s failed for %s %s", handler, model.__name__, obj_id)
                outcomes.append(Outcome(obj, failed=True))
            else:
                outcomes.append(Outcome(obj, result))
    return outcomes


def outcome_for(outcomes: list[Outcome], obj: Any) -> Outcome | None:
    """The first outcome for ``obj`` (a failure wins), or None when nothing ran for it."""
    mine = [o for o in outcomes if o.target is obj]
    return next((o for o in mine if o.failed), mine[0] if mine else None)


@event.listens_for(Session, "after_commit")
def _forget_on_plain_commit(session: Session) -> None:
    # A plain ``session.commit()`` (a bulk load such as the demo data, which the nightly run
    # matches) asks for no after-save; nothing carries over into the next unit of work.
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # What a rolled-back unit of work saved was not saved.
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
