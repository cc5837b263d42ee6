"""A partnership admin registers the municipality's contact person and invites members."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from models.enums import OrganisationKind
from models.operations.partnerships import (
    INVITATION_DAYS,
    ContactInput,
    InvitationInput,
    invite_organisation,
    queue_invitation_mail,
    set_contact_person,
)
from models.organisation import Partnership
from models.partnership_info import ContactPerson, PartnershipInvitation
from web.admin import bp
from web.db import get_db
from web.partner_forms import attempt, commit_and_redirect, form_page
from web.partnership.forms import ContactPersonForm, InvitationForm
from web.security import get_scoped_or_404

CONTACT_ALIASES = {"municipality_code": "municipality"}


@bp.route("/partnerships/<int:partnership_id>/contact-person", methods=["GET", "POST"])
def contact_person(partnership_id: int) -> Any:
    db = get_db()
    partnership = get_scoped_or_404(select(Partnership), Partnership, partnership_id)
    form = ContactPersonForm()
    form.municipality.choices = [SelectChoice(m.code, m.name) for m in partnership.municipalities]
    if request.method == "GET":
        code = request.args.get("municipality", type=int) or (
            partnership.municipalities[0].code if partnership.municipalities else 0
        )
        existing = db.scalar(
            select(ContactPerson).where(
                ContactPerson.partnership_id == partnership.id,
                ContactPerson.municipality_code == code,
            )
        )
        form.municipality.data = code
        if existing is not None:
            form.name.data, form.title.data = existing.name, existing.title
            form.email.data, form.phone.data = existing.email, existing.phone
    elif form.validate_on_submit():
        with attempt(db, form, CONTACT_ALIASES) as done:
            set_contact_person(
                db,
                current_user,
                partnership,
                ContactInput(
                    municipality_code=form.municipality.data or 0,
                    name=form.name.data or "",
                    title=form.title.data or "",
                    email=form.email.data or "",
                    phone=form.phone.data or "",
                ),
            )
        if done.ok:
            return commit_and_redirect(
                db,
                _("The contact person is saved."),
                url_for("partnership.detail", partnership_id=partnership.id),
            )
    return form_page("admin/contact_person.html", form=form, partnership=partnership)


def invitation_mail(invitation: PartnershipInvitation, link: str, locale: str) -> tuple[str, str]:
    with force_locale(locale):
        subject = _("Invitation to the partnership %(name)s", name=invitation.partnership.name)
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "%(org)s is invited to take part in the local Ungeløftet partnership "
                    "%(name)s on Ungeløftet Match, where companies and organisations offer "
                    "jobs, education places and mentors to young people.",
                    org=invitation.organisation_name,
                    name=invitation.partnership.name,
                ),
                _(
                    "Accept by logging in or by creating your account here (the link works "
                    "for %(days)s days): %(link)s",
                    days=INVITATION_DAYS,
                    link=link,
                ),
            ]
        )
    return subject, body + "\n"


@bp.route("/partnerships/<int:partnership_id>/invite", methods=["GET", "POST"])
def invite(partnership_id: int) -> Any:
    db = get_db()
    partnership = get_scoped_or_404(select(Partnership), Partnership, partnership_id)
    form = InvitationForm()
    if form.validate_on_submit():
        with attempt(db, form, fallback="email") as done:
            invitation, secret = invite_organisation(
                db,
                current_user,
                partnership,
                InvitationInput(
                    email=form.email.data or "",
                    kind=OrganisationKind(form.kind.data),
                    organisation_name=form.organisation_name.data or "",
                    cvr=form.cvr.data or None,
                ),
            )
            link = url_for("invitation.accept", secret=secret, _external=True)
            queue_invitation_mail(db, invitation, *invitation_mail(invitation, link, "da"))
        if done.ok:
            return commit_and_redirect(
                db,
                _("The invitation is sent to %(email)s.", email=invitation.email),
                url_for("partnership.detail", partnership_id=partnership.id),
            )
    return form_page("admin/invite.html", form=form, partnership=partnership)
