"""Titles of the charts and names of their series, in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models.enums import OpeningKind
from web.company.forms import KIND_LABELS

CHART_TITLES = {
    "posted": _l("Openings and places posted, by kind"),
    "youth": _l("Young people: active, new and active again"),
    "suggestions": _l("Suggestions and approvals"),
    "answers": _l("Answers from companies and mentors"),
    "placements": _l("Placements in a job and in education"),
    "follow_up": _l("Follow-up after 30 and 90 days"),
    "mentors": _l("Mentor assignments"),
    "rapid": _l("Median days from profile to first approved proposal"),
}

LINE_LABELS = {
    **{f"opening_{k.value}": KIND_LABELS[k] for k in OpeningKind},
    "mentor_places": _l("Mentor places"),
    "youth_active": _l("Active young people"),
    "profiles_created": _l("New profiles"),
    "profiles_activated": _l("Active again or new"),
    "suggestions": _l("Suggestions"),
    "approvals": _l("Approved by caseworkers"),
    "company_interested": _l("Company interested"),
    "company_declined": _l("Company declined"),
    "mentor_accepted": _l("Mentor accepted"),
    "mentor_declined": _l("Mentor declined"),
    "placed_job": _l("Job"),
    "placed_education": _l("Started education"),
    "follow_up_30_placed": _l("30 days: still in job or education"),
    "follow_up_30_not_placed": _l("30 days: no longer"),
    "follow_up_90_placed": _l("90 days: still in job or education"),
    "follow_up_90_not_placed": _l("90 days: no longer"),
    "mentor_assignments": _l("Mentor assignments"),
    "median_days_to_first_approval": _l("Median days"),
}
