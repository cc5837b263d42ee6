"""Forms of the company pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import spec
from models.enums import OpeningKind
from web.languages import LanguageField
from web.limits import max_length, number_range

KIND_LABELS = {
    OpeningKind.JOB: _l("Job"),
    OpeningKind.APPRENTICESHIP: _l("Apprenticeship"),
    OpeningKind.INTERNSHIP: _l("Internship"),
    OpeningKind.WAGE_SUBSIDY: _l("Wage subsidy job"),
    OpeningKind.SMALL_JOB: _l("Small job (few hours)"),
    OpeningKind.EDUCATION: _l("Education place (FGU, EUD-forløb, production school)"),
}


class OpeningForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), max_length(spec.TITLE)]
    )
    occupation = StringField(
        _l("Occupation"),
        validators=[DataRequired(_l("Choose an occupation.")), Length(max=250)],
        description=_l("Start typing and choose from the list, e.g. lagerarbejder."),
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )
    required_skills = StringField(
        _l("Required skills"),
        validators=[Length(max=1000)],
        description=_l("Separate with commas."),
    )
    nice_skills = StringField(
        _l("Nice-to-have skills"),
        validators=[Length(max=1000)],
        description=_l("Separate with commas."),
    )
    description = TextAreaField(_l("Description"), validators=[max_length(spec.DESCRIPTION)])
    postcode = StringField(
        _l("Postcode of the workplace"),
        validators=[DataRequired(_l("Enter a postcode.")), Length(min=4, max=4)],
    )
    hours_min = IntegerField(
        _l("Hours per week, at least"),
        default=20,
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.HOURS)],
    )
    hours_max = IntegerField(
        _l("Hours per week, at most"),
        default=37,
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.HOURS)],
    )
    seats = IntegerField(
        _l("Seats"),
        default=1,
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.SEATS)],
    )
    min_age = IntegerField(
        _l("Minimum age"),
        default=15,
        validators=[InputRequired(_l("Enter a number.")), number_range(spec.OPENING_MIN_AGE)],
        description=_l("Only a minimum set by law or by the job's nature, e.g. 18 for driving."),
    )
    driving_licence_required = BooleanField(_l("Driving licence required"))
    languages = LanguageField(
        _l("Languages"),
        default=["da"],
        description=_l("Pick one or more; type a name to jump to it."),
    )
    mentor_at_workplace = BooleanField(_l("A mentor at the workplace"))
    start_date = DateField(_l("Start date"), validators=[Optional()])
    expires = DateField(_l("Expires"), validators=[Optional()])


class AnswerForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the caseworker (optional)"), validators=[Length(max=2000)]
    )
