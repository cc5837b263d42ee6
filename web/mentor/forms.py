"""Forms of the mentor pages (the mentor slot form is shared with companies)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from web.languages import LanguageField


class MentorSlotForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    interests = StringField(
        _l("Interests"), validators=[Length(max=1000)], description=_l("Separate with commas.")
    )
    languages = LanguageField(
        _l("Languages"),
        default=["da"],
        description=_l("Pick one or more; type a name to jump to it."),
    )
    postcode = StringField(
        _l("Postcode"), validators=[DataRequired(_l("Enter a postcode.")), Length(min=4, max=4)]
    )
    max_distance_km = IntegerField(
        _l("Max distance (km)"),
        default=25,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 200)],
    )
    capacity = IntegerField(
        _l("How many young people at a time"),
        default=1,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 50)],
    )
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_until = DateField(_l("Available until"), validators=[Optional()])


class MentorAnswerForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when you decline)"), validators=[Length(max=2000)])
