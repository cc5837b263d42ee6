"""Rendering mails: Jinja2 + Babel directly (no Flask), in the recipient's language.

Decision: mails are rendered **at send time** from ``Notification.kind`` and ``payload`` (the
``subject``/``body`` columns stay empty), so the outbox row holds facts, not prose, and the
sender renders in the recipient's current language. Rows queued with a pre-rendered subject
and body are sent as they are. Digests carry everything they show in their payload (counts,
titles, and for caseworkers pseudonyms); event mails (``proposal.new``,
``proposal.answered``, ``mentoring.answered``) carry a suggestion id and are looked up when
sent. Companies and mentors are never told anything about a young person: titles and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations, Translations
from sqlalchemy.orm import Session

from jobs.settings import JobSettings
from models.enums import Role, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.notification import Notification
from models.opening import JobOpening
from models.suggestion import Suggestion

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TRANSLATIONS = HERE / "translations"
LOCALES = ("da", "en")


class Undeliverable(Exception):
    """The mail cannot be built (e.g. what it is about was erased): dead-letter it."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=4)
def translations(locale: str) -> NullTranslations:
    if locale == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale], domain="messages")


@lru_cache(maxsize=4)
def environment(locale: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


def _subject(kind: str, context: dict[str, Any], locale: str) -> str:
    t = translations(locale)
    n = int(context.get("new", 0))
    if kind == "digest.caseworker" and n == 0:
        n = len(context.get("follow_ups", ()))
        text = t.ngettext("%(num)s follow-up is due", "%(num)s follow-ups are due", n)
    elif kind == "digest.caseworker":
        text = t.ngettext(
            "%(num)s new suggestion is waiting", "%(num)s new suggestions are waiting", n
        )
    elif kind == "digest.company":
        text = t.ngettext("%(num)s new candidate proposal", "%(num)s new candidate proposals", n)
    elif kind == "digest.mentor":
        text = t.ngettext("%(num)s new mentoring request", "%(num)s new mentoring requests", n)
    elif kind == "digest.fairness":
        text = t.ngettext(
            "The fairness monitor has %(num)s new flag",
            "The fairness monitor has %(num)s new flags",
            n,
        )
    elif kind == "profile.reconfirm":
        text = t.ngettext(
            "%(num)s profile needs to be reconfirmed", "%(num)s profiles need to be reconfirmed", n
        )
    elif kind == "proposal.new":
        text = t.gettext("New proposal: %(title)s")
    elif kind == "proposal.answered":
        text = t.gettext("The company has answered a proposal for %(pseudonym)s")
    elif kind == "mentoring.answered":
        text = t.gettext("The mentor has answered a request for %(pseudonym)s")
    elif kind == "opening.filled":
        text = t.gettext("All seats are filled: %(title)s")
    elif kind == "ad.reported":
        text = t.gettext("An ad was reported: %(title)s")
    else:
        raise Undeliverable(f"unknown mail kind {kind!r}")
    return text % {"num": n, **context}


def _link(settings: JobSettings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


def _event_context(session: Session, notification: Notification) -> dict[str, Any]:
    suggestion_id = notification.payload.get("suggestion_id")
    suggestion = session.get(Suggestion, suggestion_id) if suggestion_id else None
    if suggestion is None:
        raise Undeliverable("the suggestion this mail is about no longer exists")
    target = suggestion.target
    title = target.title if target is not None else ""
    is_mentoring = suggestion.target_kind is TargetKind.MENTOR_SLOT
    if notification.kind == "proposal.new":
        # To a company or a mentor: the anonymous card waits behind the link; nothing here.
        return {
            "title": title,
            "is_mentoring": is_mentoring,
            "path": _partner_path(notification, suggestion),
        }
    return {
        "title": title,
        "pseudonym": suggestion.youth.pseudonym,
        # Rendered when sent: a placement recorded since then still means the answer was yes.
        "positive": suggestion.status in _POSITIVE,
        "message": suggestion.response_message or "",
        "contact": _answered_by(suggestion),
        "path": f"/caseworker/profiles/{suggestion.youth_id}",
    }


def _answered_by(suggestion: Suggestion) -> str:
    """Who answered "interested" or "accepted", as a work contact for the caseworker."""
    who = suggestion.responded_by
    if who is None or suggestion.status not in _POSITIVE:
        return ""
    return ", ".join(part for part in (who.name, who.email, who.phone or "") if part)


_POSITIVE = (SuggestionStatus.INTERESTED, SuggestionStatus.ACCEPTED, SuggestionStatus.PLACED)


def _partner_path(notification: Notification, suggestion: Suggestion) -> str:
    """Where a company or a mentor answers: a page the recipient's role may open."""
    recipient = notification.recipient
    if suggestion.target_kind is TargetKind.OPENING:
        return f"/company/openings/{suggestion.opening_id}"
    if recipient is not None and recipient.role is Role.COMPANY:
        return f"/company/slots/{suggestion.mentor_slot_id}"  # a workplace mentor slot
    return f"/mentor/offers/{suggestion.id}"


def _ad_context(session: Session, notification: Notification) -> dict[str, Any]:
    """``opening.filled`` (to the company) and ``ad.reported`` (to the secretariat)."""
    payload = notification.payload
    if notification.kind == "opening.filled" or payload.get("target_kind") == "opening":
        ad: Any = session.get(JobOpening, payload.get("opening_id") or payload.get("target_id"))
    else:
        ad = session.get(MentorSlot, payload.get("target_id"))
    if ad is None:
        raise Undeliverable("the ad this mail is about no longer exists")
    if notification.kind == "opening.filled":
        path = f"/company/openings/{ad.id}"
    else:
        path = "/admin/reviews"  # the report waits in the review queue
    return {
        "title": ad.title,
        "organisation": ad.organisation.name,
        "expired": int(payload.get("expired", 0)),
        "reason": payload.get("reason", ""),
        "path": path,
    }


_DIGEST_PATHS = {
    "digest.caseworker": "/caseworker/",
    "digest.company": "/company/",
    "digest.mentor": "/mentor/",
    "profile.reconfirm": "/caseworker/?reconfirm=1",  # the profiles to confirm
    "digest.fairness": "/admin/fairness",
}


def _digest_path(notification: Notification) -> str:
    recipient = notification.recipient
    if notification.kind == "digest.mentor" and recipient and recipient.role is Role.COMPANY:
        return "/company/slots"  # a company's workplace mentor slots: /mentor/ is not theirs
    return _DIGEST_PATHS[notification.kind]


def render(session: Session, notification: Notification, settings: JobSettings) -> RenderedMail:
    """The subject, text and HTML of a queued mail, in its recipient's language."""
    if notification.subject and notification.body_text:
        return RenderedMail(
            notification.subject, notification.body_text, notification.body_html or ""
        )
    locale = notification.locale if notification.locale in LOCALES else "da"
    kind = notification.kind
    if kind in _DIGEST_PATHS:
        context = dict(notification.payload) | {"path": _digest_path(notification)}
    elif kind in ("opening.filled", "ad.reported"):
        context = _ad_context(session, notification)
    else:
        context = _event_context(session, notification)
    context["link"] = _link(settings, context["path"])
    context["base_url"] = settings.base_url
    context["locale"] = locale
    subject = _subject(kind, context, locale)
    env = environment(locale)
    name = kind.replace(".", "_")
    try:
        text = env.get_template(f"mail/{name}.txt").render(subject=subject, **context)
        html = env.get_template(f"mail/{name}.html").render(subject=subject, **context)
    except jinja2.TemplateNotFound as error:  # pragma: no cover - every kind has templates
        raise Undeliverable(f"no template for {kind!r}") from error
    return RenderedMail(subject, text, html)
