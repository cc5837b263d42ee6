"""The engine's weights: proposals learned from decisions, adoption, return to a version.

Business rules live in jobs/engine_configs.py; the learning in jobs/learning.py.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from jobs.engine_configs import (
    active_config,
    adopt_config,
    config_history,
    previous_config,
    reject_config,
    restore_previous,
)
from jobs.learning import learn, proposals
from matcher import ENGINE_VERSION
from models.base import utcnow
from models.decisions import suggestions_by_version
from models.engine_config import EngineConfigRow, engine_label
from web.admin import bp
from web.db import get_db

COMPONENT_LABELS = {
    "occupation": _l("The young person's wish"),
    "inferred": _l("Occupations their skills point to"),
    "skills_required": _l("Required skills"),
    "skills_nice": _l("Nice-to-have skills"),
    "text": _l("Text similarity"),
    "distance": _l("Distance"),
    "hours": _l("Hours"),
    "start": _l("Start date"),
    "mentor": _l("Mentor at the workplace"),
    "kind": _l("Preferred kind of opening"),
}
STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "active": _l("Active"),
    "retired": _l("Retired"),
    "rejected": _l("Rejected"),
}
SOURCE_LABELS = {
    "defaults": _l("Engine defaults"),
    "learned": _l("Learned from decisions"),
    "restored": _l("Return to an earlier version"),
}


def num(value: float | None, digits: int = 3) -> str:
    """A number in the user's locale ("0,350" in Danish); a dash for none."""
    if value is None:
        return "–"
    return format_decimal(value, format="0." + "0" * digits)


def p_value(value: float | None) -> str:
    if value is not None and value < 0.0001:
        return "< " + num(0.0001, 4)
    return num(value, 4)


def pct(value: float | None) -> str:
    return "–" if value is None else format_percent(value, format="0.0 %")


def weight_rows(old: dict[str, float], new: dict[str, float]) -> list[dict[str, Any]]:
    names = [n for n in COMPONENT_LABELS if n in old or n in new]
    total_old, total_new = sum(old.values()) or 1.0, sum(new.values()) or 1.0
    return [
        {
            "name": n,
            "label": COMPONENT_LABELS[n],
            "old": old.get(n, 0.0) / total_old,
            "new": new.get(n, 0.0) / total_new,
        }
        for n in names
    ]


def _context() -> dict[str, Any]:
    return {
        "num": num,
        "pct": pct,
        "p_value": p_value,
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "learning_reason": learning_reason,
    }


@bp.get("/engine")
def engine() -> str:
    db = get_db()
    active = active_config(db)
    counts = suggestions_by_version(db)
    history = config_history(db)
    scored = {
        row.version: counts.get(engine_label(ENGINE_VERSION, row.version), 0) for row in history
    }
    return render_template(
        "admin/engine.html",
        active=active,
        proposals=[
            (p, weight_rows(active.opening_weights, p.opening_weights)) for p in proposals(db)
        ],
        history=history,
        scored=scored,
        previous=previous_config(db),
        **_context(),
    )


def _config_or_404(version: int) -> EngineConfigRow:
    from flask import abort
    from sqlalchemy import select

    row = get_db().scalar(select(EngineConfigRow).where(EngineConfigRow.version == version))
    if row is None:
        abort(404)
    return row


def _done(action: Any, message: str) -> Response:
    """Run ``action``; a refusal is flashed on the engine page by web.errors.domain_error."""
    action()
    get_db().commit()
    flash(message, "success")
    return redirect(url_for("admin.engine"))


@bp.post("/engine/<int:version>/adopt")
def engine_adopt(version: int) -> Response:
    row = _config_or_404(version)
    return _done(
        lambda: adopt_config(get_db(), current_user, row),
        _("Version %(version)s is adopted: the next nightly run scores with it.", version=version),
    )


@bp.post("/engine/<int:version>/reject")
def engine_reject(version: int) -> Response:
    row = _config_or_404(version)
    return _done(
        lambda: reject_config(get_db(), current_user, row),
        _("Version %(version)s is rejected.", version=version),
    )


@bp.post("/engine/restore")
def engine_restore() -> Response:
    return _done(
        lambda: restore_previous(get_db(), current_user),
        _("The previous weights are active again: the next nightly run scores with them."),
    )


@bp.post("/engine/learn")
def engine_learn() -> Response:
    db = get_db()
    row, figures = learn(db, utcnow(), created_by=current_user)
    db.commit()
    if row is not None:
        flash(
            _("Version %(version)s is proposed. Review it below.", version=row.version), "success"
        )
    else:
        flash(
            _(
                "No proposal: %(reason)s (%(num)s decisions).",
                reason=learning_reason(figures.get("reason", "")),
                num=figures.get("decisions", 0),
            ),
            "info",
        )
    return redirect(url_for("admin.engine"))


def learning_reason(reason: str) -> str:
    if reason.startswith("fewer than"):
        return _(
            "too few decisions to learn from (at least 200, with 20 approvals and 20 rejections)"
        )
    if reason.startswith("no evidence"):
        return _("the decisions give no evidence against the current weights")
    return reason
