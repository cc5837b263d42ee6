"""Help for first-time users: a start guide per role, help on the forms, an FAQ and the
partnership's support contact; and the site's favicon. Reachable without logging in (a new
user reads the guide before the first login), linked from every page's footer."""

from flask import Blueprint

bp = Blueprint("guide", __name__)

from web.guide import views  # noqa: E402,F401  - registers the routes on bp
