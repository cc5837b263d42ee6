"""The engine gets a profile's former jobs and preferred kinds (issue 11)."""

from __future__ import annotations

from jobs.matching import load_youths, youth_from_row
from models.youth import YouthProfile


def test_former_jobs_and_preferred_kinds_reach_the_engine(db, make_youth):
    profile = make_youth(
        wished_occupations=[],
        former_jobs=["opvasker"],
        preferred_kinds=["education", "small_job"],
    )
    plain = make_youth()
    db.flush()
    by_id = {y.id: y for y in load_youths(db, YouthProfile.id.in_([profile.id, plain.id]))}
    assert by_id[profile.id].former_jobs == ("opvasker",)
    assert by_id[profile.id].preferred_kinds == ("small_job", "education")
    assert by_id[plain.id].former_jobs == () and by_id[plain.id].preferred_kinds == ()
    # The ORM object itself does as well (the profile page's possible occupations use it).
    assert youth_from_row(profile).former_jobs == ("opvasker",)
