"""Recording figure events: the one function operations call at each countable moment.

:func:`record_figure` writes one :class:`~models.figure_event.FigureEvent` (no personal
data; see models/figure_event.py). Operations call it in their own transaction, so a
rolled-back change leaves no count behind. Suggestions, which the matching job inserts in
bulk, are counted by :func:`sweep_suggestions` (the nightly run and retention call it).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import PARTNER_VISIBLE, OpeningKind, ProfileStatus, SuggestionStatus, TargetKind
from models.figure_event import FigureCursor, FigureDay, FigureEvent, FigureKind
from models.figures import ROLLUP_CURSOR
from models.geo import Postcode
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.organisation import organisation_partnership, partnership_municipality
from models.session import is_postgres
from models.suggestion import Suggestion
from models.youth import YouthProfile

# Decided states that followed a caseworker's approval (the proposal reached the partner).
APPROVED_OR_LATER = (*PARTNER_VISIBLE, SuggestionStatus.WITHDRAWN, SuggestionStatus.EXPIRED)


def _pick_partnership(place: set[int], org: set[int]) -> int | None:
    """The rule, in one place: the organisation's partnership that covers the municipality,
    else the municipality's, else the organisation's (lowest id wins)."""
    found = (place & org) or place or org
    return min(found) if found else None


def partnership_of(
    session: Session, municipality_code: int | None, organisation_id: int | None = None
) -> int | None:
    """The partnership an event belongs to (:func:`_pick_partnership`)."""
    pm = partnership_municipality.c
    op = organisation_partnership.c
    place: set[int] = set()
    org: set[int] = set()
    if municipality_code is not None:
        place = set(
            session.scalars(
                select(pm.partnership_id).where(pm.municipality_code == municipality_code)
            )
        )
    if organisation_id:
        org = set(
            session.scalars(select(op.partnership_id).where(op.organisation_id == organisation_id))
        )
    return _pick_partnership(place, org)


class PartnershipResolver:
    """:func:`partnership_of` over memberships read once, for counting many events at once
    (the nightly sweep): the same rule, no query per event."""

    def __init__(self, by_place: dict[int, set[int]], by_org: dict[int, set[int]]) -> None:
        self._by_place = by_place
        self._by_org = by_org
        self._known: dict[tuple[int | None, int | None], int | None] = {}

    @classmethod
    def load(cls, session: Session) -> PartnershipResolver:
        by_place: dict[int, set[int]] = {}
        by_org: dict[int, set[int]] = {}
        pm = partnership_municipality.c
        op = organisation_partnership.c
        for partnership, code in session.execute(select(pm.partnership_id, pm.municipality_code)):
            by_place.setdefault(int(code), set()).add(int(partnership))
        for partnership, org in session.execute(select(op.partnership_id, op.organisation_id)):
            by_org.setdefault(int(org), set()).add(int(partnership))
        return cls(by_place, by_org)

    def __call__(self, municipality_code: int | None, organisation_id: int | None) -> int | None:
        key = (municipality_code, organisation_id)
        if key not in self._known:
            place = (
                self._by_place.get(municipality_code, set())
                if municipality_code is not None
                else set()
            )
            org = self._by_org.get(organisation_id, set()) if organisation_id else set()
            self._known[key] = _pick_partnership(place, org)
        return self._known[key]


def record_figure(
    session: Session,
    kind: FigureKind,
    *,
    municipality_code: int | None = None,
    organisation_id: int | None = None,
    partnership_id: int | None = None,
    opening_kind: OpeningKind | str | None = None,
    detail: str | None = None,
    days: int | None = None,
    amount: int = 1,
    now: datetime | None = None,
    partnerships: PartnershipResolver | None = None,
) -> FigureEvent:
    """Count one moment. Give the municipality (and the organisation for partner events);
    the partnership is looked up unless given (by ``partnerships``, memberships read once,
    when many moments are counted together). Never pass anything about a person."""
    now = now or utcnow()
    if partnership_id is None:
        partnership_id = (
            partnerships(municipality_code, organisation_id)
            if partnerships is not None
            else partnership_of(session, municipality_code, organisation_id)
        )
    event = FigureEvent(
        kind=str(kind),
        day=now.date(),
        at=now,
        partnership_id=partnership_id,
        municipality_code=municipality_code,
        opening_kind=str(opening_kind) if opening_kind is not None else None,
        detail=detail,
        days=days,
        amount=amount,
    )
    session.add(event)
    return event


def municipality_of_postcode(session: Session, postcode: str | None) -> int | None:
    if not postcode:
        return None
    return session.scalar(select(Postcode.municipality_code).where(Postcode.code == postcode))


def record_for_ad(
    session: Session, kind: FigureKind, ad: JobOpening | MentorSlot, **kw: object
) -> FigureEvent:
    """Count a moment of an opening or a mentor slot where its postcode lies (an opening
    with its kind)."""
    return record_figure(
        session,
        kind,
        municipality_code=municipality_of_postcode(session, ad.postcode),
        organisation_id=ad.organisation_id,
        opening_kind=ad.kind if isinstance(ad, JobOpening) else None,
        **kw,  # type: ignore[arg-type]
    )


def record_for_suggestion(
    session: Session, kind: FigureKind, suggestion: Suggestion, **kw: object
) -> FigureEvent:
    """An event about a proposal: counted where the young person's municipality is."""
    target = suggestion.opening or suggestion.mentor_slot
    return record_figure(
        session,
        kind,
        municipality_code=suggestion.youth.municipality_code,
        organisation_id=target.organisation_id if target is not None else None,
        opening_kind=suggestion.opening.kind if suggestion.opening is not None else None,
        **kw,  # type: ignore[arg-type]
    )


