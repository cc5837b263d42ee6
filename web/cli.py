"""Command line: ``ungeloeftet <command>`` (a Flask CLI group bound to ``create_app``).

Each command is one unit of work: it calls operations and commits once.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from models import migrate
from models.enums import OrganisationKind, Role
from models.errors import DomainError
from models.organisation import Organisation
from models.reference_load import REFERENCE_TABLES, load_reference_data
from web.db import get_db
from web.progress import stage_bar


def main() -> None:
    from web import create_app

    cli = FlaskGroup(create_app=create_app, help="Ungeløftet Match")
    cli.main(prog_name="ungeloeftet")


@click.group("db", cls=AppGroup, help="Database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db_group.command("downgrade")
@click.option("--revision", default="-1", show_default=True)
def db_downgrade(revision: str) -> None:
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@db_group.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    migrate.check(current_app.config["DATABASE_URL"])
    click.echo("Models and migrations agree.")


@click.command("load-reference", help="Load municipalities, postcodes and ESCO (idempotent).")
@with_appcontext
def load_reference() -> None:
    db = get_db()
    with stage_bar("Reference data", REFERENCE_TABLES) as step:
        counts = load_reference_data(db, progress=step)
    db.commit()
    click.echo("Reference data: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))


def _print_logins(logins: list) -> None:  # type: ignore[type-arg]
    click.echo("\nDemo logins (one per role):")
    for login in logins:
        click.echo(f"  {login.role:<11} {login.email:<42} {login.password}")
    click.echo("")


@click.command("load-demo", help="Load the demo data set (idempotent) and print its logins.")
@with_appcontext
def load_demo_command() -> None:
    from jobs.demo import load_demo

    db = get_db()
    logins = load_demo(db)
    db.commit()
    _print_logins(logins)


@click.command("setup", help="Migrate, load reference and demo data, print the demo logins.")
@with_appcontext
@click.option("--no-demo", is_flag=True, help="Do not load the demo data.")
def setup(no_demo: bool) -> None:
    from jobs.demo import load_demo

    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    stages = ["database", *REFERENCE_TABLES] + ([] if no_demo else ["demo"])
    with stage_bar("Setting up", stages) as step:
        migrate.upgrade(url)
        step("database")
        db = get_db()
        load_reference_data(db, progress=step)
        logins = [] if no_demo else load_demo(db)
        db.commit()
        if logins:
            step("demo")
    if logins:
        _print_logins(logins)


@click.command("create-organisation", help="Create a company or civil-society organisation.")
@with_appcontext
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]), required=True)
@click.option("--name", required=True)
@click.option("--cvr", default=None, help="8 digits; required for companies.")
@click.option("--postcode", default=None)
def create_organisation_command(
    kind: str, name: str, cvr: str | None, postcode: str | None
) -> None:
    from models.operations.accounts import create_organisation

    db = get_db()
    try:
        org = create_organisation(
            db, kind=OrganisationKind(kind), name=name, cvr=cvr, postcode=postcode
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.commit()
    click.echo(f"Organisation {org.id} created.")


@click.command("create-user", help="Create a user account.")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--municipality", type=int, default=None, help="Caseworkers: municipality code.")
@click.option(
    "--organisation",
    "organisation_id",
    type=int,
    default=None,
    help="Company and mentor users: organisation id.",
)
@click.option("--locale", type=click.Choice(["da", "en"]), default="da")
def create_user_command(
    email: str,
    role: str,
    password: str,
    name: str,
    municipality: int | None,
    organisation_id: int | None,
    locale: str,
) -> None:
    from models.operations.accounts import create_user

    db = get_db()
    organisation = db.get(Organisation, organisation_id) if organisation_id else None
    try:
        user = create_user(
            db,
            email=email,
            password=password,
            role=Role(role),
            name=name,
            municipality_code=municipality,
            organisation=organisation,
            locale=locale,
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.commit()
    click.echo(f"User {user.id} created.")


def register(app: Flask) -> None:
    for command in (
        db_group,
        load_reference,
        load_demo_command,
        setup,
        create_organisation_command,
        create_user_command,
    ):
        app.cli.add_command(command)
    __import__("web.cli_jobs").cli_jobs.register(app)
    __import__("web.cli_learning").cli_learning.register(app)
