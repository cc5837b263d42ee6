"""The profile list: search, filters, pagination, the rapid-search figure and highlight."""

from __future__ import annotations

import re
from datetime import timedelta

from models.base import utcnow
from models.caseload import CaseloadFilters, caseload
from models.enums import ProfileStatus, Role, SuggestionStatus
from models.operations.profiles import days_without_approved_proposal
from models.scoping import profiles_for


def _pseudonyms(html):
    return re.findall(r'data-pseudonym="([^"]+)"', html)


def test_list_shows_only_own_municipality(client, caseworker, foreign_caseworker, make_youth):
    own = make_youth(caseworker)
    other = make_youth(foreign_caseworker)
    html = client.get("/caseworker/").text
    assert own.pseudonym in html
    assert other.pseudonym not in html


def test_search_by_pseudonym_skill_and_wish(client, caseworker, make_youth):
    a = make_youth(caseworker, skills=["truckcertifikat"], wished_occupations=["lagerarbejder"])
    b = make_youth(
        caseworker,
        skills=["madlavning"],
        interests=["fodbold"],
        wished_occupations=["køkkenassistent"],
    )
    assert _pseudonyms(client.get("/caseworker/?q=TRUCK").text) == [a.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?q=køkken").text) == [b.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?q=fodbold").text) == [b.pseudonym]
    assert _pseudonyms(client.get(f"/caseworker/?q={a.pseudonym[2:6].lower()}").text) == [
        a.pseudonym
    ]
    assert _pseudonyms(client.get("/caseworker/?q=100%25").text) == []


def test_filters(client, db, caseworker, make_youth, make_opening, make_suggestion, age_profile):
    mentor = make_youth(caseworker, needs_mentor=True)
    with_new = make_youth(caseworker)
    make_suggestion(with_new, make_opening())
    paused = make_youth(caseworker)
    paused.status = ProfileStatus.PAUSED
    stale = age_profile(make_youth(caseworker), 120)
    db.flush()
    assert _pseudonyms(client.get("/caseworker/?needs_mentor=1").text) == [mentor.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?new=1").text) == [with_new.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?status=paused").text) == [paused.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?reconfirm=1").text) == [stale.pseudonym]
    assert _pseudonyms(client.get("/caseworker/?rapid=1").text) == [stale.pseudonym]
    assert len(_pseudonyms(client.get("/caseworker/?status=bogus").text)) == 4


def test_pagination(app, client, caseworker, make_youth):
    app.config["PER_PAGE"] = 3
    made = {make_youth(caseworker).pseudonym for _ in range(7)}
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/caseworker/?sort=pseudonym&page={page}").text
        seen += _pseudonyms(html)
        assert f"Side {page} af 3" in html
    assert seen == sorted(made)
    assert 'rel="next"' in client.get("/caseworker/?sort=pseudonym&page=1").text
    assert client.get("/caseworker/?page=99").status_code == 200


def test_rapid_search_is_counted_from_the_later_of_activation_and_last_approval(
    db, caseworker, make_youth, make_opening, make_suggestion, age_profile
):
    now = utcnow()
    never = age_profile(make_youth(caseworker), 40)
    recently = age_profile(make_youth(caseworker), 40)
    long_ago = age_profile(make_youth(caseworker), 80)
    fresh = make_youth(caseworker)
    rejected_only = age_profile(make_youth(caseworker), 35)
    opening = make_opening()
    make_suggestion(
        recently, opening, status=SuggestionStatus.INTERESTED, decided_at=now - timedelta(days=5)
    )
    make_suggestion(
        long_ago, opening, status=SuggestionStatus.APPROVED, decided_at=now - timedelta(days=45)
    )
    make_suggestion(
        rejected_only, opening, status=SuggestionStatus.REJECTED, decided_at=now - timedelta(days=2)
    )
    db.flush()
    result = caseload(db, profiles_for(caseworker), CaseloadFilters(), now, limit=50)
    days = {row.profile.pseudonym: row.days_without_approval for row in result.rows}
    flagged = {row.profile.pseudonym for row in result.rows if row.rapid_search}
    assert days[never.pseudonym] == 40
    assert days[recently.pseudonym] == 5
    assert days[long_ago.pseudonym] == 45
    assert days[fresh.pseudonym] == 0
    assert days[rejected_only.pseudonym] == 35
    assert flagged == {never.pseudonym, long_ago.pseudonym, rejected_only.pseudonym}
    # Sorted longest search first.
    assert [r.profile.pseudonym for r in result.rows][:2] == [long_ago.pseudonym, never.pseudonym]
    # The single-profile function agrees with the bulk query.
    assert days_without_approved_proposal(recently, now.date(), now - timedelta(days=5)) == 5
    assert days_without_approved_proposal(never, now.date()) == 40
    # The SQL filter agrees with the Python flag, also at the boundary (exactly 30 days).
    edge = age_profile(make_youth(caseworker), 30)
    almost = age_profile(make_youth(caseworker), 29)
    db.flush()
    rapid = caseload(db, profiles_for(caseworker), CaseloadFilters(rapid_search=True), now)
    assert {r.profile.pseudonym for r in rapid.rows} == flagged | {edge.pseudonym}
    assert almost.pseudonym not in {r.profile.pseudonym for r in rapid.rows}


def test_rapid_search_profile_is_highlighted(client, db, caseworker, make_youth, age_profile):
    old = age_profile(make_youth(caseworker), 31)
    new = make_youth(caseworker)
    html = client.get("/caseworker/").text
    row_old = html[html.index(f'data-pseudonym="{old.pseudonym}"') - 60 :][:200]
    row_new = html[html.index(f'data-pseudonym="{new.pseudonym}"') - 60 :][:200]
    assert "rapid-search" in row_old and "rapid-search" not in row_new
    assert "Hurtig jobsøgning" in html
    # Paused profiles are not searching: no figure, no flag.
    old.status = ProfileStatus.PAUSED
    db.flush()
    html = client.get("/caseworker/").text
    assert "rapid-search" not in html


def test_placed_profile_stays_listed_with_follow_up_and_sorts_by_it(
    client, db, caseworker, make_youth
):
    later = make_youth(caseworker)
    sooner = make_youth(caseworker)
    make_youth(caseworker)
    later.status = sooner.status = ProfileStatus.PLACED
    later.follow_up_on = (utcnow() + timedelta(days=40)).date()
    sooner.follow_up_on = (utcnow() + timedelta(days=10)).date()
    db.flush()
    html = client.get("/caseworker/?sort=follow_up").text
    assert _pseudonyms(html)[:2] == [sooner.pseudonym, later.pseudonym]
    assert len(_pseudonyms(html)) == 3


def test_only_caseworkers(client, make_user, login_as):
    login_as(make_user(Role.COMPANY))
    for url in ("/caseworker/", "/caseworker/queue", "/caseworker/profiles/new"):
        assert client.get(url).status_code == 403
