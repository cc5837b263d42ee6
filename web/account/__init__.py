"""The user's own account: API tokens and password (every role)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("account", __name__)


@bp.before_request
@login_required
def _only_logged_in() -> None:
    """Every page here is for a logged-in user, about that user only."""


from web.account import views  # noqa: E402,F401
