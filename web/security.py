"""Roles, tenant-scoped loading for views, and logging in on a fresh session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, session
from flask_login import current_user, login_required, login_user
from sqlalchemy import Select

from models.enums import Role
from models.user import User
from web.db import get_db

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def role_required(*roles: Role) -> Callable[[F], F]:
    """Only logged-in users with one of ``roles``; others get 403, anonymous users the login."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def get_scoped_or_404(query: Select[T], model: Any, object_id: int) -> T:
    """Load one row through a scoped query; a foreign tenant's ID answers 404."""
    obj = get_db().scalars(query.where(model.id == object_id)).first()
    if obj is None:
        abort(404)
    return obj


def login_afresh(user: User, *, adopt_language: bool = False) -> None:
    """Log ``user`` in on a fresh session (no session fixation), keeping the language chosen
    before. ``adopt_language``: that choice becomes the user's language too (the language
    switch of a login page)."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
        if adopt_language:
            user.locale = locale
    login_user(user)
