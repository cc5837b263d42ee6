"""Privacy and equal treatment in the web: ads held for review, caseworkers' reports, and the
data rights of a young person (export, erasure). Routes carry their full paths; each view
says which role may use it."""

from flask import Blueprint

from web.languages import language_list

bp = Blueprint("privacy", __name__)
bp.add_app_template_filter(language_list, "language_list")

from web.privacy import cli, data_rights, reviews  # noqa: E402,F401
