"""Figures as charts with their tables, and CSV/JSON downloads (admin, secretariat and
caseworkers; see web/figures/views.py for who may see which scope)."""

from flask import Blueprint

from models.enums import Role
from web.security import role_required

bp = Blueprint("figures", __name__, template_folder="templates")

ROLES = (Role.ADMIN, Role.SECRETARIAT, Role.CASEWORKER)


@bp.before_request
@role_required(*ROLES)
def _only_figure_roles() -> None:
    """Companies and mentors have no figures pages."""


from web.figures import views  # noqa: E402,F401
