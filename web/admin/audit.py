"""The audit trail for admins: filter by action, actor and date; paginated; CSV export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from models.audit import AuditEvent
from models.operations.audit import record_event
from models.user import User
from models.youth import YouthProfile
from web.admin import bp
from web.db import get_db
from web.vocabulary import AUDIT_ACTION, label

CSV_LIMIT = 100_000


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    actor = StringField(
        _l("Actor (e-mail or user number)"), validators=[Optional(), Length(max=254)]
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])


@dataclass
class Page:
    number: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    actions = get_db().scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    form.action.choices = [("", _l("All actions"))] + [(a, label(AUDIT_ACTION, a)) for a in actions]
    return form


def _filtered(form: AuditFilterForm) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent)
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data[:60])
    actor = (form.actor.data or "").strip()
    if actor:
        if actor.isdigit() and len(actor) < 10:
            query = query.where(AuditEvent.actor_id == int(actor))
        else:
            ids = select(User.id).where(User.email == actor.lower())
            query = query.where(AuditEvent.actor_id.in_(ids))
    if form.date_from.data and not form.date_from.errors:
        query = query.where(AuditEvent.at >= _start_of(form.date_from.data))
    if form.date_to.data and not form.date_to.errors:
        query = query.where(AuditEvent.at < _start_of(form.date_to.data) + timedelta(days=1))
    return query


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filter_args(form: AuditFilterForm) -> dict[str, Any]:
    return {
        key: value
        for key, value in {
            "action": form.action.data,
            "actor": form.actor.data,
            "date_from": request.args.get("date_from") if form.date_from.data else None,
            "date_to": request.args.get("date_to") if form.date_to.data else None,
        }.items()
        if value
    }


@bp.get("/audit")
def audit() -> str:
    form = _form()
    form.validate()
    db = get_db()
    query = _filtered(form)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    per_page = int(current_app.config.get("PER_PAGE", 25))
    pages = max(1, -(-total // per_page))
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    events = list(
        db.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
    )
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    emails = dict(db.execute(select(User.id, User.email).where(User.id.in_(actor_ids))).all())
    # People read pseudonyms, not row numbers (an erased profile keeps its number).
    profile_ids = {e.object_id for e in events if e.object_type == "YouthProfile"}
    pseudonyms = dict(
        db.execute(
            select(YouthProfile.id, YouthProfile.pseudonym).where(YouthProfile.id.in_(profile_ids))
        ).all()
    )
    return render_template(
        "admin/audit.html",
        form=form,
        events=events,
        emails=emails,
        pseudonyms=pseudonyms,
        page=Page(number, pages, total),
        filter_args=_filter_args(form),
    )


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/audit.csv")
def audit_csv() -> Response:
    form = _form()
    form.validate()
    db = get_db()
    query = _filtered(form).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(CSV_LIMIT)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "at",
            "actor_id",
            "actor_role",
            "action",
            "object_type",
            "object_id",
            "ip",
            "details",
        ]
    )
    for e in db.scalars(query):
        writer.writerow(
            [
                _cell(x)
                for x in (
                    e.id,
                    e.at.isoformat(),
                    e.actor_id,
                    e.actor_role,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.ip,
                    json.dumps(e.details, ensure_ascii=False, sort_keys=True),
                )
            ]
        )
    record_event(
        db, current_user, "audit.export", None, ip=request.remote_addr, filters=_filter_args(form)
    )
    db.commit()
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=audit.csv"
    response.headers["Cache-Control"] = "no-store"
    return response
