"""Form helpers shared by the pages: comma lists, and domain errors shown beside their field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from models.errors import ValidationError
from models.operations.after_save import commit
from web.i18n import translate_error


def split_list(text: str | None) -> list[str]:
    """A comma-separated field as a list ("truck, lager" → ["truck", "lager"])."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def join_list(items: list[str] | None) -> str:
    return ", ".join(items or [])


def form_page(template: str, **context: Any) -> tuple[str, int]:
    """A form's page: 200 when asked for, 422 when shown again after a POST it refused."""
    return render_template(template, **context), 422 if request.method == "POST" else 200


def commit_and_redirect(db: Session, message: str, url: str) -> Response:
    """End a unit of work that went through: commit it (with what the save sets off,
    :func:`models.operations.after_save.commit`), say so, and go to ``url``."""
    commit(db)
    flash(message, "success")
    return redirect(url)


def show_error(
    form: FlaskForm,
    error: ValidationError,
    aliases: dict[str, str] | None = None,
    fallback: str | None = None,
) -> None:
    """Put a domain error beside the form field it names (through ``aliases``), else beside
    ``fallback``, else beside the first field."""
    name = (aliases or {}).get(error.field, error.field)
    field: Any = getattr(form, name, None) if name else None
    if field is None and fallback:
        field = getattr(form, fallback)
    if field is None:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
    field.errors = [*list(field.errors or []), translate_error(error)]


@dataclass
class Attempt:
    ok: bool = False


@contextmanager
def attempt(
    db: Session,
    form: FlaskForm,
    aliases: dict[str, str] | None = None,
    fallback: str | None = None,
) -> Iterator[Attempt]:
    """Run a form's domain operation: ``ok`` afterwards if it went through; on a
    ``ValidationError`` the transaction is rolled back and the error shown on the form (the
    page is then shown again with everything typed)."""
    outcome = Attempt()
    try:
        yield outcome
    except ValidationError as error:
        db.rollback()
        show_error(form, error, aliases, fallback)
    else:
        outcome.ok = True
