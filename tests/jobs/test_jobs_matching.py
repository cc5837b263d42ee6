"""The bridge between the database and the engine (jobs/matching/)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from jobs.matching import (
    refresh_for_mentor_slot,
    refresh_for_opening,
    refresh_for_profile,
    run_matching,
)
from models.enums import OpeningStatus, ProfileStatus, Role, SuggestionStatus, TargetKind
from models.mentor_slot import MentorSlot
from models.opening import JobOpening
from models.operations.openings import set_opening_status
from models.suggestion import Suggestion
from models.youth import YouthProfile

NOW = datetime.now(UTC)


def _suggestions(db, **where):
    query = select(Suggestion)
    for key, value in where.items():
        query = query.where(getattr(Suggestion, key) == value)
    return list(db.scalars(query))


def test_run_matching_stores_proposals_once(db, make_youth, make_opening, make_slot):
    youth = make_youth(needs_mentor=True, interests=["fodbold"])
    opening = make_opening(occupation_uri=None, required_skills=["kundeservice"])
    slot = make_slot(interests=["fodbold"])
    counts = run_matching(db, NOW)
    assert counts["new"] >= 2
    stored = _suggestions(db, youth_id=youth.id)
    by_kind = {s.target_kind: s for s in stored}
    proposal = by_kind[TargetKind.OPENING]
    assert proposal.opening_id == opening.id
    assert proposal.status is SuggestionStatus.PROPOSED
    assert 0 <= proposal.score <= 1
    reason = proposal.reasons[0]
    assert "code" in reason and not {"da", "en"} & set(reason)  # its code and parameters
    assert proposal.components and proposal.engine_version
    assert by_kind[TargetKind.MENTOR_SLOT].mentor_slot_id == slot.id

    again = run_matching(db, NOW)
    assert again["new"] == 0 and again["updated"] == 0
    assert db.scalar(select(func.count()).select_from(Suggestion)) == len(stored)

    # A changed score is brought up to date (a proposal only), in bulk.
    score = proposal.score
    proposal.score = 0.01
    proposal.reasons = []
    db.flush()
    third = run_matching(db, NOW)
    assert third["new"] == 0 and third["updated"] == 1
    db.expire_all()
    assert proposal.score == score and proposal.reasons


def test_decisions_are_never_overwritten_and_closed_targets_expire(
    db, make_youth, make_opening, make_user
):
    youth = make_youth()
    kept = make_opening()
    closing = make_opening()
    run_matching(db, NOW)
    decided = _suggestions(db, youth_id=youth.id, opening_id=kept.id)[0]
    decided.status = SuggestionStatus.REJECTED
    decided.score = 0.01
    db.flush()
    set_opening_status(db, make_user(Role.COMPANY), closing, OpeningStatus.CLOSED)
    # A proposal the nightly run must expire (set_opening_status already expires; undo that).
    other = _suggestions(db, youth_id=youth.id, opening_id=closing.id)[0]
    other.status = SuggestionStatus.PROPOSED
    db.flush()

    counts = run_matching(db, NOW)
    db.expire_all()
    assert counts["expired"] == 1
    assert decided.status is SuggestionStatus.REJECTED and decided.score == 0.01
    assert other.status is SuggestionStatus.EXPIRED


def test_one_expiry_rule_for_operations_and_the_night(
    db, make_youth, make_opening, make_user, make_suggestion
):
    """Undecided = proposed and approved-but-unanswered (models/operations/expiry.py): both
    expire when the target closes now (the operation) or its date passed (the night); an
    answer stays."""
    youth = make_youth()
    closing, past = make_opening(), make_opening(start_date=None)
    approved = make_suggestion(youth, closing, status=SuggestionStatus.APPROVED)
    answered = make_suggestion(make_youth(), closing, status=SuggestionStatus.INTERESTED)
    set_opening_status(db, make_user(Role.COMPANY), closing, OpeningStatus.CLOSED)
    db.expire_all()
    assert approved.status is SuggestionStatus.EXPIRED
    assert answered.status is SuggestionStatus.INTERESTED

    waiting = make_suggestion(youth, past, status=SuggestionStatus.APPROVED)
    past.expires = (NOW - timedelta(days=2)).date()
    db.flush()
    run_matching(db, NOW)
    db.expire_all()
    assert waiting.status is SuggestionStatus.EXPIRED
    assert answered.status is SuggestionStatus.INTERESTED


def test_inactive_youth_proposals_expire(db, make_youth, make_opening):
    youth = make_youth()
    make_opening()
    run_matching(db, NOW)
    youth.status = ProfileStatus.PAUSED
    db.flush()
    run_matching(db, NOW)
    db.expire_all()
    assert {s.status for s in _suggestions(db, youth_id=youth.id)} == {SuggestionStatus.EXPIRED}


def test_fast_paths(db, make_youth, make_opening, make_slot):
    opening = make_opening()
    youth = make_youth(needs_mentor=True)
    found = refresh_for_profile(db, youth, NOW)
    assert opening.id in {s.opening_id for s in found}
    assert all(s.status is SuggestionStatus.PROPOSED for s in found)
    assert refresh_for_profile(db, youth, NOW) == found  # nothing duplicated

    second = make_opening(title="Butiksassistent", expires=(NOW + timedelta(days=30)).date())
    found = refresh_for_opening(db, second, NOW)
    assert youth.id in {s.youth_id for s in found}

    slot = make_slot()
    found = refresh_for_mentor_slot(db, slot, NOW)
    assert [(s.youth_id, s.mentor_slot_id) for s in found] == [(youth.id, slot.id)]

    second.status = OpeningStatus.CLOSED
    assert refresh_for_opening(db, second, NOW) == []
    assert {s.status for s in _suggestions(db, opening_id=second.id)} == {SuggestionStatus.EXPIRED}


def test_age_and_nonactive_are_respected(db, make_youth, make_opening):
    young = make_youth(birth_year=NOW.year - 15)
    make_opening(min_age=18)
    run_matching(db, NOW)
    assert _suggestions(db, youth_id=young.id, target_kind=TargetKind.OPENING) == []


def test_empty_populations(db, make_youth, make_opening, make_slot):
    from models.youth import YouthProfile

    db.execute(
        YouthProfile.__table__.update().values(status=ProfileStatus.CLOSED.value)
    )  # nobody active in this transaction
    opening = make_opening()
    assert refresh_for_opening(db, opening, NOW) == []
    assert refresh_for_mentor_slot(db, make_slot(), NOW) == []
    counts = run_matching(db, NOW)
    assert counts["youths"] == 0 and counts["new"] == 0
    opening.status = OpeningStatus.CLOSED
    db.flush()
    youth = make_youth()
    db.execute(JobOpening.__table__.update().values(status=OpeningStatus.CLOSED.value))
    db.execute(MentorSlot.__table__.update().values(status="closed"))
    db.expire_all()
    assert refresh_for_profile(db, youth, NOW) == []
    assert run_matching(db, NOW)["new"] == 0


def test_a_saved_mentor_slot_loads_only_the_seekers_it_can_reach(
    db, make_youth, make_slot, monkeypatch
):
    """The SQL pre-filter keeps whoever the engine's reach rule allows (the mentor's distance
    or the young person's commute) and proposes exactly what no pre-filter would."""
    from jobs.matching import load_slots, load_youths, reach, within_reach_of
    from models.clock import local_date

    def seeker(postcode: str, commute: int) -> int:
        youth = make_youth(postcode=postcode, max_commute_km=commute, needs_mentor=True)
        return youth.id

    near = seeker("2200", 5)  # the slot's own postcode
    far_long = seeker("8000", 200)  # Aarhus, about 150 km: the commute reaches
    far_short = seeker("8000", 20)  # neither reaches
    roskilde_ok = seeker("4000", 40)  # about 30 km: the commute reaches
    roskilde_short = seeker("4000", 25)  # 30 km > 25 km commute and > 10 km mentor reach
    slot = make_slot(postcode="2200", max_distance_km=10, capacity=3)
    engine_slot = load_slots(db, local_date(NOW), MentorSlot.id == slot.id)[0]
    condition = within_reach_of(engine_slot)
    loaded = {y.id for y in load_youths(db, YouthProfile.needs_mentor.is_(True), *condition)}
    assert loaded == {near, far_long, roskilde_ok}
    assert not loaded & {far_short, roskilde_short}

    with_filter = {s.youth_id for s in refresh_for_mentor_slot(db, slot, NOW)}
    # Again without the pre-filter: the same pairs (already stored, so returned as they are).
    monkeypatch.setattr(reach, "within_reach_of", lambda _slot: [])
    without = {s.youth_id for s in refresh_for_mentor_slot(db, slot, NOW)}
    assert with_filter == without == {near, far_long, roskilde_ok}
