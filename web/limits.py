"""WTForms validators and fields from the field limits in :mod:`models.spec` (one source per
limit), and the fields that several forms ask the same way (an ad's, an organisation's)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models import spec
from models.enums import OrganisationKind
from models.spec import Bounds, TextLimit
from web.languages import LanguageField


def max_length(limit: TextLimit) -> Length:
    return Length(max=limit.max_length)


def number_range(bounds: Bounds) -> NumberRange:
    return NumberRange(bounds.minimum, bounds.maximum)


def whole_number(label: Any, bounds: Bounds, *, default: int, **kwargs: Any) -> IntegerField:
    """A required whole number within ``bounds``."""
    validators = [InputRequired(_l("Enter a number.")), number_range(bounds)]
    return IntegerField(label, default=default, validators=validators, **kwargs)


def ad_title() -> StringField:
    return StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), max_length(spec.TITLE)]
    )


def ad_description() -> TextAreaField:
    return TextAreaField(_l("Description"), validators=[max_length(spec.DESCRIPTION)])


def ad_postcode(label: Any) -> StringField:
    return StringField(
        label, validators=[DataRequired(_l("Enter a postcode.")), Length(min=4, max=4)]
    )


def ad_languages() -> LanguageField:
    return LanguageField(
        _l("Languages"),
        default=["da"],
        description=_l("Pick one or more; type a name to jump to it."),
    )


def comma_list(label: Any) -> StringField:
    """Words separated by commas (skills, interests)."""
    return StringField(
        label, validators=[Length(max=1000)], description=_l("Separate with commas.")
    )


def organisation_kind() -> SelectField:
    return SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(OrganisationKind.COMPANY.value, _l("Company")),
            SelectChoice(OrganisationKind.CIVIL_SOCIETY.value, _l("Civil-society organisation")),
        ],
    )


def cvr_number() -> StringField:
    """Checked by models.validation.check_cvr; a company must have one."""
    return StringField(
        _l("CVR number"),
        validators=[Optional(), Length(max=12)],
        description=_l("8 digits; required for companies."),
    )


def written_reason(label: Any, missing: Any) -> TextAreaField:
    """A required short text (a reason, a justification, a note): at most 2,000 characters,
    what the operations keep of it; ``missing`` is said when it is left empty."""
    return TextAreaField(label, validators=[DataRequired(missing), Length(max=2000)])
