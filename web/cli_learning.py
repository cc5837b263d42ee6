"""``ungeloeftet model-card``: the model card's current section from the data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from jobs.model_card import render_model_card
from web.db import get_db

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "MODEL_CARD_CURRENT.md"


@click.command(
    "model-card", help="Write the model card's current figures (engine, weights, fairness)."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the markdown ('-' prints it).",
)
@with_appcontext
def model_card_command(output: Path) -> None:
    text = render_model_card(get_db(), date.today(), datetime.now(UTC))
    if str(output) == "-":
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"Model card figures written to {output}.")


def register(app: Flask) -> None:
    app.cli.add_command(model_card_command)
