"""Form helpers shared by the company, mentor and admin pages."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from models.errors import ValidationError
from web.i18n import translate_error


def split_list(text: str | None) -> list[str]:
    """A comma-separated field as a list ("truck, lager" → ["truck", "lager"])."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def join_list(items: list[str] | None) -> str:
    return ", ".join(items or [])


def show_error(
    form: FlaskForm, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a domain error beside the form field it names (or the first field)."""
    name = (aliases or {}).get(error.field, error.field)
    field: Any = getattr(form, name, None)
    if field is None:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
    field.errors = [*list(field.errors or []), translate_error(error)]
