"""Secretariat pages: directory, figures and CSV, job runs, failed mail, unpublishing."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from models.audit import AuditEvent
from models.enums import OpeningStatus, OrganisationKind, Role
from models.jobrun import JobRun
from models.notification import Notification
from models.operations.accounts import verify_password
from models.operations.suggestions import approve_suggestion
from models.organisation import Organisation, Partnership
from models.user import User

TODAY = date.today()


def test_other_roles_get_403(client, make_user, login_as):
    login_as(make_user(Role.CASEWORKER))
    for url in ("/admin/", "/admin/users", "/admin/organisations", "/admin/figures.csv"):
        assert client.get(url).status_code == 403


def test_create_and_edit_partnership(db, client, admin_user):
    response = client.post(
        "/admin/partnerships/new",
        data={"name": "Ungeløftet Hovedstaden", "municipalities": ["101", "147"]},
    )
    assert response.status_code == 302
    partnership = db.scalars(
        select(Partnership).where(Partnership.name == "Ungeløftet Hovedstaden")
    ).one()
    assert sorted(m.code for m in partnership.municipalities) == [101, 147]
    listing = client.get("/admin/partnerships").text
    assert "Ungeløftet Hovedstaden" in listing and "København" in listing
    response = client.post(
        f"/admin/partnerships/{partnership.id}/edit", data={"name": "UH", "municipalities": ["101"]}
    )
    assert response.status_code == 302
    db.refresh(partnership)
    assert partnership.name == "UH" and [m.code for m in partnership.municipalities] == [101]
    assert "UH" in client.get("/admin/municipalities").text
    assert client.get("/admin/partnerships/999999/edit").status_code == 404


def test_partnership_needs_a_municipality(client, admin_user):
    response = client.post("/admin/partnerships/new", data={"name": "Tom"})
    assert response.status_code == 422
    assert "Vælg mindst én kommune." in response.text
    assert 'value="Tom"' in response.text


def test_create_organisation_validates_cvr(db, client, admin_user):
    response = client.post(
        "/admin/organisations/new",
        data={"kind": "company", "name": "Bageriet ApS", "cvr": "12345678", "postcode": "2200"},
    )
    assert response.status_code == 422
    assert "Det er ikke et gyldigt CVR-nummer; tjek cifrene." in response.text
    assert 'value="Bageriet ApS"' in response.text
    response = client.post(
        "/admin/organisations/new",
        data={"kind": "company", "name": "Bageriet ApS", "cvr": "10000009", "postcode": "2200"},
    )
    assert response.status_code == 302, response.text
    org = db.scalars(select(Organisation).where(Organisation.name == "Bageriet ApS")).one()
    assert org.cvr == "10000009"
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.create"))


def test_edit_and_deactivate_organisation(
    db, client, admin_user, make_org, make_user, make_opening
):
    org = make_org(name="Gammelt navn")
    contact = make_user(Role.COMPANY, organisation=org)
    opening = make_opening(contact)
    response = client.post(
        f"/admin/organisations/{org.id}/edit",
        data={
            "name": "Nyt navn",
            "cvr": org.cvr,
            "postcode": "2300",
            "contact_email": "job@firma.dk",
        },
    )
    assert response.status_code == 302
    db.refresh(org)
    assert org.name == "Nyt navn" and org.postcode == "2300"
    response = client.post(f"/admin/organisations/{org.id}/deactivate")
    assert response.status_code == 302
    db.expire_all()
    assert org.active is False and contact.active is False
    assert opening.status is OpeningStatus.CLOSED


def test_create_user_shows_one_time_password(db, client, admin_user, make_org):
    org = make_org(OrganisationKind.CIVIL_SOCIETY)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "ny.mentor@example.dk",
            "name": "Ny Mentor",
            "role": "mentor",
            "municipality": "0",
            "organisation": str(org.id),
            "locale": "da",
            "password": "",
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    user = db.scalars(select(User).where(User.email == "ny.mentor@example.dk")).one()
    shown = response.text.split('class="one-time-password">')[1].split("<")[0]
    assert verify_password(user, shown)


def test_create_user_errors_keep_input(client, admin_user):
    response = client.post(
        "/admin/users/new",
        data={
            "email": "sb@example.dk",
            "name": "Sofie",
            "role": "caseworker",
            "municipality": "0",
            "organisation": "0",
            "locale": "da",
            "password": "",
        },
    )
    assert response.status_code == 422
    assert "En sagsbehandler skal høre til en kommune." in response.text
    assert 'value="sb@example.dk"' in response.text


def test_reset_password_typed_or_generated(db, client, admin_user, make_user):
    user = make_user(Role.COMPANY)
    version = user.session_version
    response = client.post(
        f"/admin/users/{user.id}/password", data={"password": "et-nyt-langt-kodeord"}
    )
    assert response.status_code == 302
    db.refresh(user)
    assert verify_password(user, "et-nyt-langt-kodeord")
    assert user.session_version == version + 1
    response = client.post(f"/admin/users/{user.id}/password", data={"password": ""})
    shown = response.text.split('class="one-time-password">')[1].split("<")[0]
    db.refresh(user)
    assert verify_password(user, shown)
    short = client.post(f"/admin/users/{user.id}/password", data={"password": "kort"})
    assert short.status_code == 422 and "Adgangskoden skal" in short.text


def test_deactivate_user(db, client, admin_user, make_user):
    user = make_user(Role.MENTOR)
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    db.refresh(user)
    assert user.active is False
    client.post(f"/admin/users/{admin_user.id}/deactivate")
    db.refresh(admin_user)
    assert admin_user.active is True
    assert client.post("/admin/users/999999/deactivate").status_code == 404


def test_users_and_organisations_lists_are_searchable(client, admin_user, make_user, make_org):
    make_user(Role.MENTOR, email="findmig@example.dk")
    make_org(name="Søgbar Virksomhed")
    assert "findmig@example.dk" in client.get("/admin/users?q=findmig").text
    assert "findmig@example.dk" not in client.get("/admin/users?q=ingen-match").text
    assert "Søgbar Virksomhed" in client.get("/admin/organisations?q=Søgbar").text


def test_figures_and_csv(
    db, client, admin_user, make_youth, make_opening, make_suggestion, make_user
):
    """The start page charts the figure events; the CSV export suppresses counts under 5."""
    caseworker = make_user(Role.CASEWORKER, municipality_code=101)
    youths = [make_youth(caseworker, support_notes="Aldrig i tal") for _ in range(6)]
    opening = make_opening(postcode="2200")
    approve_suggestion(db, caseworker, make_suggestion(youths[0], opening))
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "København" in page.text
    assert youths[0].pseudonym not in page.text
    assert 'src="/figures/chart/placements.svg' in page.text
    response = client.get("/admin/figures.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kommunekode", "Kommune", "Nye profiler"]
    kbh = next(r for r in rows if r[0] == "101")
    header = rows[0]
    assert kbh[header.index("Nye profiler")] == "6"
    assert kbh[header.index("Job")] == "<5"  # one opening: suppressed in an export
    assert kbh[header.index("Godkendt af sagsbehandlere")] == "<5"
    assert kbh[header.index("Startet på uddannelse")] == "0"
    assert youths[0].pseudonym not in response.data.decode()


def test_job_runs_and_failed_notifications(db, client, admin_user):
    db.add(JobRun(name="nightly", run_date=TODAY, status="failed", error="engine exploded"))
    db.add(
        Notification(
            recipient_email="x@example.dk",
            kind="proposal.new",
            idempotency_key="k-dead",
            status="dead",
            attempts=8,
            last_error="SMTP 550 mailbox unavailable",
        )
    )
    db.add(
        Notification(
            recipient_email="y@example.dk",
            kind="proposal.new",
            idempotency_key="k-ok",
            status="sent",
        )
    )
    db.flush()
    runs = client.get("/admin/job-runs").text
    assert "Natlig matchning" in runs and "Fejlet" in runs and "engine exploded" in runs
    failed = client.get("/admin/failed-notifications").text
    assert "SMTP 550 mailbox unavailable" in failed
    assert "y@example.dk" not in failed


def test_unpublish_with_reason_tells_the_company(db, client, admin_user, make_opening, make_user):
    contact = make_user(Role.COMPANY)
    opening = make_opening(contact, title="Opslag med problem")
    assert "Opslag med problem" in client.get("/admin/openings").text
    empty = client.post(f"/admin/openings/{opening.id}/unpublish", data={"reason": ""})
    assert empty.status_code == 422 and "Giv virksomheden en begrundelse." in empty.text
    response = client.post(
        f"/admin/openings/{opening.id}/unpublish", data={"reason": "Teksten efterspørger alder."}
    )
    assert response.status_code == 302
    db.expire_all()
    assert opening.status is OpeningStatus.DRAFT
    assert opening.unpublished_reason == "Teksten efterspørger alder."
    mail = db.scalars(select(Notification).where(Notification.recipient_id == contact.id)).all()
    assert [m.kind for m in mail] == ["opening.unpublished"]
    assert mail[0].subject == "Jeres jobopslag »Opslag med problem« er taget af"
    assert "Teksten efterspørger alder." in mail[0].body_text
    assert f"/company/openings/{opening.id}/edit" in mail[0].body_text
    assert client.get("/admin/openings/999999/unpublish").status_code == 404


def test_admin_sees_no_profile_pages(client, admin_user, make_youth):
    youth = make_youth()
    for url in ("/admin/", "/admin/users", "/admin/organisations", "/admin/municipalities"):
        assert youth.pseudonym not in client.get(url).text
