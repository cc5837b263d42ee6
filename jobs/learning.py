"""The learning job: decisions in, a proposed engine config out (an admin adopts or rejects it).

Runs weekly (jobs/schedule.py, ``learning``) and on demand from the admin's engine page.
The decision data and their labels are described in models/decisions.py. The component values
are the ones stored with each suggestion when it was scored, the time is ``decided_at``.
:func:`matcher.learn.learn_weights` fits nationally (the proposal) and per partnership
(figures beside it; the engine scores everyone with one config). A fit without evidence
against the current weights writes no proposal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.engine_configs import active_config, propose_config
from jobs.runs import daily_job
from jobs.settings import JobSettings
from matcher.learn import Decisions, learn_weights, why_not
from models.decisions import decision_rows
from models.engine_config import EngineConfigRow
from models.jobrun import JobRun
from models.organisation import Partnership
from models.user import User

NAME = "learning"


def _figures(proposal: Any) -> dict[str, Any]:
    return proposal.as_figures() | {"weights": proposal.weights}


def learn(
    session: Session, now: datetime, created_by: User | None = None
) -> tuple[EngineConfigRow | None, dict[str, Any]]:
    """Fit nationally and per partnership; write a proposal when the fit found evidence.

    Returns the proposal (or None) and the figures (also kept on the proposal)."""
    current = active_config(session)
    weights = dict(current.opening_weights)
    data = Decisions.from_rows(decision_rows(session))
    figures: dict[str, Any] = {"decisions": len(data), "based_on_version": current.version}
    reason = why_not(data)
    partnerships: dict[str, Any] = {}
    for partnership in session.scalars(select(Partnership).order_by(Partnership.name)):
        local = Decisions.from_rows(decision_rows(session, partnership.id))
        local_reason = why_not(local)
        if local_reason:
            partnerships[partnership.name] = {"decisions": len(local), "reason": local_reason}
        else:
            partnerships[partnership.name] = {"decisions": len(local)} | _figures(
                learn_weights(local, weights)
            )
    figures["partnerships"] = partnerships
    if reason:
        figures["reason"] = reason
        return None, figures
    proposal = learn_weights(data, weights)
    figures |= proposal.as_figures()
    if proposal.shrinkage == 0:
        figures["reason"] = "no evidence against the current weights"
        return None, figures
    row = propose_config(session, proposal.weights, figures, created_by=created_by, now=now)
    return row, figures


def learning_work(
    session: Session, run: JobRun, now: datetime, settings: JobSettings
) -> dict[str, Any]:
    """The weekly job's work (``jobs run learning``): a proposal, if the decisions show one."""
    row, figures = learn(session, now)
    return {
        "decisions": figures["decisions"],
        "proposed_version": row.version if row is not None else None,
        "reason": figures.get("reason", ""),
    }


run_learning = daily_job(NAME, learning_work)  # weekly, by the schedule (jobs/schedule.py)


def proposals(session: Session) -> list[EngineConfigRow]:
    return list(
        session.scalars(
            select(EngineConfigRow)
            .where(EngineConfigRow.status == "proposed")
            .order_by(EngineConfigRow.version.desc())
        )
    )
