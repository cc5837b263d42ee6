"""Pages for everyone: the front page, the about page (with data attribution), language."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from web.public import views  # noqa: E402,F401  - registers the routes on bp
