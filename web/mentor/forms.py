"""Forms of the mentor pages (the mentor slot form is shared with companies)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import Length, Optional

from models import spec
from web.limits import ad_description, ad_languages, ad_postcode, ad_title, comma_list, whole_number


class MentorSlotForm(FlaskForm):
    title = ad_title()
    description = ad_description()
    interests = comma_list(_l("Interests"))
    languages = ad_languages()
    postcode = ad_postcode(_l("Postcode"))
    max_distance_km = whole_number(_l("Max distance (km)"), spec.SLOT_DISTANCE_KM, default=25)
    capacity = whole_number(_l("How many young people at a time"), spec.SLOT_CAPACITY, default=1)
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_until = DateField(_l("Available until"), validators=[Optional()])


class MentorAnswerForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when you decline)"), validators=[Length(max=2000)])
