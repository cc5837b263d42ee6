"""The command line: organisations and users, with the same rules as the web."""

from sqlalchemy import select

from models import Organisation, User
from models.enums import Role


def test_create_organisation_and_user(runner, db):
    result = runner.invoke(
        args=[
            "create-organisation",
            "--kind",
            "company",
            "--name",
            "Firma ApS",
            "--cvr",
            "24256790",
            "--postcode",
            "8000",
        ]
    )
    assert result.exit_code == 0, result.output
    org = db.scalar(select(Organisation).where(Organisation.cvr == "24256790"))
    assert org.name == "Firma ApS"

    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Kontakt@Firma.dk",
            "--role",
            "company",
            "--organisation",
            str(org.id),
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "kontakt@firma.dk"))
    assert user.role is Role.COMPANY and user.organisation_id == org.id


def test_bad_input_is_refused_with_a_message(runner, db):
    result = runner.invoke(
        args=["create-organisation", "--kind", "company", "--name", "X", "--cvr", "1234"]
    )
    assert result.exit_code != 0
    assert "8 digits" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "not-an-email",
            "--role",
            "admin",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code != 0
    assert "valid e-mail" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "cw@example.dk",
            "--role",
            "caseworker",
            "--password",
            "a-long-password",
        ]
    )
    assert "municipality" in result.output
    assert db.scalar(select(User).where(User.email == "cw@example.dk")) is None


def test_load_reference_is_idempotent(runner):
    result = runner.invoke(args=["load-reference"])
    assert result.exit_code == 0
    assert "municipalities +0" in result.output and "occupations +0" in result.output
