"""The fairness monitor (models/fairness.py): ratios at equal fit per group, charts, CSV."""

from __future__ import annotations

import csv
import io
import math
from datetime import date

from flask import Response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from models.fairness import ATTRIBUTES, FLAG_MIN_UNITS, STAGES, SUPPRESS_BELOW, Cell, fairness_cells
from web.admin import bp
from web.admin.engine import num, pct
from web.caseworker.labels import EDUCATION
from web.db import get_db

STAGE_LABELS = {
    "suggested": _l("Suggestions (young people with at least one)"),
    "approved": _l("Approvals by caseworkers"),
    "answered": _l("Positive partner answers"),
    "placed": _l("Placements"),
}
ATTRIBUTE_LABELS = {
    "age_band": _l("Age band"),
    "municipality": _l("Municipality"),
    "education": _l("Education level"),
    "first_language": _l("First language"),
    "needs_mentor": _l("Needs a mentor"),
    "driving_licence": _l("Driving licence"),
}
VALUE_LABELS = {
    "first_language": {"da": _l("Danish"), "other": _l("Other")},
    "needs_mentor": {"yes": _l("Yes"), "no": _l("No")},
    "driving_licence": {"yes": _l("Yes"), "no": _l("No")},
    "education": EDUCATION,
}
CHART_LABEL_W, CHART_PLOT_W = 200, 320


def group_label(cell: Cell) -> str:
    labels = VALUE_LABELS.get(cell.attribute, {})
    return str(labels.get(cell.group, cell.label))


def ratio_x(value: float) -> float:
    """Position of a ratio on the chart's log scale (0.25 to 4)."""
    clipped = min(4.0, max(0.25, value))
    return round(CHART_LABEL_W + (math.log2(clipped) + 2.0) / 4.0 * CHART_PLOT_W, 1)


def _cells() -> list[Cell]:
    cells = fairness_cells(get_db(), date.today())
    for cell in cells:
        cell.display = group_label(cell)  # type: ignore[attr-defined]
    return cells


@bp.get("/fairness")
def fairness() -> str:
    return render_fairness("admin.fairness_csv")


def render_fairness(csv_endpoint: str) -> str:
    """The fairness page (the admin's, and the secretariat's national view: aggregates only,
    groups under ``SUPPRESS_BELOW`` cases not shown)."""
    cells = _cells()
    sections = [
        (
            stage,
            STAGE_LABELS[stage],
            [
                (
                    attribute,
                    ATTRIBUTE_LABELS[attribute],
                    [c for c in cells if c.stage == stage and c.attribute == attribute],
                )
                for attribute in ATTRIBUTES
            ],
        )
        for stage in STAGES
    ]
    return render_template(
        "admin/fairness.html",
        csv_endpoint=csv_endpoint,
        sections=sections,
        flagged=[c for c in cells if c.flagged],
        stage_labels=STAGE_LABELS,
        attribute_labels=ATTRIBUTE_LABELS,
        suppress_below=SUPPRESS_BELOW,
        flag_min=FLAG_MIN_UNITS,
        num=num,
        pct=pct,
        x=ratio_x,
    )


def _csv_number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


@bp.get("/fairness.csv")
def fairness_csv() -> Response:
    return fairness_csv_response()


def fairness_csv_response() -> Response:
    """The fairness figures as CSV (small groups suppressed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "stage",
            "attribute",
            "group",
            _("Group"),
            "n",
            "reached",
            "rest_n",
            "rate",
            "rate_low",
            "rate_high",
            "ratio",
            "ratio_low",
            "ratio_high",
            "suppressed",
            "flagged",
        ]
    )
    for c in _cells():
        hidden = c.suppressed
        writer.writerow(
            [
                c.stage,
                c.attribute,
                c.group,
                c.display,  # type: ignore[attr-defined]
                "<10" if hidden else c.n,
                "" if hidden else c.reached,
                c.rest_n if not hidden else "",
                *(
                    _csv_number(v)
                    for v in (c.rate, c.rate_low, c.rate_high, c.ratio, c.ratio_low, c.ratio_high)
                ),
                int(c.suppressed),
                int(c.flagged),
            ]
        )
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ungeloeftet-fairness.csv"},
    )
