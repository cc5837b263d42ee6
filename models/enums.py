"""Closed vocabularies of the domain; stored as their string values."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    CASEWORKER = "caseworker"
    COMPANY = "company"
    MENTOR = "mentor"
    # National: every partnership's figures and contact persons, never a profile or a card.
    SECRETARIAT = "secretariat"


class OrganisationKind(enum.StrEnum):
    COMPANY = "company"
    CIVIL_SOCIETY = "civil_society"


class ProfileStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    PLACED = "placed"
    CLOSED = "closed"


class OpeningKind(enum.StrEnum):
    JOB = "job"
    APPRENTICESHIP = "apprenticeship"
    INTERNSHIP = "internship"
    WAGE_SUBSIDY = "wage_subsidy"
    SMALL_JOB = "small_job"
    # An education place (FGU, EUD-forløb, production school) posted by a partnership member.
    EDUCATION = "education"


class OpeningStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAUSED = "paused"
    FILLED = "filled"
    CLOSED = "closed"


class SlotStatus(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class TargetKind(enum.StrEnum):
    OPENING = "opening"
    MENTOR_SLOT = "mentor_slot"


class SuggestionStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    INTERESTED = "interested"  # company answered
    DECLINED = "declined"  # company ("not now") or mentor declined
    ACCEPTED = "accepted"  # mentor accepted
    WITHDRAWN = "withdrawn"  # the young person got a mentor, a placement, or stopped looking
    PLACED = "placed"
    ENDED = "ended"
    EXPIRED = "expired"  # target closed, filled or full before a decision


class Outcome(enum.StrEnum):
    JOB = "job"
    EDUCATION = "education"  # started education: counted apart from jobs
    APPRENTICESHIP = "apprenticeship"
    INTERNSHIP = "internship"
    NONE = "none"


# Outcomes that end the young person's search: the loop closes (models.operations.placement).
PLACEMENT_OUTCOMES = (Outcome.JOB, Outcome.EDUCATION, Outcome.APPRENTICESHIP)


# Suggestions in these states are still waiting for someone (caseworker, company, mentor).
PENDING_STATUSES = (SuggestionStatus.PROPOSED, SuggestionStatus.APPROVED)
# What a partner (company, mentor) may see: approved by a caseworker, and what came after.
PARTNER_VISIBLE = (
    SuggestionStatus.APPROVED,
    SuggestionStatus.INTERESTED,
    SuggestionStatus.DECLINED,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.PLACED,
    SuggestionStatus.ENDED,
)
# States in which a caseworker's or a partner's decision exists and must never be overwritten.
DECIDED_STATUSES = tuple(s for s in SuggestionStatus if s is not SuggestionStatus.PROPOSED)
