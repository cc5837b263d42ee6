"""Pages for the company role."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("company", __name__)


@bp.before_request
@role_required(Role.COMPANY)
def _only_companys() -> None:
    """Every page here is for the company role only."""


from web.company import views  # noqa: E402,F401
