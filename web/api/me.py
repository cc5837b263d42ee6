from __future__ import annotations

from flask_login import current_user

from web.api.routing import operation
from web.api.schemas import MeSchema


@operation(
    "/me", "GET", summary="Who the token or session belongs to", tag="account", response=MeSchema
)
def me() -> object:
    """The calling user: role, tenant and locale."""
    return current_user._get_current_object()
