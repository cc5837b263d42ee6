"""Pages for the caseworker role: the caseload (profiles) and the review queue (queue)."""

from __future__ import annotations

from flask_babel import format_datetime

from web.caseworker import ads, bp, profiles, queue  # noqa: F401 - registers the routes
from web.caseworker.labels import template_globals


@bp.context_processor
def _labels() -> dict[str, object]:
    return template_globals()


@bp.app_template_filter("cw_datetime")
def _datetime(value: object) -> str:
    return format_datetime(value, "short") if value else ""
