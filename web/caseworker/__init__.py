"""Pages for the caseworker role."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("caseworker", __name__)


@bp.before_request
@role_required(Role.CASEWORKER)
def _only_caseworkers() -> None:
    """Every page here is for the caseworker role only."""


from web.caseworker import views  # noqa: E402,F401