def record_first_approval(session: Session, suggestion: Suggestion, now: datetime) -> None:
    """The IPS "rapid search" figure: days from profile creation to the first approval."""
    earlier = session.scalar(
        select(Suggestion.id)
        .where(
            Suggestion.youth_id == suggestion.youth_id,
            Suggestion.id != suggestion.id,
            Suggestion.decided_at.is_not(None),
            Suggestion.status.in_(APPROVED_OR_LATER),
        )
        .limit(1)
    )
    if earlier is None:
        days = max(0, (now - suggestion.youth.created_at).days)
        record_for_suggestion(session, FigureKind.FIRST_APPROVAL, suggestion, days=days, now=now)


FOLLOW_UP_AFTER = (30, 90)


def record_follow_up(
    session: Session,
    municipality_code: int,
    after_days: int,
    still_placed: bool,
    *,
    now: datetime | None = None,
) -> FigureEvent:
    """A 30- or 90-day follow-up after a placement: still in the job or education, or not.
    (For the follow-up operation; the figures chart the details "30:placed" etc.)"""
    if after_days not in FOLLOW_UP_AFTER:
        raise ValueError(f"follow-ups are counted after {FOLLOW_UP_AFTER} days")
    detail = f"{after_days}:{'placed' if still_placed else 'not_placed'}"
    return record_figure(
        session, FigureKind.FOLLOW_UP, municipality_code=municipality_code, detail=detail, now=now
    )


def record_active_youth(session: Session, now: datetime | None = None) -> int:
    """The nightly snapshot of active young people per municipality (once a day)."""
    now = now or utcnow()
    exists = session.scalar(
        select(FigureEvent.id)
        .where(FigureEvent.kind == FigureKind.YOUTH_ACTIVE.value, FigureEvent.day == now.date())
        .limit(1)
    )
    if exists is not None:
        return 0
    rows = session.execute(
        select(YouthProfile.municipality_code, func.count())
        .where(YouthProfile.status == ProfileStatus.ACTIVE)
        .group_by(YouthProfile.municipality_code)
    ).all()
    # The memberships read once for all municipalities (98 at national scale), not per row.
    partnerships = PartnershipResolver.load(session)
    for code, n in rows:
        record_figure(
            session,
            FigureKind.YOUTH_ACTIVE,
            municipality_code=code,
            amount=n,
            now=now,
            partnerships=partnerships,
        )
    session.flush()
    return len(rows)


SUGGESTION_CURSOR = "suggestion"
# Suggestions are counted once they are this old: every transaction that stores them (the
# nightly run included) has committed by then, so a window is never swept while rows that
# belong in it are still invisible, and windows never overlap: each is counted exactly once.
SWEEP_MARGIN = timedelta(hours=1)


