"""Figures come from the event table: they equal independent SQL counts of the source rows,
and they stay the same after retention and erasure removed every profile and suggestion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import func, select

from jobs.retention import retention_work
from jobs.settings import JobSettings
from models.base import utcnow
from models.enums import OpeningKind, Outcome, ProfileStatus, Role, SuggestionStatus
from models.figure_event import FigureEvent, FigureKind
from models.figures import Period, Scope, figure_charts, municipality_totals, rolled_up_until
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.accounts import create_partnership
from models.operations.figures import (
    partnership_of,
    record_active_youth,
    record_follow_up,
    roll_up_figures,
    sweep_suggestions,
)
from models.operations.profiles import set_profile_status
from models.operations.suggestions import (
    answer_as_company,
    answer_as_mentor,
    approve_suggestion,
    record_outcome,
)
from models.suggestion import Suggestion
from models.youth import YouthProfile

PERSONAL = ("youth", "pseudonym", "user", "name", "email", "caseworker")


def _scenario(db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion):
    partnership = create_partnership(db, "Tal-partnerskab", [101])
    org = make_org(partnerships=[partnership])
    company = make_user(Role.COMPANY, organisation=org)
    caseworker = make_user(Role.CASEWORKER, municipality_code=101)
    mentor = make_user(Role.MENTOR)
    job = make_opening(company, postcode="2200", seats=3)
    school = make_opening(company, postcode="2200", kind=OpeningKind.EDUCATION, title="FGU-plads")
    slot = make_slot(mentor, postcode="2200", capacity=2)
    youths = [make_youth(caseworker) for _ in range(7)]
    suggestions = [make_suggestion(y, job) for y in youths[:6]]
    suggestions.append(make_suggestion(youths[6], school))
    offer = make_suggestion(youths[0], slot)
    sweep_suggestions(db, utcnow() + timedelta(hours=2))
    for s in suggestions:
        approve_suggestion(db, caseworker, s)
    approve_suggestion(db, caseworker, offer)
    for s in suggestions[:5]:
        answer_as_company(db, company, s, interested=True)
    answer_as_company(db, company, suggestions[5], interested=False)
    answer_as_mentor(db, mentor, offer, accept=True)
    for s in suggestions[:4]:
        record_outcome(db, caseworker, s, Outcome.JOB)
    record_outcome(db, caseworker, suggestions[6], Outcome.EDUCATION)
    set_profile_status(db, caseworker, youths[5], ProfileStatus.PAUSED)
    set_profile_status(db, caseworker, youths[5], ProfileStatus.ACTIVE)
    db.flush()
    return partnership, caseworker


def _independent_counts(db) -> dict[str, int]:
    """Counted straight from the source tables, without models/figures.py."""

    def count(query):
        return db.scalar(query) or 0

    placed = (
        select(func.count())
        .select_from(Suggestion)
        .where(Suggestion.status == SuggestionStatus.PLACED)
    )
    return {
        "opening_job": count(
            select(func.sum(JobOpening.seats)).where(JobOpening.kind == OpeningKind.JOB)
        ),
        "opening_education": count(
            select(func.count())
            .select_from(JobOpening)
            .where(JobOpening.kind == OpeningKind.EDUCATION)
        ),
        "mentor_places": count(select(func.sum(MentorSlot.capacity))),
        "profiles_created": count(select(func.count()).select_from(YouthProfile)),
        "suggestions": count(select(func.count()).select_from(Suggestion)),
        "approvals": count(
            select(func.count())
            .select_from(Suggestion)
            .where(Suggestion.decided_by_id.is_not(None))
        ),
        "company_interested": count(
            select(func.count())
            .select_from(Suggestion)
            .where(
                Suggestion.opening_id.is_not(None),
                Suggestion.responded_at.is_not(None),
                Suggestion.status != SuggestionStatus.DECLINED,
            )
        ),
        "company_declined": count(
            select(func.count())
            .select_from(Suggestion)
            .where(Suggestion.status == SuggestionStatus.DECLINED)
        ),
        "mentor_assignments": count(
            select(func.count())
            .select_from(Suggestion)
            .where(Suggestion.status == SuggestionStatus.ACCEPTED)
        ),
        "placed_job": count(placed.where(Suggestion.outcome == Outcome.JOB)),
        "placed_education": count(placed.where(Suggestion.outcome == Outcome.EDUCATION)),
    }


def _chart_numbers(db, scope: Scope) -> dict[str, int | None]:
    today = utcnow().date()
    charts = figure_charts(db, scope, Period(today - timedelta(days=30), today, "week"))
    return {key: value for chart in charts.values() for key, value in chart.totals.items()}


def test_chart_numbers_equal_sql_counts_and_survive_erasure(
    db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion
):
    partnership, _ = _scenario(
        db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion
    )
    expected = _independent_counts(db)
    assert expected["placed_education"] == 1 and expected["placed_job"] == 4
    scopes = [Scope("nation"), Scope("partnership", partnership.id), Scope("municipality", 101)]
    before = {scope.key: _chart_numbers(db, scope) for scope in scopes}
    for scope in scopes:
        numbers = before[scope.key]
        for key, value in expected.items():
            assert numbers[key] == value, (scope, key, numbers[key], value)
        assert numbers["profiles_activated"] == expected["profiles_created"] + 1
        assert numbers["mentor_accepted"] == 1
        # Seven young people had their first approval the day their profile was made.
        assert numbers["median_days_to_first_approval"] == 0

    # The nightly roll-up moves finished days to figure_day: the same numbers.
    # Midday: the sweep counts up to an hour before (SWEEP_MARGIN), so from 00:00 to 01:00 UTC
    # the day before would not be finished yet.
    later_day = (utcnow() + timedelta(days=2)).replace(hour=12)
    sweep_suggestions(db, later_day)
    assert roll_up_figures(db, later_day) > 0
    assert rolled_up_until(db) == later_day.date() - timedelta(days=1)
    assert roll_up_figures(db, later_day) == 0  # a day is rolled up once
    for scope in scopes:
        assert _chart_numbers(db, scope) == before[scope.key]
    # Retention a long time later erases every profile and suggestion; the figures stay.
    later = datetime.now(UTC) + timedelta(days=3 * 365)
    retention_work(db, None, later, JobSettings())
    db.execute(sa.delete(Suggestion))
    db.execute(sa.delete(YouthProfile))
    db.flush()
    assert db.scalar(select(func.count()).select_from(YouthProfile)) == 0
    for scope in scopes:
        assert _chart_numbers(db, scope) == before[scope.key]
    rows = municipality_totals(db, Period(utcnow().date() - timedelta(days=30), utcnow().date()))
    assert [r for r in rows if r[0] == 101][0][2]["placed_education"] == 1


def test_event_rows_hold_no_personal_data(db):
    columns = {c.name for c in FigureEvent.__table__.columns}
    assert not [c for c in columns if any(word in c for word in PERSONAL)]
    assert not FigureEvent.__table__.foreign_keys


def test_counts_under_five_are_suppressed(
    db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion
):
    _scenario(db, make_user, make_org, make_youth, make_opening, make_slot, make_suggestion)
    today = utcnow().date()
    charts = figure_charts(
        db, Scope("municipality", 101), Period(today - timedelta(days=30), today), suppress=True
    )
    totals = {k: v for chart in charts.values() for k, v in chart.totals.items()}
    assert totals["placed_education"] is None  # 1
    assert totals["placed_job"] is None  # 4
    assert totals["suggestions"] == 8
    assert totals["opening_wage_subsidy"] == 0  # nothing is not a small count
    assert all(
        v is None or v == 0 or v >= 5 for vs in charts["placements"].values.values() for v in vs
    )


def test_sweep_counts_each_suggestion_once(db, make_youth, make_opening, make_suggestion):
    youth = make_youth()
    opening = make_opening()
    make_suggestion(youth, opening)
    assert sweep_suggestions(db) == 0  # too fresh: its transaction may not have committed
    later = utcnow() + timedelta(hours=2)
    assert sweep_suggestions(db, later) == 1
    assert sweep_suggestions(db, later) == 0
    assert sweep_suggestions(db, later + timedelta(days=1)) == 0
    made = db.scalar(
        select(func.sum(FigureEvent.amount)).where(
            FigureEvent.kind == FigureKind.SUGGESTION_MADE.value
        )
    )
    assert made == 1


def test_the_sweep_counts_a_partnerships_suggestions_as_one_event(
    db, make_user, make_org, make_youth, make_opening, make_suggestion
):
    """The sweep reads each suggestion's organisation only to find its partnership: the
    companies of one partnership give one event per day and kind (a national night is some
    hundreds of events, not one per company), and another partnership keeps its own."""
    here = create_partnership(db, "Her", [101])
    there = create_partnership(db, "Der", [101])  # also here; its members count for it
    companies = [
        make_org(partnerships=[]),
        make_org(partnerships=[]),
        make_org(partnerships=[there]),
    ]
    youth = make_youth()
    for company in companies:
        for _ in range(2):
            user = make_user(Role.COMPANY, organisation=company)
            make_suggestion(youth, make_opening(user))
    assert sweep_suggestions(db, utcnow() + timedelta(hours=2)) == 6
    events = db.execute(
        select(FigureEvent.partnership_id, FigureEvent.municipality_code, FigureEvent.amount)
        .where(FigureEvent.kind == FigureKind.SUGGESTION_MADE.value)
        .order_by(FigureEvent.amount)
    ).all()
    assert [tuple(e) for e in events] == [(there.id, 101, 2), (here.id, 101, 4)]


def test_retention_counts_suggestions_before_it_erases_them(
    db, make_youth, make_opening, make_suggestion
):
    youth = make_youth()
    make_suggestion(youth, make_opening())
    retention_work(db, None, datetime.now(UTC) + timedelta(days=3 * 365), JobSettings())
    gone = select(func.count()).select_from(YouthProfile).where(YouthProfile.id == youth.id)
    assert db.scalar(gone) == 0
    made = db.scalar(
        select(func.sum(FigureEvent.amount)).where(
            FigureEvent.kind == FigureKind.SUGGESTION_MADE.value
        )
    )
    assert made == 1


def test_active_youth_snapshot_and_follow_ups_are_charted(db, make_user, make_youth):
    caseworker = make_user(Role.CASEWORKER, municipality_code=101)
    partnership = create_partnership(db, "Aktive", [101])
    youths = [make_youth(caseworker) for _ in range(3)]
    set_profile_status(db, caseworker, youths[2], ProfileStatus.PAUSED)
    assert record_active_youth(db) == 1  # one municipality
    assert record_active_youth(db) == 0  # once a day
    # Counted for the municipality's partnership, by the rule of partnership_of.
    snapshot = db.scalars(
        select(FigureEvent).where(FigureEvent.kind == FigureKind.YOUTH_ACTIVE.value)
    ).one()
    assert snapshot.amount == 2
    assert snapshot.partnership_id == partnership_of(db, 101) == partnership.id
    record_follow_up(db, 101, 30, still_placed=True)
    record_follow_up(db, 101, 90, still_placed=False)
    db.execute(sa.delete(YouthProfile))
    numbers = _chart_numbers(db, Scope("municipality", 101))
    assert numbers["youth_active"] == 2
    assert numbers["follow_up_30_placed"] == 1 and numbers["follow_up_90_not_placed"] == 1
    assert numbers["follow_up_30_not_placed"] == 0


def test_the_sweeps_partnership_rule_is_partnership_of(db, make_org):
    """The nightly sweep resolves partnerships from memberships read once; it must give what
    :func:`partnership_of` gives for every municipality and organisation, overlaps included."""
    from models.operations.figures import PartnershipResolver, partnership_of

    north = create_partnership(db, "Nord", [101, 147])
    south = create_partnership(db, "Syd", [147, 151])
    lone = create_partnership(db, "Uden kommune", [])
    orgs = [
        make_org(partnerships=[]),
        make_org(partnerships=[south]),
        make_org(partnerships=[north, south]),
        make_org(partnerships=[lone]),
    ]
    db.flush()
    resolve = PartnershipResolver.load(db)
    seen = set()
    for code in (None, 101, 147, 151, 155):
        for org in (None, *(o.id for o in orgs)):
            expected = partnership_of(db, code, org)
            assert resolve(code, org) == expected, (code, org)
            seen.add(expected)
    # The cases differ: each partnership, and none, is the answer somewhere.
    assert seen == {None, north.id, south.id, lone.id}
    # The rule itself: the organisation's partnership covering the place, else the place's,
    # else the organisation's; the lowest id among equals.
    plain, in_south, in_both, in_lone = (o.id for o in orgs)
    assert partnership_of(db, 147, in_south) == south.id  # not the place's lower id
    assert partnership_of(db, 147, plain) == min(north.id, south.id)
    assert partnership_of(db, 151, in_both) == south.id
    assert partnership_of(db, 155, in_lone) == lone.id
    assert partnership_of(db, 155, plain) is None
