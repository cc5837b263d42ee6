"""Flask-Login glue: a session names the user and the user's session version.

Changing the password, deactivating the user or logging out everywhere bumps the version,
so every other session of that user stops working at its next request.
"""

from __future__ import annotations

from sqlalchemy.orm import joinedload

from models.user import User
from web.db import get_db

# A partner's organisation comes with the user: their pages show its name (one query fewer).
# Built once: the option is immutable, and SQLAlchemy keeps its cache key.
WITH_ORGANISATION = (joinedload(User.organisation),)


def load_user(session_id: str) -> User | None:
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = get_db().get(User, user_id, options=WITH_ORGANISATION)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
