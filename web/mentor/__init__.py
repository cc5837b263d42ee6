"""Pages for the mentor role."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("mentor", __name__)


@bp.before_request
@role_required(Role.MENTOR)
def _only_mentors() -> None:
    """Every page here is for the mentor role only."""


from web.mentor import views  # noqa: E402,F401
