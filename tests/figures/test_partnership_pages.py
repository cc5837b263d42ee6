"""Partnership pages, contact persons, invitations, the secretariat, notes and figures pages
(through the real app, real database and the outbox)."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import OpeningKind, OrganisationKind, Outcome, Role
from models.notification import Notification
from models.operations.accounts import create_partnership
from models.operations.suggestions import approve_suggestion, record_outcome
from models.organisation import Organisation
from models.user import User
from tests.conftest import PASSWORD


def _login(client, user):
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return user


@pytest.fixture()
def partnership(db):
    return create_partnership(db, "Ungeløft København", [101, 147])


def test_contact_person_is_registered_audited_and_seen_by_the_secretariat(
    db, client, make_user, partnership
):
    admin = _login(client, make_user(Role.ADMIN))
    url = f"/admin/partnerships/{partnership.id}/contact-person"
    assert client.get(url).status_code == 200
    data = {
        "municipality": 101,
        "name": "Kirsten Kontakt",
        "title": "Konsulent",
        "email": "kirsten@kk.dk",
        "phone": "+45 33 66 33 66",
    }
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data | {"title": "Chefkonsulent"}).status_code == 302
    refused = client.post(url, data=data | {"municipality": 751})
    assert refused.status_code == 422
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "contact_person.set").order_by(AuditEvent.id)
    ).all()
    assert [e.actor_id for e in events] == [admin.id, admin.id]
    assert events[0].details["before"] is None
    assert events[1].details["before"]["title"] == "Konsulent"
    assert events[1].details["after"]["title"] == "Chefkonsulent"

    _login(client, make_user(Role.SECRETARIAT))
    page = client.get("/secretariat/")
    assert page.status_code == 200
    assert "Kirsten Kontakt" in page.text and "Chefkonsulent" in page.text
    detail = client.get(f"/partnership/{partnership.id}")
    assert "kirsten@kk.dk" in detail.text


def _invitation_link(db, email):
    mail = db.scalar(select(Notification).where(Notification.recipient_email == email))
    assert mail is not None and mail.kind == "partnership.invitation"
    match = re.search(r"https?://[^/\s]+(/invitation/[\w-]+)", mail.body_text)
    assert match, mail.body_text
    return mail, match.group(1)


def test_an_invited_company_creates_its_account_and_sees_its_partnership(
    db, client, make_user, make_opening, partnership
):
    _login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/admin/partnerships/{partnership.id}/invite",
        data={
            "kind": "company",
            "organisation_name": "Bageriet Hvede ApS",
            "cvr": "12345674",
            "email": "ejer@hvede.dk",
        },
    )
    assert response.status_code == 302, response.text
    mail, path = _invitation_link(db, "ejer@hvede.dk")
    assert "Ungeløft København" in mail.subject
    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 200 and "Bageriet Hvede ApS" in page.text
    weak = client.post(
        path, data={"account-name": "Ejer", "account-password": "abc", "account-confirm": "abc"}
    )
    assert weak.status_code == 422
    good = "rugbrød surdej ovn morgen"
    response = client.post(
        path, data={"account-name": "Ejer", "account-password": good, "account-confirm": good}
    )
    assert response.status_code == 302
    user = db.scalar(select(User).where(User.email == "ejer@hvede.dk"))
    assert user.role is Role.COMPANY
    assert [p.name for p in user.organisation.partnerships] == ["Ungeløft København"]
    page = client.get("/partnership/", follow_redirects=True)
    assert "Bageriet Hvede ApS" in page.text and "Ungeløft København" in page.text
    # The header of every page names the partnership.
    assert "Partnerskab:" in client.get("/company/").text
    # The link works once.
    client.post("/logout")
    assert client.get(path).status_code == 404


def test_an_existing_company_joins_a_second_partnership_by_logging_in(
    db, client, make_user, make_org, partnership
):
    first = create_partnership(db, "Ungeløft Aarhus", [751])
    org = make_org(partnerships=[first])
    company = make_user(Role.COMPANY, organisation=org)
    _login(client, make_user(Role.ADMIN))
    client.post(
        f"/admin/partnerships/{partnership.id}/invite",
        data={"kind": "company", "cvr": org.cvr, "email": company.email},
    )
    _mail, path = _invitation_link(db, company.email)
    _login(client, company)
    assert "Sig ja til invitationen" in client.get(path).text
    assert client.post(path, data={}).status_code == 302
    db.refresh(org)
    assert sorted(p.name for p in org.partnerships) == ["Ungeløft Aarhus", "Ungeløft København"]
    header = client.get("/company/").text
    assert "Ungeløft Aarhus" in header and "Ungeløft København" in header


def test_a_foreign_partnership_answers_404(db, client, make_user, partnership):
    _login(client, make_user(Role.CASEWORKER, municipality_code=751))
    assert client.get(f"/partnership/{partnership.id}").status_code == 404
    _login(client, make_user(Role.CASEWORKER, municipality_code=147))
    assert client.get(f"/partnership/{partnership.id}").status_code == 200


def test_the_secretariat_publishes_a_note_that_caseworkers_see(db, client, make_user):
    _login(client, make_user(Role.SECRETARIAT))
    response = client.post(
        "/secretariat/notes/new",
        data={
            "title": "Virksomhedsbesøg virker",
            "body": "Tag den unge med på besøget.",
            "attachment": (io.BytesIO(b"%PDF-1.4 test"), "god praksis.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    _login(client, make_user(Role.CASEWORKER))
    start = client.get("/caseworker/").text
    assert "Virksomhedsbesøg virker" in start
    link = re.search(r'href="(/partnership/notes/\d+/attachment)"', start).group(1)
    attachment = client.get(link)
    assert attachment.data == b"%PDF-1.4 test"
    assert attachment.mimetype == "application/pdf"


def test_figures_pages_by_role_and_suppression(
    db, client, make_user, make_youth, make_opening, make_suggestion, partnership
):
    caseworker = make_user(Role.CASEWORKER, municipality_code=101)
    youth = make_youth(caseworker)
    school = make_opening(kind=OpeningKind.EDUCATION, title="FGU Basis", postcode="2200")
    suggestion = make_suggestion(youth, school)
    approve_suggestion(db, caseworker, suggestion)
    record_outcome(db, caseworker, suggestion, Outcome.EDUCATION)
    today = utcnow().date()
    args = f"start={today - timedelta(days=7)}&end={today}"

    _login(client, caseworker)
    own = client.get(f"/figures/?scope=municipality&id=101&{args}")
    assert own.status_code == 200
    cell = re.search(r'data-total="placed_education">([^<]*)<', own.text).group(1)
    assert cell == "1"  # the caseworker's own municipality, as counted
    assert client.get("/figures/?scope=municipality&id=751").status_code == 404
    assert client.get(f"/figures/?scope=partnership&id={partnership.id}").status_code == 200
    svg = client.get(f"/figures/chart/placements.svg?scope=municipality&id=101&{args}")
    assert svg.mimetype == "image/svg+xml"
    assert b"<script" not in svg.data and b"<svg" in svg.data
    assert "script-src" not in svg.headers["Content-Security-Policy"]
    exported = json.loads(client.get(f"/figures/export.json?scope=municipality&id=101&{args}").data)
    assert exported["charts"]["placements"]["totals"]["placed_education"] is None  # 1 < 5

    _login(client, make_user(Role.SECRETARIAT))
    page = client.get(f"/figures/?scope=municipality&id=101&{args}")
    assert re.search(r'data-total="placed_education">([^<]*)<', page.text).group(1) == "&lt;5"
    assert youth.pseudonym not in page.text
    csv_text = client.get(f"/figures/export.csv?{args}").data.decode("utf-8-sig")
    assert "Startet på uddannelse;<5" in csv_text

    _login(client, make_user(Role.COMPANY))
    assert client.get("/figures/").status_code == 403


def test_an_organisation_kind_mismatch_is_refused(db, client, make_user, make_org, partnership):
    org = make_org(OrganisationKind.COMPANY)
    _login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/admin/partnerships/{partnership.id}/invite",
        data={"kind": "civil_society", "cvr": org.cvr, "email": "x@example.dk"},
    )
    assert response.status_code == 422
    assert db.scalar(select(Organisation).where(Organisation.id == org.id)).partnerships == []
