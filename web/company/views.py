from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import func

from models.enums import SuggestionStatus
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.scoping import mentor_slots_for, openings_for, suggestions_for
from models.suggestion import Suggestion
from web.company import bp
from web.db import get_db


@bp.get("/")
def index() -> str:
    """Dashboard: the organisation's openings and mentor slots, with pending proposals."""
    db = get_db()
    openings = db.scalars(openings_for(current_user).order_by(JobOpening.created_at.desc())).all()
    slots = db.scalars(mentor_slots_for(current_user).order_by(MentorSlot.created_at.desc())).all()
    pending = dict(
        db.execute(
            suggestions_for(current_user)
            .where(Suggestion.status == SuggestionStatus.APPROVED)
            .with_only_columns(Suggestion.opening_id, func.count())
            .group_by(Suggestion.opening_id)
        ).all()
    )
    return render_template("company/index.html", openings=openings, slots=slots, pending=pending)
