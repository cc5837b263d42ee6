"""Never the same young person twice to one organisation's same-named targets in one run."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

import jobs.distinct_targets
from jobs.distinct_targets import one_per_name, target_names
from jobs.matching import refresh_for_profile, run_matching
from matcher.types import Match
from models.enums import Role, TargetKind
from models.suggestion import Suggestion

NOW = datetime.now(UTC)


def _m(target_id, score):
    return Match(target_id=target_id, target_kind="opening", score=score)


def test_one_per_name_keeps_the_best_of_each_group():
    names = {
        1: (10, "kasseassistent"),
        2: (10, "kasseassistent"),
        3: (11, "kasseassistent"),
        4: (10, "lager"),
    }
    ranked = {7: [_m(1, 0.6), _m(2, 0.9), _m(3, 0.5), _m(4, 0.4)], 8: [_m(1, 0.3)]}
    kept = one_per_name(ranked, names)
    assert [m.target_id for m in kept[7]] == [2, 3, 4]  # 1 and 2: one organisation, one title
    assert [m.target_id for m in kept[8]] == [1]


def test_many_targets_are_named_from_one_read_of_their_id_range(
    db, monkeypatch, make_user, make_opening
):
    """Many ids (the nightly run's) are read as their id range, not as bound parameters; the
    targets in the range that were not asked for are left out, as with a few ids."""
    chain = make_user(Role.COMPANY)
    openings = [make_opening(chain, title=f"  Lager {n % 2} ") for n in range(5)]
    asked = {openings[0].id, openings[2].id, openings[4].id}
    few = target_names(db, TargetKind.OPENING, asked)
    monkeypatch.setattr(jobs.distinct_targets, "CHUNK", 2)
    many = target_names(db, TargetKind.OPENING, asked)
    organisation = chain.organisation_id
    assert many == few == {i: (organisation, "lager 0") for i in asked}


def _targets(db, youth, kind):
    column = Suggestion.opening_id if kind is TargetKind.OPENING else Suggestion.mentor_slot_id
    return list(
        db.scalars(
            select(column).where(Suggestion.youth_id == youth.id, Suggestion.target_kind == kind)
        )
    )


def test_the_night_run_proposes_one_of_same_named_targets(
    db, make_user, make_youth, make_opening, make_slot
):
    chain = make_user(Role.COMPANY)
    network = make_user(Role.MENTOR)
    youth = make_youth(needs_mentor=True, interests=["fodbold"], skills=["kundeservice"])
    twins = [
        make_opening(
            chain, title="Kasseassistent", occupation_uri=None, required_skills=["kundeservice"]
        ),
        make_opening(
            chain, title="kasseassistent ", occupation_uri=None, required_skills=["kundeservice"]
        ),
    ]
    other = make_opening(
        title="Kasseassistent", occupation_uri=None, required_skills=["kundeservice"]
    )
    triplets = [
        make_slot(network, title="Mentor – kom i gang", interests=["fodbold"]) for _ in range(3)
    ]
    run_matching(db, NOW)
    openings = _targets(db, youth, TargetKind.OPENING)
    assert len(set(openings) & {t.id for t in twins}) == 1
    assert other.id in openings  # another company's opening of that name is another question
    slots = _targets(db, youth, TargetKind.MENTOR_SLOT)
    assert len(set(slots) & {s.id for s in triplets}) == 1


def test_the_fast_path_too(db, make_user, make_youth, make_opening):
    chain = make_user(Role.COMPANY)
    twins = [
        make_opening(
            chain, title="Kasseassistent", occupation_uri=None, required_skills=["kundeservice"]
        )
        for _ in range(2)
    ]
    youth = make_youth(skills=["kundeservice"])
    refresh_for_profile(db, youth, NOW)
    assert len(set(_targets(db, youth, TargetKind.OPENING)) & {t.id for t in twins}) == 1
