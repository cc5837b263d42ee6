"""Closed vocabularies shown to people, in their language: audit events, job runs, roles.

The codes (``auth.login``, ``succeeded``, ``YouthProfile``) stay in the database and in the CSV
export; pages show the labels here. ``tests/test_danish_pages.py`` fails when a page of the
route walk shows a raw code instead. WTForms' built-in messages are translated in this area's
catalogue too (WTForms ships no Danish), see ``web.i18n.FormTranslations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from models.enums import Role

AUDIT_ACTION: Mapping[str, Any] = {
    "ad.held_for_review": _l("Ad held for review"),
    "ad.kept_unpublished": _l("Ad kept unpublished"),
    "ad.published_with_justification": _l("Ad published with a justification"),
    "ad.report": _l("Ad reported"),
    "ad.report_settled": _l("Ad report settled"),
    "ad.review_withdrawn": _l("Ad review withdrawn"),
    "contact_person.set": _l("Contact person registered"),
    "engine_config.adopt": _l("Engine weights adopted"),
    "engine_config.propose": _l("Engine weights proposed"),
    "engine_config.reject": _l("Engine weights rejected"),
    "engine_config.restore": _l("Previous engine weights restored"),
    "inspiration.publish": _l("Inspiration note published"),
    "mentor_slot.full": _l("Mentor slot full"),
    "opening.filled": _l("Opening filled"),
    "partnership.invite": _l("Organisation invited"),
    "partnership.join": _l("Organisation joined the partnership"),
    "profile.confirm": _l("Profile confirmed"),
    "profile.erase": _l("Profile erased on request"),
    "profile.export": _l("Profile data exported"),
    "profile.follow_up": _l("Follow-up recorded"),
    "profile.placed": _l("Placed: other suggestions withdrawn"),
    "audit.export": _l("Audit log exported"),
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.logout": _l("Logged out"),
    "auth.password_change": _l("Password changed"),
    "auth.sso_login": _l("Logged in with single sign-on"),
    "auth.sso_refused": _l("Single sign-on refused"),
    "mentor_slot.create": _l("Mentor slot created"),
    "mentor_slot.status": _l("Mentor slot status changed"),
    "mentor_slot.update": _l("Mentor slot changed"),
    "mentoring.answer": _l("Mentor answered"),
    "opening.create": _l("Opening created"),
    "opening.publish": _l("Opening published"),
    "opening.publish_refused": _l("Publishing refused"),
    "opening.status": _l("Opening status changed"),
    "opening.unpublish": _l("Opening taken down"),
    "opening.update": _l("Opening changed"),
    "organisation.create": _l("Organisation created"),
    "organisation.deactivate": _l("Organisation deactivated"),
    "organisation.update": _l("Organisation changed"),
    "partnership.create": _l("Partnership created"),
    "partnership.update": _l("Partnership changed"),
    "partnership.sso": _l("Single sign-on set up"),
    "partnership.support": _l("Support contact changed"),
    "profile.create": _l("Profile created"),
    "profile.match": _l("Matching run for the profile"),
    "profile.read": _l("Profile read"),
    "profile.status": _l("Status changed"),
    "profile.update": _l("Profile changed"),
    "proposal.answer": _l("Company answered"),
    "retention.erase": _l("Data erased after the retention period"),
    "suggestion.approve": _l("Proposal approved"),
    "suggestion.outcome": _l("Outcome recorded"),
    "suggestion.reject": _l("Proposal rejected"),
    "token.create": _l("API token created"),
    "token.revoke": _l("API token revoked"),
    "token.use": _l("API token used"),
    "user.create": _l("User created"),
    "user.deactivate": _l("User deactivated"),
    "user.password_reset": _l("Password reset"),
}

OBJECT_TYPE: Mapping[str, Any] = {
    "YouthProfile": _l("Profile"),
    "JobOpening": _l("Opening"),
    "MentorSlot": _l("Mentor slot"),
    "Suggestion": _l("Proposal"),
    "User": _l("User"),
    "Organisation": _l("Organisation"),
    "Partnership": _l("Partnership"),
    "ApiToken": _l("API token"),
}

JOB_STATUS: Mapping[str, Any] = {
    "running": _l("Running"),
    "succeeded": _l("Succeeded"),
    "failed": _l("Failed"),
    "skipped": _l("Skipped"),
}

JOB_NAME: Mapping[str, Any] = {
    "nightly": _l("Nightly matching and digests"),
    "reconfirm": _l("Reminders to reconfirm profiles"),
    "retention": _l("Erasure after the retention period"),
}

NOTIFICATION_KIND: Mapping[str, Any] = {
    "digest.caseworker": _l("Daily digest for caseworkers"),
    "digest.company": _l("Digest for companies"),
    "digest.mentor": _l("Digest for mentors"),
    "profile.reconfirm": _l("Reminder to reconfirm a profile"),
    "proposal.new": _l("New proposal"),
    "proposal.answered": _l("Answer to a proposal"),
    "mentoring.answered": _l("Answer from a mentor"),
    "opening.unpublished": _l("Opening taken down"),
}

ROLE: Mapping[str, Any] = {
    Role.ADMIN: _l("Administrator"),
    Role.CASEWORKER: _l("Caseworker"),
    Role.COMPANY: _l("Company"),
    Role.MENTOR: _l("Mentor"),
}


def label(vocabulary: Mapping[str, Any], code: Any) -> str:
    """The label of a code, or the code itself when the vocabulary has none (a new code)."""
    if code is None:
        return ""
    return str(vocabulary.get(str(code), code))


def template_globals() -> dict[str, Any]:
    return {
        "AUDIT_ACTION_LABEL": AUDIT_ACTION,
        "OBJECT_TYPE_LABEL": OBJECT_TYPE,
        "JOB_STATUS_LABEL": JOB_STATUS,
        "JOB_NAME_LABEL": JOB_NAME,
        "ROLE_LABEL": ROLE,
        "NOTIFICATION_KIND_LABEL": NOTIFICATION_KIND,
        "label": label,
    }
