"""``ungeloeftet privacy scan``: stored text that the identifier guard would refuse now."""

from __future__ import annotations

import click

from models.operations.data_rights import stored_identifiers
from web.db import get_db
from web.privacy import bp


@bp.cli.command("scan", help="List profiles whose stored text holds identifiers (kinds only).")
def scan() -> None:
    found = stored_identifiers(get_db())
    for pseudonym, field, kinds in found:
        click.echo(f"{pseudonym}\t{field}\t{', '.join(kinds)}")
    click.echo(f"{len(found)} field(s) to correct.")
