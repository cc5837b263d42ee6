"""A caseworker's caseload: the profile list with its IPS figures, computed in bulk.

Rapid search (IPS): a profile active for ``rapid_search_days`` without an approved proposal
is flagged. The clock starts at the later of ``active_since`` and the last approval, so a
young person who got a proposal approved a week ago is not flagged, and one whose last
approval was two months ago is. The figures come from one query with a grouped subquery,
never one query per row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models.base import UTCDateTime
from models.enums import ProfileStatus, SuggestionStatus
from models.suggestion import Suggestion
from models.youth import YouthProfile

SORTS = ("rapid_search", "follow_up", "activity", "pseudonym")


def approved_condition() -> sa.ColumnElement[bool]:
    """A caseworker approved this suggestion (whatever happened after the approval)."""
    return sa.and_(
        Suggestion.decided_at.is_not(None), Suggestion.status != SuggestionStatus.REJECTED
    )


def last_approval_subquery(youth_ids: Select[int] | None = None) -> sa.Subquery:
    query = select(
        Suggestion.youth_id.label("youth_id"),
        func.max(Suggestion.decided_at).label("last_approved_at"),
    )
    if youth_ids is not None:
        query = query.where(Suggestion.youth_id.in_(youth_ids))
    return query.where(approved_condition()).group_by(Suggestion.youth_id).subquery("last_approval")


def searching_since(last_approved_at: sa.ColumnElement[datetime]) -> sa.ColumnElement[datetime]:
    """The later of ``active_since`` and the last approval, as an SQL expression."""
    expression = sa.case(
        (
            sa.and_(last_approved_at.is_not(None), last_approved_at > YouthProfile.active_since),
            last_approved_at,
        ),
        else_=YouthProfile.active_since,
    )
    return sa.type_coerce(expression, UTCDateTime())


def days_between(since: datetime, today: date) -> int:
    return max(0, (today - since.date()).days)


@dataclass
class CaseloadFilters:
    q: str = ""
    status: ProfileStatus | None = None
    needs_mentor: bool = False
    has_new_suggestions: bool = False
    needs_reconfirmation: bool = False
    rapid_search: bool = False
    sort: str = "rapid_search"


@dataclass
class CaseloadRow:
    profile: YouthProfile
    last_approved_at: datetime | None
    new_suggestions: int
    days_without_approval: int | None  # None unless the profile is active
    rapid_search: bool
    needs_reconfirmation: bool


@dataclass
class CaseloadPage:
    rows: list[CaseloadRow]
    total: int


def _like_json(column: sa.ColumnElement[object], term: str) -> sa.ColumnElement[bool]:
    # JSON lists are stored as json.dumps text (non-ASCII letters escaped as \uXXXX), so the
    # term is escaped the same way; "!" is the LIKE escape character (PostgreSQL would
    # otherwise treat the backslashes of \uXXXX as escapes).
    encoded = json.dumps(term)[1:-1]
    pattern = encoded.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return func.lower(sa.cast(column, sa.Text)).like(f"%{pattern}%", escape="!")


def _search(term: str) -> sa.ColumnElement[bool]:
    term = term.strip().lower()
    plain = term.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return sa.or_(
        func.lower(YouthProfile.pseudonym).like(f"%{plain}%", escape="!"),
        _like_json(YouthProfile.skills, term),
        _like_json(YouthProfile.interests, term),
        _like_json(YouthProfile.wished_occupations, term),
    )


def caseload(
    session: Session,
    scoped: Select[YouthProfile],
    filters: CaseloadFilters,
    now: datetime,
    *,
    rapid_search_days: int = 30,
    reconfirm_days: int = 90,
    offset: int = 0,
    limit: int = 25,
) -> CaseloadPage:
    """One page of the caseload (``scoped`` is :func:`models.scoping.profiles_for`)."""
    own_youth = scoped.with_only_columns(YouthProfile.id)
    approvals = last_approval_subquery(own_youth)
    since = searching_since(approvals.c.last_approved_at)
    # days >= N  <=>  since.date() <= today - N  <=>  since < midnight after that day
    rapid_cutoff = datetime.combine(
        now.date() - timedelta(days=rapid_search_days - 1), time.min, tzinfo=UTC
    )
    reconfirm_cutoff = now - timedelta(days=reconfirm_days)
    is_rapid = sa.and_(YouthProfile.status == ProfileStatus.ACTIVE, since < rapid_cutoff)
    needs_reconfirm = sa.or_(
        YouthProfile.reconfirm_requested_at.is_not(None),
        sa.and_(
            YouthProfile.status != ProfileStatus.CLOSED,
            YouthProfile.last_activity_at <= reconfirm_cutoff,
        ),
    )
    # Per row, not grouped over the whole caseload: PostgreSQL evaluates it for the page's
    # rows only, after the sort (a grouped subquery counted 50,000 suggestions for 25 rows).
    new_count = (
        select(func.count())
        .where(
            Suggestion.youth_id == YouthProfile.id,
            Suggestion.status == SuggestionStatus.PROPOSED,
        )
        .correlate(YouthProfile)
        .scalar_subquery()
    )
    has_new = sa.exists().where(
        Suggestion.youth_id == YouthProfile.id, Suggestion.status == SuggestionStatus.PROPOSED
    )

    query = scoped.outerjoin(approvals, approvals.c.youth_id == YouthProfile.id).add_columns(
        approvals.c.last_approved_at, new_count.label("new_count")
    )
    if filters.q.strip():
        query = query.where(_search(filters.q))
    if filters.status is not None:
        query = query.where(YouthProfile.status == filters.status)
    if filters.needs_mentor:
        query = query.where(YouthProfile.needs_mentor.is_(True))
    if filters.has_new_suggestions:
        query = query.where(has_new)
    if filters.needs_reconfirmation:
        query = query.where(needs_reconfirm)
    if filters.rapid_search:
        query = query.where(is_rapid)

    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0

    if filters.sort == "follow_up":
        order = [YouthProfile.follow_up_on.is_(None), YouthProfile.follow_up_on.asc()]
    elif filters.sort == "activity":
        order = [YouthProfile.last_activity_at.desc()]
    elif filters.sort == "pseudonym":
        order = [YouthProfile.pseudonym.asc()]
    else:  # longest search without an approved proposal first; active profiles first
        order = [(YouthProfile.status != ProfileStatus.ACTIVE), since.asc()]
    query = query.order_by(*order, YouthProfile.id).offset(offset).limit(limit)

    today = now.date()
    rows = []
    for profile, last_approved_at, count in session.execute(query).all():
        days = None
        if profile.status is ProfileStatus.ACTIVE:
            start = profile.active_since
            if last_approved_at is not None and last_approved_at > start:
                start = last_approved_at
            days = days_between(start, today)
        rows.append(
            CaseloadRow(
                profile=profile,
                last_approved_at=last_approved_at,
                new_suggestions=int(count or 0),
                days_without_approval=days,
                rapid_search=days is not None and days >= rapid_search_days,
                needs_reconfirmation=profile.reconfirm_requested_at is not None
                or (
                    profile.status is not ProfileStatus.CLOSED
                    and profile.last_activity_at <= reconfirm_cutoff
                ),
            )
        )
    return CaseloadPage(rows=rows, total=total)


def last_approval_at(session: Session, youth_ids: list[int]) -> dict[int, datetime]:
    """The last approval per young person, for pages that list suggestions (one query)."""
    if not youth_ids:
        return {}
    approvals = last_approval_subquery()
    return dict(
        session.execute(
            select(approvals.c.youth_id, approvals.c.last_approved_at).where(
                approvals.c.youth_id.in_(youth_ids)
            )
        ).all()
    )
