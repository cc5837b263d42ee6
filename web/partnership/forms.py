"""Forms of the partnership pages: contact person, invitation, notes, accepting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from web.limits import cvr_number, organisation_kind


class ContactPersonForm(FlaskForm):
    municipality = SelectField(_l("Municipality"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    title = StringField(_l("Job title"), validators=[Length(max=120)])
    email = EmailField(
        _l("Work e-mail"),
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
    )
    phone = StringField(_l("Work phone"), validators=[Length(max=30)])


class InvitationForm(FlaskForm):
    kind = organisation_kind()
    organisation_name = StringField(_l("Name of the organisation"), validators=[Length(max=200)])
    cvr = cvr_number()
    email = EmailField(
        _l("E-mail of the contact"),
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
    )


class NoteForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    body = TextAreaField(_l("Text"), validators=[Length(max=5000)])
    attachment = FileField(
        _l("Attachment (optional)"),
        description=_l("PDF, Word, PNG, JPEG or text; at most 5 MB."),
    )


class AcceptForm(FlaskForm):
    """Accepting as the logged-in user: only the CSRF token."""


class NewAccountForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)]
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=200)],
        description=_l("At least 10 characters; a few unrelated words are easy to remember."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", _l("The passwords are not the same."))],
    )
