from __future__ import annotations

from flask import render_template
from flask_login import current_user

from models.mentor_slot import MentorSlot
from models.scoping import mentor_slots_for, suggestions_for
from models.suggestion import Suggestion
from web.db import get_db
from web.mentor import bp


@bp.get("/")
def index() -> str:
    """The mentor's slots and the assignment offers for them."""
    db = get_db()
    slots = db.scalars(mentor_slots_for(current_user).order_by(MentorSlot.created_at)).all()
    offers = db.scalars(suggestions_for(current_user).order_by(Suggestion.decided_at.desc())).all()
    return render_template("mentor/index.html", slots=slots, offers=offers)
