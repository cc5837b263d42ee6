"""Figures for a partnership, a municipality and the nation, per week or month.

Who sees what: the admin every scope as counted; the secretariat every scope with counts
under 5 suppressed; a caseworker their municipality and partnership as counted and the
nation suppressed. Downloads (CSV, JSON) are always suppressed. Another scope answers 404.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from models.base import utcnow
from models.enums import Role
from models.figures import CHARTS, Chart, Period, Scope, figure_charts
from models.geo import Municipality
from models.operations.partnerships import partnerships_query
from models.organisation import Partnership
from web.db import get_db
from web.figures import bp
from web.figures.charts import render_svg
from web.figures.labels import CHART_TITLES, LINE_LABELS

MAX_DAYS = 2 * 366
# An SVG image: nothing may load or run; only its own <style> element applies.
SVG_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; object-src 'none'"
)


@dataclass
class Request:
    scope: Scope
    period: Period
    suppress: bool
    name: str

    def args(self, **extra: Any) -> dict[str, Any]:
        return {
            "scope": self.scope.level,
            "id": self.scope.id,
            "grain": self.period.grain,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            **extra,
        }


def _date_arg(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, "") or default.isoformat())
    except ValueError:
        return default


def default_scope(user: Any) -> Scope:
    if user.role is Role.CASEWORKER:
        return Scope("municipality", user.municipality_code)
    return Scope("nation")


def read_request(default: Scope | None = None) -> Request:
    """Scope and period from the query string, checked against what the user may see."""
    today = utcnow().date()
    grain = request.args.get("grain") if request.args.get("grain") in ("week", "month") else None
    grain = grain or "week"
    end = _date_arg("end", today)
    start = _date_arg("start", end - timedelta(weeks=12 if grain == "week" else 52))
    if start > end:
        start, end = end, start
    start = max(start, end - timedelta(days=MAX_DAYS))
    level = request.args.get("scope") or (default or default_scope(current_user)).level
    raw_id = request.args.get("id", type=int)
    combined = request.args.get("scope_id", "")  # the form's one select: "partnership:3"
    if combined:
        level, _sep, number = combined.partition(":")
        raw_id = int(number) if number.isdigit() else None
    if level == "nation":
        scope = Scope("nation")
    elif level in ("partnership", "municipality"):
        fallback = default or default_scope(current_user)
        scope = Scope(level, raw_id if raw_id is not None else fallback.id)
    else:
        abort(404)
    suppress, name = _may_see(scope)
    return Request(scope, Period(start, end, grain), suppress, name)


def _may_see(scope: Scope) -> tuple[bool, str]:
    """(suppress?, the scope's name); 404 for a scope the user may not see."""
    db = get_db()
    user = current_user
    if scope.level == "nation":
        return user.role is not Role.ADMIN, _("Denmark")
    if scope.level == "municipality":
        municipality = db.get(Municipality, scope.id) if scope.id is not None else None
        if municipality is None:
            abort(404)
        if user.role is Role.CASEWORKER and user.municipality_code != scope.id:
            abort(404)
        return user.role is Role.SECRETARIAT, municipality.name
    partnership = db.scalars(partnerships_query(user).where(Partnership.id == scope.id)).first()
    if partnership is None:
        abort(404)
    return user.role is Role.SECRETARIAT, partnership.name


def bucket_label(day: date, grain: str) -> str:
    if grain == "month":
        return format_date(day, "MMM y")
    return _("week %(n)s", n=day.isocalendar().week) + format_date(day, " (d MMM y)")


def _charts(req: Request, *, suppress: bool | None = None) -> dict[str, Chart]:
    return figure_charts(
        get_db(), req.scope, req.period, suppress=req.suppress if suppress is None else suppress
    )


def scope_choices() -> dict[str, Any]:
    db = get_db()
    partnerships = list(db.scalars(partnerships_query(current_user)))
    if current_user.role is Role.CASEWORKER:
        municipalities = [current_user.municipality]
    else:
        municipalities = list(db.scalars(select(Municipality).order_by(Municipality.name)))
    return {"partnerships": partnerships, "municipalities": municipalities}


@bp.get("/")
def index() -> str:
    req = read_request()
    return render_figures("figures/index.html", req)


def render_figures(template: str, req: Request, **context: Any) -> str:
    charts = _charts(req)
    return render_template(
        template,
        req=req,
        charts=charts,
        titles=CHART_TITLES,
        labels=LINE_LABELS,
        bucket_labels=[bucket_label(b, req.period.grain) for b in req.period.buckets()],
        choices=scope_choices(),
        **context,
    )


@bp.get("/chart/<name>.svg")
def chart_svg(name: str) -> Response:
    if name not in CHARTS:
        abort(404)
    req = read_request()
    chart = figure_charts(get_db(), req.scope, req.period, suppress=req.suppress, only=(name,))[
        name
    ]
    labels = {line.key: str(LINE_LABELS[line.key]) for line in chart.lines}
    x_labels = [
        format_date(b, "MMM y") if req.period.grain == "month" else format_date(b, "d/M")
        for b in chart.buckets
    ]
    svg = render_svg(chart, str(CHART_TITLES[name]), labels, x_labels)
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


def export_rows(req: Request) -> tuple[list[str], list[list[Any]]]:
    """Long format: one row per chart, series and period (suppressed: "<5")."""
    header = [_("Scope"), _("Period start"), _("Chart"), _("Series"), _("Value")]
    rows: list[list[Any]] = []
    for key, chart in _charts(req, suppress=True).items():
        for line in chart.lines:
            for bucket, value in zip(chart.buckets, chart.values[line.key], strict=True):
                rows.append(
                    [
                        req.name,
                        bucket.isoformat(),
                        str(CHART_TITLES[key]),
                        str(LINE_LABELS[line.key]),
                        "<5" if value is None and key != "rapid" else value,
                    ]
                )
    return header, rows


@bp.get("/export.csv")
def export_csv() -> Response:
    req = read_request()
    header, rows = export_rows(req)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={_filename(req)}.csv"},
    )


@bp.get("/export.json")
def export_json() -> Response:
    req = read_request()
    charts = _charts(req, suppress=True)
    document = {
        "scope": {"level": req.scope.level, "id": req.scope.id, "name": req.name},
        "period": {
            "start": req.period.start.isoformat(),
            "end": req.period.end.isoformat(),
            "grain": req.period.grain,
        },
        "suppressed_below": 5,
        "charts": {
            key: {
                "title": str(CHART_TITLES[key]),
                "periods": [b.isoformat() for b in chart.buckets],
                "series": {
                    line.key: {
                        "label": str(LINE_LABELS[line.key]),
                        "values": chart.values[line.key],
                    }
                    for line in chart.lines
                },
                "totals": chart.totals,
            }
            for key, chart in charts.items()
        },
    }
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={_filename(req)}.json"},
    )


def _filename(req: Request) -> str:
    return (
        f"ungeloeftet-figures-{req.scope.key.replace(':', '-')}-{req.period.start}-{req.period.end}"
    )


def chart_url(req: Request, name: str) -> str:
    return url_for("figures.chart_svg", name=name, **req.args())
