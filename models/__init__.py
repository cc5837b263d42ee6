"""Data model, database session set-up, migrations and domain operations.

Importing this package registers every entity on ``Base.metadata``; it opens no
connection and creates no engine (see :mod:`models.session`).
"""

from models.ad_review import AdReview
from models.audit import AuditEvent
from models.base import Base, utcnow
from models.engine_config import EngineConfigRow, FairnessFlag
from models.enums import (
    OpeningKind,
    OpeningStatus,
    OrganisationKind,
    Outcome,
    ProfileStatus,
    Role,
    SlotStatus,
    SuggestionStatus,
    TargetKind,
)
from models.figure_event import FigureCursor, FigureDay, FigureEvent, FigureKind
from models.geo import Municipality, Postcode
from models.jobrun import JobRun
from models.mentor_slot import MentorSlot
from models.notification import Notification
from models.occupation import IscoGroup, Occupation
from models.opening import JobOpening
from models.organisation import Organisation, Partnership
from models.partnership_info import ContactPerson, InspirationNote, PartnershipInvitation
from models.suggestion import Suggestion
from models.support import IdentityProvider, PartnershipSupport
from models.token import ApiToken
from models.user import User
from models.youth import YouthProfile

__all__ = [
    "AdReview",
    "ApiToken",
    "AuditEvent",
    "ContactPerson",
    "FigureCursor",
    "FigureDay",
    "FigureEvent",
    "FigureKind",
    "InspirationNote",
    "Base",
    "EngineConfigRow",
    "FairnessFlag",
    "IdentityProvider",
    "IscoGroup",
    "JobOpening",
    "JobRun",
    "MentorSlot",
    "Municipality",
    "Notification",
    "Occupation",
    "OpeningKind",
    "OpeningStatus",
    "Organisation",
    "OrganisationKind",
    "Outcome",
    "Partnership",
    "PartnershipInvitation",
    "PartnershipSupport",
    "Postcode",
    "ProfileStatus",
    "Role",
    "SlotStatus",
    "Suggestion",
    "SuggestionStatus",
    "TargetKind",
    "User",
    "YouthProfile",
    "utcnow",
]
