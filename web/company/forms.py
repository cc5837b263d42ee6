"""Forms of the company pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from models import spec
from models.enums import OpeningKind
from web.limits import (
    ad_description,
    ad_languages,
    ad_postcode,
    ad_title,
    comma_list,
    whole_number,
)

KIND_LABELS = {
    OpeningKind.JOB: _l("Job"),
    OpeningKind.APPRENTICESHIP: _l("Apprenticeship"),
    OpeningKind.INTERNSHIP: _l("Internship"),
    OpeningKind.WAGE_SUBSIDY: _l("Wage subsidy job"),
    OpeningKind.SMALL_JOB: _l("Small job (few hours)"),
    OpeningKind.EDUCATION: _l("Education place (FGU, EUD-forløb, production school)"),
}


class OpeningForm(FlaskForm):
    title = ad_title()
    occupation = StringField(
        _l("Occupation"),
        validators=[DataRequired(_l("Choose an occupation.")), Length(max=250)],
        description=_l("Start typing and choose from the list, e.g. lagerarbejder."),
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )
    required_skills = comma_list(_l("Required skills"))
    nice_skills = comma_list(_l("Nice-to-have skills"))
    description = ad_description()
    postcode = ad_postcode(_l("Postcode of the workplace"))
    hours_min = whole_number(_l("Hours per week, at least"), spec.HOURS, default=20)
    hours_max = whole_number(_l("Hours per week, at most"), spec.HOURS, default=37)
    seats = whole_number(_l("Seats"), spec.SEATS, default=1)
    min_age = whole_number(
        _l("Minimum age"),
        spec.OPENING_MIN_AGE,
        default=15,
        description=_l("Only a minimum set by law or by the job's nature, e.g. 18 for driving."),
    )
    driving_licence_required = BooleanField(_l("Driving licence required"))
    languages = ad_languages()
    mentor_at_workplace = BooleanField(_l("A mentor at the workplace"))
    start_date = DateField(_l("Start date"), validators=[Optional()])
    expires = DateField(_l("Expires"), validators=[Optional()])


class AnswerForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the caseworker (optional)"), validators=[Length(max=2000)]
    )
