"""The national secretariat: every partnership's figures and contact persons, inspiration
notes. Never a profile, a card or a pseudonym (tests/test_route_walk.py checks it)."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("secretariat", __name__, template_folder="templates")


@bp.before_request
@role_required(Role.SECRETARIAT)
def _only_secretariat() -> None:
    """Every page here is for the secretariat role only."""


from web.secretariat import views  # noqa: E402,F401
