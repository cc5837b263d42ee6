"""Password policy and the change-password page."""

from __future__ import annotations

import pytest

from models.enums import Role
from models.errors import ValidationError
from models.operations.accounts import check_password, verify_password
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "password",
    ["kort", "password123", "1234567890", "qwertyuiop", "Password1234", "x" * 201],
)
def test_short_long_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as err:
        check_password(password)
    assert err.value.field == "password"


def test_a_password_like_the_email_is_refused_a_good_one_passes():
    with pytest.raises(ValidationError):
        check_password("hansen.jobcenter", user_inputs=["hansen.jobcenter@kk.dk"])
    assert check_password("lange-ord-om-sommer-2026") == "lange-ord-om-sommer-2026"


def test_change_password_page(client, login_as, make_user, db):
    user = login_as(make_user(Role.MENTOR))
    page = client.get("/account/password")
    assert page.status_code == 200 and "Skift adgangskode" in page.text
    wrong = client.post(
        "/account/password",
        data={"current": "not-it-at-all", "new": "abc-def-ghi-jkl", "confirm": "abc-def-ghi-jkl"},
    )
    assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in wrong.text
    weak = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "password123", "confirm": "password123"},
    )
    assert weak.status_code == 422 and "for let at gætte" in weak.text
    mismatch = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "abc-def-ghi-jkl", "confirm": "abc-def-ghi-jk"},
    )
    assert mismatch.status_code == 422 and "ikke ens" in mismatch.text
    db.refresh(user)
    assert verify_password(user, PASSWORD)
    done = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "blå-cykel-under-træet",
            "confirm": "blå-cykel-under-træet",
        },
    )
    assert done.status_code == 302
    db.refresh(user)
    assert verify_password(user, "blå-cykel-under-træet")
