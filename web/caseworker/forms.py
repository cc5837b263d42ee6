"""Forms of the caseworker pages. The domain rules themselves live in models.operations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput

from models import spec
from models.enums import Outcome, ProfileStatus
from models.operations.profiles import FOLLOW_UP_RESULTS, ProfileInput
from models.operations.suggestions import REJECT_REASONS
from models.youth import EDUCATION_LEVELS, PREFERRED_KINDS
from web.caseworker.labels import EDUCATION, OUTCOME, PREFERRED_KIND, PROFILE_STATUS, REJECT_REASON
from web.languages import LanguageField
from web.limits import max_length
from web.occupations import autocomplete, occupation_index
from web.partner_forms import join_list, split_list

T = TypeVar("T")


def _typed(valuelist: list[Any], parse: Callable[[str], T], refusal: Callable[[], str]) -> T | None:
    """A value typed as text: None when left empty; a text that does not parse is refused
    with ``refusal()``, a message in the user's language (WTForms has no Danish)."""
    text = str((valuelist[0] if valuelist else "") or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(refusal()) from exc


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None  # also when the text is refused
        self.data = _typed(valuelist, int, lambda: _("Enter a whole number."))


class LocalDateField(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None  # also when the text is refused
        self.data = _typed(valuelist, date.fromisoformat, lambda: _("Enter a date as yyyy-mm-dd."))


LIST_HINT = _l("Separate with commas.")


class ProfileForm(FlaskForm):
    birth_year = WholeNumberField(
        _l("Birth year"), validators=[InputRequired(_l("Enter the birth year."))]
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[InputRequired(_l("Enter the postcode.")), Length(max=4)],
    )
    max_commute_km = WholeNumberField(
        _l("Max commute (km)"), default=20, validators=[InputRequired(_l("Enter a distance."))]
    )
    education_level = SelectField(
        _l("Education level"),
        choices=[SelectChoice(level, EDUCATION[level]) for level in EDUCATION_LEVELS],
    )
    skills = StringField(_l("Skills"))
    interests = StringField(_l("Interests"))
    wished_occupations = StringField(_l("Wished occupations"))
    former_jobs = StringField(_l("Former jobs"))
    preferred_kinds = SelectMultipleField(
        _l("Preferred kinds"),
        choices=[SelectChoice(kind, PREFERRED_KIND[kind]) for kind in PREFERRED_KINDS],
        option_widget=CheckboxInput(),
        validate_choice=False,  # the operation says which kinds exist, in the user's language
    )
    hours_min = WholeNumberField(
        _l("Hours per week, minimum"),
        default=10,
        validators=[InputRequired(_l("Enter the hours."))],
    )
    hours_max = WholeNumberField(
        _l("Hours per week, maximum"),
        default=37,
        validators=[InputRequired(_l("Enter the hours."))],
    )
    languages = LanguageField(_l("Languages"), default=["da"])
    driving_licence = BooleanField(_l("Has a driving licence"))
    needs_mentor = BooleanField(_l("Would like a mentor"))
    available_from = LocalDateField(_l("Available from"), validators=[Optional()])
    support_notes = TextAreaField(
        _l("Support notes (only your municipality's caseworkers see these)"),
        validators=[max_length(spec.SUPPORT_NOTES)],
    )

    def with_autocomplete(self) -> ProfileForm:
        """Wished occupations and former jobs get the ESCO occupation autocomplete."""
        for name in ("wished_occupations", "former_jobs"):
            getattr(self, name).render_kw = autocomplete(f"{name}-options", multiple=True)
        return self

    def to_input(self, profile: Any = None) -> ProfileInput:
        """The form's input; occupations the profile holds by URI stay URIs."""
        index = occupation_index()

        def occupations(name: str) -> list[str]:
            stored = list(getattr(profile, name)) if profile is not None else []
            return index.kept(split_list(getattr(self, name).data), stored)

        return ProfileInput(
            birth_year=self.birth_year.data,
            postcode=(self.postcode.data or "").strip(),
            max_commute_km=self.max_commute_km.data,
            education_level=self.education_level.data,
            skills=split_list(self.skills.data),
            interests=split_list(self.interests.data),
            wished_occupations=occupations("wished_occupations"),
            former_jobs=occupations("former_jobs"),
            preferred_kinds=list(self.preferred_kinds.data or []),
            hours_min=self.hours_min.data,
            hours_max=self.hours_max.data,
            languages=list(self.languages.data or []),
            driving_licence=bool(self.driving_licence.data),
            needs_mentor=bool(self.needs_mentor.data),
            available_from=self.available_from.data,
            support_notes=self.support_notes.data or "",
        )

    def fill_from(self, profile: Any) -> None:
        for name in ("birth_year", "postcode", "max_commute_km", "education_level"):
            getattr(self, name).data = getattr(profile, name)
        for name in ("skills", "interests"):
            getattr(self, name).data = join_list(getattr(profile, name))
        for name in ("wished_occupations", "former_jobs"):
            getattr(self, name).data = join_list(occupation_index().shown(getattr(profile, name)))
        self.preferred_kinds.data = list(profile.preferred_kinds)
        self.languages.data = list(profile.languages)
        for name in ("hours_min", "hours_max", "driving_licence", "needs_mentor"):
            getattr(self, name).data = getattr(profile, name)
        self.available_from.data = profile.available_from
        self.support_notes.data = profile.support_notes


class NewProfileForm(ProfileForm):
    consent = BooleanField(
        _l("The young person has consented to being registered and matched"),
        validators=[DataRequired(_l("Confirm that the young person has consented."))],
    )


class StatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(s.value, PROFILE_STATUS[s]) for s in ProfileStatus],
        validators=[InputRequired()],
    )
    follow_up_on = LocalDateField(_l("Follow-up date"), validators=[Optional()])


