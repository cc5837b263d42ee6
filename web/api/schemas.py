"""Request and response schemas of the API (marshmallow; the OpenAPI document uses them)."""

from __future__ import annotations

import copy
import dataclasses
from functools import partial
from typing import Any

from marshmallow import RAISE, Schema, fields

from models import spec
from models.enums import (
    OpeningKind,
    OpeningStatus,
    ProfileStatus,
    Role,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.languages import language_names
from models.operations.mentor_slots import MentorSlotInput
from models.operations.openings import OpeningInput
from models.operations.profiles import ProfileInput
from models.operations.suggestions import REJECT_REASONS
from models.youth import EDUCATION_LEVELS, PREFERRED_KINDS
from web.api.fields import (
    IDENTIFIER_RULE,
    REQUIRED_WHEN,
    Boolean,
    Choice,
    Date,
    Integer,
    QueryInteger,
    Text,
    TextList,
    not_less_than,
)

MAX_PER_PAGE = 100
MAX_PAGE = 100_000


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


# --- common ------------------------------------------------------------------------------


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.String())


class PageQuery(Schema):
    page = QueryInteger(minimum=1, maximum=MAX_PAGE, load_default=1)
    per_page = QueryInteger(minimum=1, maximum=MAX_PER_PAGE, load_default=25)


class LinksSchema(Schema):
    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(allow_none=True, required=True)
    next = fields.String(allow_none=True, required=True)


class PageSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True)


class MeSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": [str(r) for r in Role]})
    locale = fields.String(required=True)
    municipality_code = fields.Integer(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)


# --- the input fields the openings, mentor slots and profiles share ----------------------
# Each is declared once; the limits are models/spec.py's, the rules the operations'
# (models/operations/). A PATCH schema is its create schema with nothing required
# (:func:`optional`).

LANGUAGES_RULE = (
    'ISO 639-1 codes; the Danish or English name ("dansk", "Danish") in any case is '
    "accepted too and stored as the code, and blank items are ignored."
)
ESCO_OCCUPATION_URI = "esco-occupation-uri"  # a string format of this document's own


def _title() -> Text:
    return Text.within(spec.TITLE, single_line=True, required=True)


def _postcode() -> Text:
    # The document states it as the Postcode component: the known postcodes (web/api/spec.py).
    return Text(max_length=4, required=True, metadata={"pattern": "^[0-9]{4}$"})


def _languages(**metadata: Any) -> TextList:
    return TextList(
        max_items=20,
        max_length=40,
        item={"enum": sorted(language_names("en"))},
        metadata={"description": LANGUAGES_RULE, **metadata},
    )


def _texts(anonymous: bool = False) -> TextList:
    return TextList(max_items=50, max_length=200, anonymous=anonymous)


def _answer(**metadata: Any) -> Text:
    """What a caseworker, company or mentor writes about a young person or to a partner."""
    return Text(max_length=2000, anonymous=True, load_default="", metadata=metadata)


class _Ad(StrictSchema):
    """What an opening and a mentor slot both have."""

    title = _title()
    postcode = _postcode()
    description = Text.within(spec.DESCRIPTION)
    languages = _languages()


def _hours() -> tuple[Integer, Integer]:
    """Hours per week, at least and at most."""
    return Integer.within(spec.HOURS), Integer.within(
        spec.HOURS, metadata=not_less_than("hours_min")
    )


def optional(schema: type[StrictSchema], name: str) -> type[StrictSchema]:
    """``schema`` for a PATCH: no field required, no default (a field not sent keeps its
    stored value)."""
    declared: dict[str, Any] = {}
    for key, field in schema._declared_fields.items():
        field = copy.copy(field)
        field.required = False
        field.metadata = {k: v for k, v in field.metadata.items() if k != "doc_default"}
        declared[key] = field
    return type(name, (schema,), declared)


def documented_defaults(schema: type[StrictSchema], values: type) -> type[StrictSchema]:
    """States in the document the default of each field not sent on create: the operation's
    input dataclass (``values``) gives it."""
    for item in dataclasses.fields(values):
        field = schema._declared_fields.get(item.name)
        if field is None or field.required:
            continue
        if item.default is not dataclasses.MISSING:
            default = item.default
        elif item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        else:
            continue
        # A copy: a shared field (_Ad's) may have another default in another schema.
        field = schema._declared_fields[item.name] = copy.copy(field)
        field.metadata = {**field.metadata, "doc_default": default}
    return schema


# --- openings ----------------------------------------------------------------------------


@partial(documented_defaults, values=OpeningInput)
class OpeningInSchema(_Ad):
    occupation_uri = Text(
        max_length=300,
        allow_none=True,
        metadata={
            "format": ESCO_OCCUPATION_URI,
            "description": "The URI of an ESCO occupation the service knows (its reference "
            "list, models/reference_data/occupations.csv); empty or null means none.",
        },
    )
    kind = Choice(list(OpeningKind))
    required_skills = _texts()
    nice_skills = _texts()
    hours_min, hours_max = _hours()
    seats = Integer.within(spec.SEATS)
    min_age = Integer.within(spec.OPENING_MIN_AGE)
    driving_licence_required = Boolean()
    mentor_at_workplace = Boolean()
    start_date = Date(allow_none=True)
    expires = Date(allow_none=True, metadata=not_less_than("start_date"))


