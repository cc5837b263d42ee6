"""Partnership pages for every logged-in user, inspiration notes, and invitation links."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("partnership", __name__, template_folder="templates")
# Invitation links are opened by people who may have no account yet.
invitation_bp = Blueprint("invitation", __name__, template_folder="templates")


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every partnership page needs a login (whatever the role)."""


from web.partnership import invitations, views  # noqa: E402,F401
