"""One way a DomainError becomes an answer (web/errors.py): problem+json for the API, the
message flashed on the page the request came from for people; the unit of work is rolled back."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import select

from models.enums import Role
from models.errors import Conflict, NotFound, ValidationError
from models.i18n import N_
from models.opening import JobOpening
from models.operations.openings import OpeningInput, post_opening
from web.db import get_db


def _routes(app, make_user):  # type: ignore[no-untyped-def]
    company = make_user(Role.COMPANY)
    bp = Blueprint("domain_error_probe", __name__)

    @bp.post("/probe/<kind>")
    def probe(kind: str) -> str:
        post_opening(get_db(), company, OpeningInput(title="Rolled back", postcode="2300"))
        if kind == "conflict":
            raise Conflict(N_("This opening is closed."))
        if kind == "missing":
            raise NotFound(N_("Not found"))
        raise ValidationError("title", N_("Enter a title."))

    app.register_blueprint(bp)
    app.register_blueprint(bp, url_prefix="/api/v1", name="api_probe")


def test_a_domain_error_is_a_flash_on_the_page_it_came_from(app, client, db, make_user):
    _routes(app, make_user)
    response = client.post("/probe/conflict", headers={"Referer": "http://localhost/mentor/"})
    assert response.status_code == 303 and response.headers["Location"] == "/mentor/"
    # From another site, or with no referrer: the error page, with the message.
    response = client.post("/probe/conflict", headers={"Referer": "https://evil.example/x"})
    assert response.status_code == 409 and "Dette opslag er lukket." in response.text
    # A same-site referrer whose path would leave the site is not followed either.
    for path in ("//evil.example/x", "/%09/evil.example", "/\\evil.example"):
        response = client.post("/probe/conflict", headers={"Referer": f"http://localhost{path}"})
        assert response.status_code == 409, path
    assert client.post("/probe/missing").status_code == 404
    assert db.scalar(select(JobOpening).where(JobOpening.title == "Rolled back")) is None


def test_a_domain_error_is_a_problem_for_the_api(app, client, db, make_user):
    _routes(app, make_user)
    response = client.post("/api/v1/probe/invalid")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"title": "Skriv en titel."}
    response = client.post("/api/v1/probe/conflict")
    assert response.status_code == 409 and response.json["detail"] == "Dette opslag er lukket."
    assert client.post("/api/v1/probe/missing").status_code == 404
    assert db.scalar(select(JobOpening).where(JobOpening.title == "Rolled back")) is None