class OpeningCreateSchema(OpeningInSchema):
    publish = Boolean(load_default=True, metadata={"description": "false keeps it a draft"})


OpeningPatchSchema = optional(OpeningInSchema, "OpeningPatchSchema")


class OpeningSchema(Schema):
    id = fields.Integer(required=True)
    organisation_id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    occupation_uri = fields.String(allow_none=True)
    kind = fields.String(required=True)
    required_skills = fields.List(fields.String(), required=True)
    nice_skills = fields.List(fields.String(), required=True)
    postcode = fields.String(required=True)
    hours_min = fields.Integer(required=True)
    hours_max = fields.Integer(required=True)
    seats = fields.Integer(required=True)
    min_age = fields.Integer(required=True)
    driving_licence_required = fields.Boolean(required=True)
    languages = fields.List(fields.String(), required=True)
    mentor_at_workplace = fields.Boolean(required=True)
    start_date = fields.Date(allow_none=True)
    expires = fields.Date(allow_none=True)
    status = fields.String(required=True, metadata={"enum": [str(s) for s in OpeningStatus]})
    held_for_review = fields.Boolean(
        required=True,
        metadata={
            "description": "The wording may discriminate: the opening stays unpublished until "
            "a partnership admin has reviewed it."
        },
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class OpeningPageSchema(PageSchema):
    items = fields.List(fields.Nested(OpeningSchema), required=True)


class OpeningQuery(PageQuery):
    status = Choice(list(OpeningStatus))
    kind = Choice(list(OpeningKind))


class OpeningCloseSchema(StrictSchema):
    status = Choice(["closed", "filled"], load_default="closed")


# --- mentor slots ------------------------------------------------------------------------


@partial(documented_defaults, values=MentorSlotInput)
class MentorSlotInSchema(_Ad):
    interests = _texts()
    max_distance_km = Integer.within(spec.SLOT_DISTANCE_KM)
    capacity = Integer.within(spec.SLOT_CAPACITY)
    available_from = Date(allow_none=True)
    available_until = Date(allow_none=True, metadata=not_less_than("available_from"))


MentorSlotPatchSchema = optional(MentorSlotInSchema, "MentorSlotPatchSchema")


class MentorSlotSchema(Schema):
    id = fields.Integer(required=True)
    organisation_id = fields.Integer(required=True)
    mentor_id = fields.Integer(allow_none=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    interests = fields.List(fields.String(), required=True)
    languages = fields.List(fields.String(), required=True)
    postcode = fields.String(required=True)
    max_distance_km = fields.Integer(required=True)
    capacity = fields.Integer(required=True)
    available_from = fields.Date(allow_none=True)
    available_until = fields.Date(allow_none=True)
    status = fields.String(required=True, metadata={"enum": [str(s) for s in SlotStatus]})
    held_for_review = fields.Boolean(
        required=True,
        metadata={
            "description": "The wording may discriminate: the slot stays paused until a "
            "partnership admin has reviewed it."
        },
    )
    created_at = fields.DateTime(required=True)


class MentorSlotPageSchema(PageSchema):
    items = fields.List(fields.Nested(MentorSlotSchema), required=True)


class MentorSlotQuery(PageQuery):
    status = Choice(list(SlotStatus))


# --- profiles (caseworkers) --------------------------------------------------------------


OCCUPATION_TEXT = {
    "description": "Free text, or the URI of an ESCO occupation the service knows. "
    + IDENTIFIER_RULE
}


@partial(documented_defaults, values=ProfileInput)
class ProfileInSchema(StrictSchema):
    # The operation checks the age on create (models/validation.py check_birth_year); the
    # document states the birth years of this year's ages (web/api/spec.py).
    birth_year = Integer(minimum=1900, maximum=2100, required=True)
    postcode = _postcode()
    max_commute_km = Integer.within(spec.COMMUTE_KM)
    education_level = Choice(EDUCATION_LEVELS)
    skills = _texts(anonymous=True)
    interests = _texts(anonymous=True)
    wished_occupations = TextList(
        max_items=20, max_length=300, anonymous=True, item=OCCUPATION_TEXT
    )
    former_jobs = TextList(max_items=20, max_length=300, anonymous=True, item=OCCUPATION_TEXT)
    # Checked by the profile operation (a clear message per kind); blank items are ignored.
    preferred_kinds = TextList(
        max_items=len(PREFERRED_KINDS), max_length=20, item={"enum": list(PREFERRED_KINDS)}
    )
    hours_min, hours_max = _hours()
    languages = _languages(minItems=1)  # the operation asks for at least one
    driving_licence = Boolean()
    needs_mentor = Boolean()
    available_from = Date(allow_none=True)
    support_notes = Text.within(spec.SUPPORT_NOTES, anonymous=True)


ProfilePatchSchema = optional(ProfileInSchema, "ProfilePatchSchema")


class ProfileSchema(Schema):
    id = fields.Integer(required=True)
    pseudonym = fields.String(required=True)
    municipality_code = fields.Integer(required=True)
    caseworker_id = fields.Integer(allow_none=True)
    birth_year = fields.Integer(required=True)
    postcode = fields.String(required=True)
    max_commute_km = fields.Integer(required=True)
    education_level = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    interests = fields.List(fields.String(), required=True)
    wished_occupations = fields.List(fields.String(), required=True)
    former_jobs = fields.List(fields.String(), required=True)
    preferred_kinds = fields.List(
        fields.String(metadata={"enum": list(PREFERRED_KINDS)}), required=True
    )
    hours_min = fields.Integer(required=True)
    hours_max = fields.Integer(required=True)
    languages = fields.List(fields.String(), required=True)
    driving_licence = fields.Boolean(required=True)
    needs_mentor = fields.Boolean(required=True)
    available_from = fields.Date(allow_none=True)
    status = fields.String(required=True, metadata={"enum": [str(s) for s in ProfileStatus]})
    support_notes = fields.String(required=True)
    follow_up_on = fields.Date(allow_none=True)
    consent_recorded_at = fields.DateTime(required=True)
    last_activity_at = fields.DateTime(required=True)


class ProfilePageSchema(PageSchema):
    items = fields.List(fields.Nested(ProfileSchema), required=True)


class ProfileQuery(PageQuery):
    status = Choice(list(ProfileStatus))


# --- suggestions (caseworkers) -----------------------------------------------------------


class ReasonSchema(Schema):
    code = fields.String(required=True)
    text = fields.String(required=True)


class SuggestionSchema(Schema):
    id = fields.Integer(required=True)
    youth_id = fields.Integer(required=True)
    pseudonym = fields.String(required=True)
    target_kind = fields.String(required=True, metadata={"enum": [str(t) for t in TargetKind]})
    opening_id = fields.Integer(allow_none=True)
    mentor_slot_id = fields.Integer(allow_none=True)
    target_title = fields.String(required=True)
    score = fields.Float(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    distance_km = fields.Float(allow_none=True)
    status = fields.String(required=True, metadata={"enum": [str(s) for s in SuggestionStatus]})
    created_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(allow_none=True)
    reason_code = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    pitch = fields.String(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)
    response_message = fields.String(allow_none=True)


class SuggestionPageSchema(PageSchema):
    items = fields.List(fields.Nested(SuggestionSchema), required=True)


class SuggestionQuery(PageQuery):
    status = Choice(list(SuggestionStatus))
    target_kind = Choice(list(TargetKind))
    youth_id = QueryInteger(minimum=1, maximum=2**31 - 1)


class ApproveSchema(StrictSchema):
    pitch = _answer()


class RejectSchema(StrictSchema):
    reason_code = Choice(REJECT_REASONS, required=True)
    reason = _answer()


# --- proposals (companies) and offers (mentors): the anonymous card ----------------------


class AvailabilitySchema(Schema):
    available_from = fields.Date(allow_none=True)
    hours_min = fields.Integer(required=True)
    hours_max = fields.Integer(required=True)


class CardSchema(Schema):
    """What a company or mentor may know: never birth year, postcode, pseudonym or notes."""

    age_band = fields.String(required=True)
    municipality = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    interests = fields.List(fields.String(), required=True)
    availability = fields.Nested(AvailabilitySchema, required=True)
    languages = fields.List(fields.String(), required=True)
    driving_licence = fields.Boolean(required=True)
    pitch = fields.String(required=True)


class ProposalSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": [str(s) for s in SuggestionStatus]})
    opening_id = fields.Integer(allow_none=True)
    mentor_slot_id = fields.Integer(allow_none=True)
    target_title = fields.String(required=True)
    card = fields.Nested(CardSchema, required=True)
    decided_at = fields.DateTime(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)
    response_message = fields.String(allow_none=True)


class ProposalPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProposalSchema), required=True)


class ProposalQuery(PageQuery):
    status = Choice(list(SuggestionStatus))
    opening_id = QueryInteger(minimum=1, maximum=2**31 - 1)


class OfferQuery(PageQuery):
    status = Choice(list(SuggestionStatus))
    mentor_slot_id = QueryInteger(minimum=1, maximum=2**31 - 1)


class CompanyAnswerSchema(StrictSchema):
    interested = Boolean(required=True)
    message = _answer()


class MentorAnswerSchema(StrictSchema):
    accept = Boolean(required=True)
    reason = _answer(**{REQUIRED_WHEN: {"accept": False}})  # declining gives a reason
