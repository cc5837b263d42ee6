"""Accounts, roles, sessions and the protections every form has."""

import re

import pytest

from models.enums import Role
from models.operations.accounts import deactivate_user, set_password
from tests.conftest import PASSWORD
from web import create_app
from web.config import DEV_SECRET_KEY, ConfigError

START_PAGES = {
    Role.ADMIN: "/admin/",
    Role.CASEWORKER: "/caseworker/",
    Role.COMPANY: "/company/",
    Role.MENTOR: "/mentor/",
    Role.SECRETARIAT: "/secretariat/",
}


def test_login_page_is_danish_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert "Log ind" in response.text


def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user(Role.CASEWORKER)
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "Forkert e-mail eller adgangskode" in response.text
    assert client.get("/caseworker/").status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_its_own_start_page_only(client, login_as, make_user, role):
    login_as(make_user(role))
    for other, path in START_PAGES.items():
        expected = 200 if other is role else 403
        assert client.get(path).status_code == expected, (role, path)
    assert client.get("/").headers["Location"].endswith(START_PAGES[role])


@pytest.mark.parametrize("path", list(START_PAGES.values()))
def test_anonymous_users_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_ends_the_session(client, login_as, make_user):
    login_as(make_user(Role.COMPANY))
    assert client.get("/company/").status_code == 200
    client.post("/logout")
    assert client.get("/company/").status_code == 302


def test_password_change_and_deactivation_end_other_sessions(client, login_as, make_user, db):
    user = login_as(make_user(Role.MENTOR))
    assert client.get("/mentor/").status_code == 200
    set_password(user, "a-new-long-password")
    db.flush()
    assert client.get("/mentor/").status_code == 302
    other = login_as(make_user(Role.MENTOR))
    deactivate_user(other)
    db.flush()
    assert client.get("/mentor/").status_code == 302
    response = client.post("/login", data={"email": other.email, "password": PASSWORD})
    assert response.status_code == 200  # a deactivated user cannot log in


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_forms_are_protected_against_csrf(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    user = make_user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_language_switch_is_remembered_on_the_account(client, login_as, make_user, db):
    user = login_as(make_user(Role.CASEWORKER))
    client.post("/language", data={"locale": "en", "next": "/caseworker/"})
    db.refresh(user)
    assert user.locale == "en"
    page = client.get("/caseworker/").text
    assert '<html lang="en">' in page and "Log out" in page
    client.post("/language", data={"locale": "da", "next": "https://evil.example/"})
    assert client.get("/caseworker/").text.count("Log ud") == 1


def test_open_redirects_are_refused(client):
    response = client.post("/language", data={"locale": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/prod")
    with pytest.raises(ConfigError):
        create_app({"ENV_MODE": "production", "SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(ConfigError):
        create_app({"ENV_MODE": "production", "SECRET_KEY": "short"})
    app = create_app(
        {"ENV_MODE": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"}
    )
    assert app.config["SECRET_KEY"] == "x" * 40


def test_production_requires_a_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError):
        create_app({"ENV_MODE": "production", "SECRET_KEY": "x" * 40})


def test_unknown_pages_answer_404_in_html_and_json(client):
    assert client.get("/nope").status_code == 404
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
