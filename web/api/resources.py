"""What the API's views share: one scoped row, a filtered page of a scoped list, an
operation's input from a parsed body, and an operation run as one unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from flask_login import current_user
from sqlalchemy import Select

from models.operations.after_save import commit
from web.api.pagination import paginate
from web.db import get_db
from web.security import get_scoped_or_404

T = TypeVar("T")
Scope = Callable[[Any], Select[Any]]  # models.scoping: what a user may see


def load(scope: Scope, model: Any, object_id: int) -> Any:
    """One row the current user may see; another tenant's ID answers 404."""
    return get_scoped_or_404(scope(current_user), model, object_id)


def page(
    scope: Scope, query: dict[str, Any], order_by: Any, filters: dict[str, Any]
) -> dict[str, Any]:
    """A page of what the current user may see, narrowed by each filter sent:
    ``filters`` maps a parsed query argument to its column (an enum column's value is
    turned into the enum)."""
    select = scope(current_user)
    for name, column in filters.items():
        value = query.get(name)
        if value:
            enum = getattr(column.type, "enum_class", None)
            select = select.where(column == (enum(value) if enum is not None else value))
    return paginate(select, query, order_by)


def operation_input(cls: type[T], body: dict[str, Any], stored: Any = None) -> T:
    """The operation's input dataclass from a parsed body: fields the body does not send
    keep the ``stored`` object's values (PATCH) or their defaults; a null list is an empty
    list and a null text an empty text; an enum field's text becomes the enum."""
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values = {name: getattr(stored, name) for name in names} if stored is not None else {}
    values.update({name: body[name] for name in names if name in body})
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name not in values:
            continue
        value = values[field.name]
        if value is None and field.default_factory is not dataclasses.MISSING:
            values[field.name] = []
        elif value is None and field.default == "":
            values[field.name] = ""
        elif isinstance(field.default, Enum) and not isinstance(value, Enum):
            values[field.name] = type(field.default)(value)
    return cls(**values)


def run(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``operation(db, current_user, *args, **kwargs)`` as the request's unit of work:
    committed, then the after-save handlers (models/operations/after_save.py)."""
    db = get_db()
    result = operation(db, current_user, *args, **kwargs)
    commit(db)
    return result
