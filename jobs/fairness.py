"""The nightly fairness check: new flags of the fairness monitor go to the admins' digest.

A flag (models/fairness.py) is stored in ``fairness_flag`` the first night it appears and
mailed then (one ``digest.fairness`` mail per admin and night with the new flags); a flag
that is still there the next night is not mailed again. A flag that went away is marked
cleared, and mailed again should it come back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.engine_config import FairnessFlag
from models.enums import Role
from models.fairness import fairness_cells, flagged
from models.jobrun import JobRun
from models.operations.outbox import enqueue
from models.user import User

FAIRNESS_DIGEST = "digest.fairness"


def check_fairness(session: Session, run: JobRun, now: datetime) -> int:
    """Store today's flags, tell the admins about new ones; returns how many are new."""
    from jobs.matching import local_date

    current = {c.key: c for c in flagged(fairness_cells(session, local_date(now)))}
    known = {(f.stage, f.attribute, f.group_key): f for f in session.scalars(select(FairnessFlag))}
    new = []
    for key, cell in current.items():
        flag = known.get(key)
        if flag is None:
            flag = FairnessFlag(
                stage=cell.stage,
                attribute=cell.attribute,
                group_key=cell.group,
                ratio=cell.ratio or 0.0,
                n=cell.n,
                first_seen_at=now,
                last_seen_at=now,
            )
            session.add(flag)
            new.append(cell)
        else:
            if flag.cleared_at is not None:
                flag.cleared_at = None
                new.append(cell)
            flag.ratio, flag.n, flag.last_seen_at = cell.ratio or 0.0, cell.n, now
    for key, flag in known.items():
        if key not in current and flag.cleared_at is None:
            flag.cleared_at = now
    session.flush()
    if not new:
        return 0
    payload = {
        "new": len(new),
        "flags": [
            {
                "stage": c.stage,
                "attribute": c.attribute,
                "group": c.label,
                "ratio": round(c.ratio or 0.0, 2),
                "n": c.n,
            }
            for c in new
        ],
        "run_date": run.run_date.isoformat(),
    }
    admins = session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True)))
    for admin in admins:
        enqueue(session, admin, FAIRNESS_DIGEST, f"run:{run.run_date}", payload, run=run.id)
    return len(new)