def sweep_suggestions(
    session: Session, now: datetime | None = None, *, margin: timedelta = SWEEP_MARGIN
) -> int:
    """Count the suggestions stored in the window since the last sweep (up to ``now -
    margin``): one event per municipality, target kind, opening kind and day, aggregated in
    SQL. The nightly run and retention call it. Returns how many were counted."""
    now = now or utcnow()
    until = now - margin
    query = select(FigureCursor).where(FigureCursor.name == SUGGESTION_CURSOR)
    if is_postgres(session):
        query = query.with_for_update()  # two sweeps at once: the second waits
    cursor = session.scalar(query)
    if cursor is None:
        cursor = FigureCursor(name=SUGGESTION_CURSOR, swept_until=None)
        session.add(cursor)
    since = cursor.swept_until
    if since is not None and since >= until:
        return 0
    day = func.date(Suggestion.created_at).label("day")
    window = [Suggestion.created_at < until]
    if since is not None:
        window.append(Suggestion.created_at >= since)
    group = (
        YouthProfile.municipality_code,
        Suggestion.target_kind,
        JobOpening.kind,
        JobOpening.organisation_id,
        MentorSlot.organisation_id,
        day,
    )
    rows = session.execute(
        select(*group, func.count())
        .select_from(Suggestion)
        .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
        .outerjoin(JobOpening, JobOpening.id == Suggestion.opening_id)
        .outerjoin(MentorSlot, MentorSlot.id == Suggestion.mentor_slot_id)
        .where(*window)
        .group_by(*group)
    ).all()
    resolve = PartnershipResolver.load(session)
    # The organisation is read only to find the partnership: the groups that land in the same
    # partnership are one event (a national night's 430,000 suggestions are some hundreds of
    # events, not one per company and municipality).
    amounts: dict[tuple[int, str, str | None, int | None, date], int] = defaultdict(int)
    counted = 0
    for code, target_kind, opening_kind, opening_org, slot_org, on, n in rows:
        org = opening_org if target_kind == TargetKind.OPENING else slot_org
        when = on if isinstance(on, date) else date.fromisoformat(str(on)[:10])
        opening = str(opening_kind) if opening_kind is not None else None
        amounts[(code, str(target_kind), opening, resolve(code, org), when)] += n
        counted += n
    if amounts:
        session.execute(
            sa.insert(FigureEvent),
            [
                {
                    "kind": str(FigureKind.SUGGESTION_MADE),
                    "day": when,
                    "at": now,
                    "partnership_id": partnership,
                    "municipality_code": code,
                    "opening_kind": opening,
                    "detail": target_kind,
                    "days": None,
                    "amount": n,
                }
                for (code, target_kind, opening, partnership, when), n in amounts.items()
            ],
        )
    cursor.swept_until = until
    session.flush()
    return counted


def roll_up_figures(session: Session, now: datetime | None = None) -> int:
    """Add the finished days to figure_day, in SQL (INSERT ... SELECT ... GROUP BY).

    A day is finished when it is over and the suggestion sweep has counted past its end
    (suggestions are the one kind written later, with the day they were made). Returns
    how many days were rolled up. Events stay where they are.
    """
    now = now or utcnow()
    query = select(FigureCursor).where(FigureCursor.name == ROLLUP_CURSOR)
    if is_postgres(session):
        query = query.with_for_update()
    cursor = session.scalar(query)
    swept = session.scalar(
        select(FigureCursor.swept_until).where(FigureCursor.name == SUGGESTION_CURSOR)
    )
    if swept is None:
        return 0  # suggestions were never counted: their days are not finished
    last = min(now.date(), swept.date()) - timedelta(days=1)
    if cursor is None:
        first = session.scalar(select(func.min(FigureEvent.day)))
        cursor = FigureCursor(name=ROLLUP_CURSOR, swept_until=None)
        session.add(cursor)
    else:
        first = cursor.swept_until.date() + timedelta(days=1) if cursor.swept_until else None
    if first is None or first > last:
        return 0
    for level, column in (
        ("nation", None),
        ("partnership", FigureEvent.partnership_id),
        ("municipality", FigureEvent.municipality_code),
    ):
        group = (
            FigureEvent.day,
            FigureEvent.kind,
            FigureEvent.opening_kind,
            FigureEvent.detail,
            FigureEvent.days,
            *((column,) if column is not None else ()),
        )
        source: sa.Select[*tuple[Any, ...]] = (
            select(
                FigureEvent.day,
                sa.literal_column(f"'{level}'"),  # constants of this code, not input
                column if column is not None else sa.literal_column("0"),
                FigureEvent.kind,
                FigureEvent.opening_kind,
                FigureEvent.detail,
                FigureEvent.days,
                func.sum(FigureEvent.amount),
                func.count(),
            )
            .where(FigureEvent.day >= first, FigureEvent.day <= last)
            .group_by(*group)
        )
        if column is not None:
            source = source.where(column.is_not(None))
        session.execute(
            sa.insert(FigureDay).from_select(
                [
                    "day",
                    "level",
                    "scope_id",
                    "kind",
                    "opening_kind",
                    "detail",
                    "days",
                    "amount",
                    "events",
                ],
                source,
            )
        )
    cursor.swept_until = datetime.combine(last, time(), tzinfo=UTC)
    session.flush()
    return (last - first).days + 1
