"""Forms of the mentor pages (the mentor slot form is shared with companies)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import spec
from web.languages import LanguageField
from web.limits import max_length, number_range


class MentorSlotForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), max_length(spec.TITLE)]
    )
    description = TextAreaField(_l("Description"), validators=[max_length(spec.DESCRIPTION)])
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
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.SLOT_DISTANCE_KM)],
    )
    capacity = IntegerField(
        _l("How many young people at a time"),
        default=1,
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.SLOT_CAPACITY)],
    )
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_until = DateField(_l("Available until"), validators=[Optional()])


class MentorAnswerForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when you decline)"), validators=[Length(max=2000)])