FOLLOW_UP_RESULT = {
    "still_in_job": _l("Still in the job"),
    "in_education": _l("In education"),
    "searching_again": _l("Looking again: make the profile active"),
}


class FollowUpForm(FlaskForm):
    result = SelectField(
        _l("What did the follow-up find?"),
        choices=[SelectChoice(code, FOLLOW_UP_RESULT[code]) for code in FOLLOW_UP_RESULTS],
        validators=[InputRequired(_l("Choose what the follow-up found."))],
    )
    next_follow_up_on = LocalDateField(_l("Next follow-up"), validators=[Optional()])


class ApproveForm(FlaskForm):
    pitch = TextAreaField(
        _l("Pitch to the company or mentor"),
        validators=[Length(max=1000, message=_l("Keep the pitch under 1,000 characters."))],
    )


class RejectForm(FlaskForm):
    reason_code = SelectField(
        _l("Reason"),
        choices=[SelectChoice(code, REJECT_REASON[code]) for code in REJECT_REASONS],
        validators=[InputRequired(_l("Choose a reason from the list."))],
    )
    reason = StringField(
        _l("Comment (optional)"),
        validators=[Length(max=500, message=_l("Keep the comment under 500 characters."))],
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        _l("Outcome"), choices=[SelectChoice(o.value, OUTCOME[o]) for o in Outcome]
    )
    follow_up_on = LocalDateField(_l("Follow-up date"), validators=[Optional()])


# Placeholder for the suggestion id in decision forms rendered once per page (see
# caseworker/_suggestion.html); each card puts its own id in its place. It must not end in a
# separator ("-", "_", ...): WTForms then adds "-" itself, as for the real "s<id>" prefix.
BLANK_ID = "_SUGGESTION_ID"


def blank_decision_forms(outcome: bool = False) -> dict[str, FlaskForm]:
    """Empty approve and reject forms (and outcome, if asked) with the placeholder prefix."""
    prefix = f"s{BLANK_ID}"
    forms: dict[str, FlaskForm] = {
        "approve": ApproveForm(prefix=prefix, formdata=None),
        "reject": RejectForm(prefix=prefix, formdata=None),
    }
    if outcome:
        forms["outcome"] = OutcomeForm(prefix=prefix, formdata=None)
    return forms
