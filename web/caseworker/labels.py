"""Translated labels for the domain's closed vocabularies, as shown to caseworkers."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from models.enums import Outcome, ProfileStatus, SuggestionStatus
from web.vocabulary import AUDIT_ACTION

PROFILE_STATUS = {
    ProfileStatus.ACTIVE: _l("Active"),
    ProfileStatus.PAUSED: _l("Paused"),
    ProfileStatus.PLACED: _l("Placed"),
    ProfileStatus.CLOSED: _l("Closed"),
}
SUGGESTION_STATUS = {
    SuggestionStatus.PROPOSED: _l("New"),
    SuggestionStatus.APPROVED: _l("Approved, awaiting answer"),
    SuggestionStatus.REJECTED: _l("Rejected"),
    SuggestionStatus.INTERESTED: _l("Company interested"),
    SuggestionStatus.DECLINED: _l("Declined by partner"),
    SuggestionStatus.ACCEPTED: _l("Mentor accepted"),
    SuggestionStatus.WITHDRAWN: _l("Withdrawn"),
    SuggestionStatus.PLACED: _l("Led to a placement"),
    SuggestionStatus.ENDED: _l("Ended without result"),
    SuggestionStatus.EXPIRED: _l("Expired"),
}
OUTCOME = {
    Outcome.JOB: _l("Job"),
    Outcome.APPRENTICESHIP: _l("Apprenticeship"),
    Outcome.INTERNSHIP: _l("Internship"),
    Outcome.NONE: _l("Nothing came of it"),
}
EDUCATION = {
    "none": _l("No completed education"),
    "primary": _l("Primary school (folkeskole)"),
    "upper_secondary": _l("Upper secondary (gymnasium)"),
    "vocational": _l("Vocational education"),
    "higher": _l("Higher education"),
}
REJECT_REASON = {
    "not_wanted": _l("The young person does not want it"),
    "too_far": _l("Too far away"),
    "wrong_hours": _l("The hours do not fit"),
    "not_ready_for_this": _l("Not the right step right now"),
    "other": _l("Other reason"),
}


def reason_text(reason: dict[str, Any]) -> str:
    """An engine reason ({code, da, en}) in the user's language."""
    language = str(get_locale() or "da")[:2]
    return str(reason.get(language) or reason.get("en") or reason.get("code", ""))


def template_globals() -> dict[str, Any]:
    return {
        "PROFILE_STATUS": PROFILE_STATUS,
        "SUGGESTION_STATUS": SUGGESTION_STATUS,
        "OUTCOME": OUTCOME,
        "EDUCATION": EDUCATION,
        "REJECT_REASON": REJECT_REASON,
        "AUDIT_ACTION": AUDIT_ACTION,
        "reason_text": reason_text,
    }
