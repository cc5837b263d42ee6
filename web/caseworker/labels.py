"""Translated labels for the domain's closed vocabularies, as shown to caseworkers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from models.enums import Outcome, ProfileStatus, SuggestionStatus
from models.youth import PREFERRED_KINDS
from web.company.forms import KIND_LABELS
from web.reasons import reason_text
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
    Outcome.EDUCATION: _l("Started education"),
    Outcome.APPRENTICESHIP: _l("Apprenticeship"),
    Outcome.INTERNSHIP: _l("Internship"),
    Outcome.NONE: _l("Nothing came of it"),
}
# The opening kinds' own labels; an education place before openings of that kind exist.
_KIND_BY_VALUE = {kind.value: label for kind, label in KIND_LABELS.items()}
PREFERRED_KIND = {kind: _KIND_BY_VALUE.get(kind, _l("Education place")) for kind in PREFERRED_KINDS}
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
# Why a suggestion left without a decision (Suggestion.reason_code of withdrawn/expired).
END_REASON = {
    "youth_placed": _l("the young person was placed"),
    "youth_paused": _l("the profile was paused"),
    "youth_closed": _l("the profile was closed"),
    "has_mentor": _l("the young person got a mentor"),
    "opening_filled": _l("all seats are filled"),
    "opening_closed": _l("the opening was closed"),
    "slot_full": _l("the mentor slot is full"),
}


def template_globals() -> dict[str, Any]:
    return {
        "PROFILE_STATUS": PROFILE_STATUS,
        "SUGGESTION_STATUS": SUGGESTION_STATUS,
        "OUTCOME": OUTCOME,
        "EDUCATION": EDUCATION,
        "PREFERRED_KIND": PREFERRED_KIND,
        "REJECT_REASON": REJECT_REASON,
        "AUDIT_ACTION": AUDIT_ACTION,
        "END_REASON": END_REASON,
        "OPENING_KIND": KIND_LABELS,
        "reason_text": reason_text,
    }
