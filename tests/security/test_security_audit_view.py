"""The admin audit view: filters, pages, CSV; admins only."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Role
from models.operations.audit import record_event
from web.csv_export import safe_cell as _cell


def test_only_admins_see_the_audit_log(client, login_as, make_user):
    login_as(make_user(Role.CASEWORKER))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403


def test_logins_and_failures_are_audited_and_filterable(client, login_as, make_user, db):
    admin = make_user(Role.ADMIN)
    client.post("/login", data={"email": admin.email, "password": "wrong-password"})
    login_as(admin)
    page = client.get("/admin/audit?action=auth.login")
    assert page.status_code == 200
    assert 'data-action="auth.login"' in page.text
    assert 'data-action="auth.login_failed"' not in page.text
    failed = client.get("/admin/audit?action=auth.login_failed")
    assert 'data-action="auth.login_failed"' in failed.text
    by_actor = client.get(f"/admin/audit?actor={admin.email}")
    assert admin.email in by_actor.text


def test_audit_log_is_paginated_and_filtered_by_date(client, login_as, make_user, db):
    admin = login_as(make_user(Role.ADMIN))
    old = record_event(db, admin, "test.old")
    old.at = utcnow() - timedelta(days=40)
    for n in range(30):
        record_event(db, admin, "test.bulk", n=n)
    db.flush()
    first = client.get("/admin/audit?action=test.bulk")
    assert first.text.count('data-action="test.bulk"') == 25
    assert 'rel="next"' in first.text and "action=test.bulk" in first.text
    second = client.get("/admin/audit?action=test.bulk&page=2")
    assert second.text.count('data-action="test.bulk"') == 5
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    recent = client.get(f"/admin/audit?date_from={since}")
    assert 'data-action="test.old"' not in recent.text and 'data-action="test.bulk"' in recent.text
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert 'data-action="test.old"' in client.get(f"/admin/audit?date_to={until}").text


def test_csv_export_follows_the_filter_and_defuses_formulas(client, login_as, make_user, db):
    admin = login_as(make_user(Role.ADMIN))
    record_event(db, admin, "test.csv", note="=HYPERLINK(1)")
    record_event(db, admin, "test.other")
    db.flush()
    response = client.get("/admin/audit.csv?action=test.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["action"] for r in rows] == ["test.csv"]
    assert rows[0]["actor_id"] == str(admin.id)
    assert json.loads(rows[0]["details"]) == {"note": "=HYPERLINK(1)"}
    assert _cell("=1+2") == "'=1+2" and _cell("-x") == "'-x" and _cell("ok") == "ok"
    assert db.query(AuditEvent).filter_by(action="audit.export").count() == 1
