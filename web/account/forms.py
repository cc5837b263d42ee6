from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from models.operations.tokens import DEFAULT_DAYS, MAX_DAYS


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=100, message=_l("The name can have at most %(max)d characters.")),
        ],
    )
    days = IntegerField(
        _l("Valid for (days)"),
        default=DEFAULT_DAYS,
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(
                min=1,
                max=MAX_DAYS,
                message=_l("A token can be valid for 1 to %(max)d days."),
            ),
        ],
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("new", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
