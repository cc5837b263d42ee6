"""Forms of the secretariat's pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from models.enums import Role
from web.limits import cvr_number, organisation_kind, written_reason


class PartnershipForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    municipalities = SelectMultipleField(
        _l("Municipalities"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one municipality."))],
        description=_l("Hold Ctrl (or Cmd) to choose more than one."),
    )


class OrganisationForm(FlaskForm):
    kind = organisation_kind()
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    cvr = cvr_number()
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(min=4, max=4)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    partnerships = SelectMultipleField(_l("Partnerships"), coerce=int, validators=[Optional()])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter an e-mail address."))])
    name = StringField(_l("Name"), validators=[Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.CASEWORKER.value, _l("Caseworker")),
            SelectChoice(Role.COMPANY.value, _l("Company contact")),
            SelectChoice(Role.MENTOR.value, _l("Mentor")),
            SelectChoice(Role.ADMIN.value, _l("Partnership secretariat")),
            SelectChoice(Role.SECRETARIAT.value, _l("National secretariat")),
        ],
    )
    municipality = SelectField(
        _l("Municipality (caseworkers)"), coerce=int, validators=[Optional()]
    )
    organisation = SelectField(
        _l("Organisation (companies and mentors)"), coerce=int, validators=[Optional()]
    )
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("da", "Dansk"), SelectChoice("en", "English")]
    )
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to create a one-time password that is shown once."),
    )


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to create a one-time password that is shown once."),
    )


class UnpublishForm(FlaskForm):
    reason = written_reason(_l("Reason (the company sees it)"), _l("Give the company a reason."))
