"""Pages for the admin role."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("admin", __name__)


@bp.before_request
@role_required(Role.ADMIN)
def _only_admins() -> None:
    """Every page here is for the admin role only."""


from web.admin import audit, directory, engine, fairness, members, support, views  # noqa: E402,F401
