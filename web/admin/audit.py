"""The audit trail for admins: filter by action, actor and date; paginated; CSV export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from models.audit import AuditEvent
from models.operations.audit import record_event
from models.user import User
from models.youth import YouthProfile
from web.admin import bp
from web.csv_export import csv_response
from web.db import get_db
from web.pagination import paginate
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


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    actions = get_db().scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    form.action.choices = [("", _l("All actions"))] + [(a, label(AUDIT_ACTION, a)) for a in actions]
    return form


def _filtered(form: AuditFilterForm) -> Select[AuditEvent]:
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
    page = paginate(db, _filtered(form).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    events = page.items
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
        page=page,
        filter_args=_filter_args(form),
    )


@bp.get("/audit.csv")
def audit_csv() -> Response:
    form = _form()
    form.validate()
    db = get_db()
    query = _filtered(form).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(CSV_LIMIT)
    header = ["id", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "ip"]
    rows = [
        (
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
        for e in db.scalars(query)
    ]
    record_event(
        db, current_user, "audit.export", None, ip=request.remote_addr, filters=_filter_args(form)
    )
    db.commit()
    return csv_response("audit.csv", [*header, "details"], rows)
