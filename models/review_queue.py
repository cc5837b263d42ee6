"""Filters, sorts and grouping of the caseworker's review queue (new suggestions).

The queue is the scoped query of :mod:`models.scoping`; these narrow and order it:
by kind (job opening or mentor slot), by young person (pseudonym), by score band, by days
without an approved proposal (IPS rapid search), best first, longest waiting first or
newest first; grouping by young person orders the cards by youth so that a page shows one
header per young person with their suggestions beneath.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import Session

from models.caseload import approved_condition, last_approval_subquery, searching_since
from models.enums import OpeningKind, OpeningStatus, SlotStatus, SuggestionStatus, TargetKind
from models.geo import Postcode
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.placement import ROOM, TAKES_ROOM, room_left
from models.organisation import Organisation
from models.suggestion import Suggestion
from models.youth import YouthProfile

KINDS = ("opening", "mentor_slot")
# Score bands as shown on the cards (score × 100): lower bound inclusive, upper exclusive.
BANDS = {"high": (0.8, 1.01), "medium": (0.6, 0.8), "low": (0.0, 0.6)}
DAYS = (14, 30, 60)
SORTS = ("score", "waiting", "newest")


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    youth: str = ""
    band: str = ""
    days: int = 0
    sort: str = "score"
    group: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """Read from a query string; anything unknown falls back to "all"."""
        days = args.get("days", "")
        return cls(
            kind=args.get("kind", "") if args.get("kind") in KINDS else "",
            youth=(args.get("youth", "") or "").strip()[:20],
            band=args.get("band", "") if args.get("band") in BANDS else "",
            days=int(days) if days.isdigit() and int(days) in DAYS else 0,
            sort=args.get("sort", "") if args.get("sort") in SORTS else "score",
            group=args.get("group") == "1",
        )

    def as_args(self) -> dict[str, str]:
        """The query-string form of the filters that differ from the default."""
        defaults = asdict(QueueFilters())
        args = {}
        for key, value in asdict(self).items():
            if value != defaults[key]:
                args[key] = "1" if value is True else str(value)
        return args

    @property
    def active(self) -> bool:
        return bool(self.kind or self.youth or self.band or self.days)


def apply(
    query: Select[Suggestion],
    filters: QueueFilters,
    now: datetime,
    youth_ids: Select[int] | None = None,
) -> Select[Suggestion]:
    """``query`` (suggestions joined to their youth) narrowed and ordered by ``filters``;
    ``youth_ids`` (the caseworker's young people) bounds the last-approval lookup."""
    if filters.kind:
        query = query.where(Suggestion.target_kind == TargetKind(filters.kind))
    if filters.youth:
        term = filters.youth.upper().replace("!", "!!").replace("%", "!%").replace("_", "!_")
        query = query.where(sa.func.upper(YouthProfile.pseudonym).like(f"%{term}%", escape="!"))
    if filters.band:
        low, high = BANDS[filters.band]
        query = query.where(Suggestion.score >= low, Suggestion.score < high)
    order: list[sa.ColumnElement[Any]] = []
    if filters.days or filters.sort == "waiting" or filters.group:
        approvals = last_approval_subquery(youth_ids)
        query = query.outerjoin(approvals, approvals.c.youth_id == YouthProfile.id)
        since = searching_since(approvals.c.last_approved_at)
        if filters.days:
            # days >= N  <=>  the search started before midnight after (today - N + 1)
            cutoff = datetime.combine(now.date() - timedelta(days=filters.days - 1), time.min, UTC)
            query = query.where(since < cutoff)
        if filters.group or filters.sort == "waiting":
            # Longest waiting first; grouped, each young person's suggestions together.
            order += [since.asc(), YouthProfile.id.asc()]
    if filters.sort == "newest":
        order += [Suggestion.created_at.desc(), Suggestion.id.desc()]
    order += [Suggestion.score.desc(), Suggestion.id.desc()]
    return query.order_by(*order)


# --- The page's cards, as plain rows --------------------------------------------------------
#
# A queue page shows 25 cards and changes nothing, so it reads columns, not ORM entities:
# building, identity-mapping and instrumenting the suggestions, youths, targets,
# organisations and towns of a page cost about a quarter of the request, and four of its
# eight statements were loaders beside the page (the openings, the mentor slots, the last
# approvals, the places left); now the page and its targets are two. The targets stay a
# statement of their own: joined into the page's (eight tables), PostgreSQL spent ~15 ms
# planning it on every request (custom plans; the generic one is never chosen).
# The cards below carry the attribute names of the ORM objects that the card macro reads
# (``s.youth.pseudonym``, ``s.opening.organisation.name``, ``s.target.postcode_ref.name``), so
# the profile page (ORM suggestions of every status) and the queue share the one macro;
# tests/web_caseworker/test_queue.py holds what they show to the ORM's.


@dataclass(frozen=True, slots=True)
class Named:
    """An organisation or a town as a card shows it: its name."""

    name: str


@dataclass(frozen=True, slots=True)
class CardYouth:
    pseudonym: str


@dataclass(frozen=True, slots=True)
class CardTarget:
    """What a card shows of its job opening or mentor slot; ``left``: seats or places left."""

    id: int
    title: str
    status: OpeningStatus | SlotStatus
    organisation: Named
    postcode_ref: Named
    kind: OpeningKind | None
    start_date: date | None
    left: int


@dataclass(frozen=True, slots=True)
class QueueCard:
    """A new suggestion on the review queue, with what its card shows."""

    id: int
    youth_id: int
    target_kind: TargetKind
    opening_id: int | None
    mentor_slot_id: int | None
    score: float
    distance_km: float | None
    reasons: list[dict[str, Any]]
    status: SuggestionStatus
    youth: CardYouth
    # The later of the young person's active_since and last approval (days without an
    # approved proposal count from it).
    searching_since: datetime
    opening: CardTarget | None
    mentor_slot: CardTarget | None

    # Set only by a decision, an answer or an outcome, each of which moves the suggestion
    # out of ``proposed`` for good (nothing sets a suggestion back to proposed): a queue card
    # has none of them.
    decided_at = None
    decided_by = None
    reason_code = None
    reason = None
    pitch = None
    responded_at = None
    responded_by = None
    response_message = None
    outcome = None

    @property
    def target(self) -> CardTarget | None:
        return self.opening if self.target_kind is TargetKind.OPENING else self.mentor_slot


def _searching_since() -> sa.ColumnElement[datetime]:
    """Since when the young person waits for an approved proposal, per card row: the last
    approval by a correlated subquery, evaluated for the page's rows only (the
    ``decided_at`` index) instead of in a statement of its own."""
    last_approval: sa.ColumnElement[Any] = (
        sa.select(sa.func.max(Suggestion.decided_at))
        .where(approved_condition(), Suggestion.youth_id == YouthProfile.id)
        .correlate(YouthProfile)
        .scalar_subquery()
    )
    return searching_since(last_approval)


CARD_COLUMNS = (
    Suggestion.id,
    Suggestion.youth_id,
    Suggestion.target_kind,
    Suggestion.opening_id,
    Suggestion.mentor_slot_id,
    Suggestion.score,
    Suggestion.distance_km,
    Suggestion.reasons,
    Suggestion.status,
    YouthProfile.pseudonym,
    _searching_since().label("searching_since"),
)
STATUS_OF: dict[str, type[OpeningStatus] | type[SlotStatus]] = {
    "opening": OpeningStatus,
    "mentor_slot": SlotStatus,
}


def _per_row(column: Any, where: sa.ColumnElement[bool], outer: Any) -> Any:
    """A correlated scalar subquery: PostgreSQL runs it per target row (an index probe each)
    rather than hash-joining the whole organisation and postcode tables, as it planned the
    joins for a page's fifteen mentor slots (0.5 ms more per page, and a longer plan)."""
    return sa.select(column).where(where).correlate(outer).scalar_subquery()


def _targets_query(kind: str, ids: list[int]) -> sa.Select[Any]:
    """One kind's targets of a page: what the card shows, and the places taken (the rule of
    :data:`models.operations.placement.TAKES_ROOM`, counted per row)."""
    model: type[JobOpening] | type[MentorSlot] = JobOpening if kind == "opening" else MentorSlot
    column, taking = TAKES_ROOM[kind]
    opening = model is JobOpening
    return sa.select(
        sa.literal(kind).label("target_kind"),
        model.id,
        model.title,
        # Plain text: the two kinds' statuses are enums of their own, the UNION one column.
        sa.type_coerce(model.status, sa.String()).label("status"),
        _per_row(Organisation.name, Organisation.id == model.organisation_id, model).label(
            "organisation"
        ),
        _per_row(Postcode.name, Postcode.code == model.postcode, model).label("town"),
        sa.type_coerce(JobOpening.kind, sa.String()).label("kind")
        if opening
        else sa.null().label("kind"),
        JobOpening.start_date if opening else sa.null().label("start_date"),
        ROOM[kind].label("room"),
        _per_row(
            sa.func.count(), sa.and_(column == model.id, Suggestion.status == taking), model
        ).label("taken"),
    ).where(model.id.in_(ids))


def _targets(session: Session, ids: dict[str, list[int]]) -> dict[tuple[str, int], CardTarget]:
    """The page's openings and mentor slots by (kind, id), in one statement."""
    parts = [_targets_query(kind, found) for kind, found in ids.items() if found]
    if not parts:
        return {}
    query = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    targets = {}
    for row in session.execute(query):
        targets[(row.target_kind, row.id)] = CardTarget(
            id=row.id,
            title=row.title,
            status=STATUS_OF[row.target_kind](row.status),
            organisation=Named(row.organisation),
            postcode_ref=Named(row.town),
            kind=OpeningKind(row.kind) if row.kind is not None else None,
            start_date=row.start_date,
            left=room_left(row.room, row.taken),
        )
    return targets


def cards(session: Session, query: Select[Suggestion]) -> list[QueueCard]:
    """The cards of ``query`` (a page of :func:`apply`'s queue: offset and limit set), in its
    order: two statements, the suggestions with their youth and last approval, then their
    targets with the places left."""
    rows = session.execute(query.with_only_columns(*CARD_COLUMNS)).all()
    ids: dict[str, list[int]] = {"opening": [], "mentor_slot": []}
    for row in rows:
        if row.opening_id is not None:
            ids["opening"].append(row.opening_id)
        elif row.mentor_slot_id is not None:
            ids["mentor_slot"].append(row.mentor_slot_id)
    targets = _targets(session, {kind: sorted(set(found)) for kind, found in ids.items()})
    return [
        QueueCard(
            id=row.id,
            youth_id=row.youth_id,
            target_kind=row.target_kind,
            opening_id=row.opening_id,
            mentor_slot_id=row.mentor_slot_id,
            score=row.score,
            distance_km=row.distance_km,
            reasons=row.reasons,
            status=row.status,
            youth=CardYouth(row.pseudonym),
            searching_since=row.searching_since,
            opening=targets.get(("opening", row.opening_id)) if row.opening_id else None,
            mentor_slot=(
                targets.get(("mentor_slot", row.mentor_slot_id)) if row.mentor_slot_id else None
            ),
        )
        for row in rows
    ]
