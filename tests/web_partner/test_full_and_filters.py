"""A full mentor slot shows "Full" and no answer buttons; the company's openings list can be
searched and filtered by status; a filled opening leaves every partner list."""

from __future__ import annotations

import re

from models.base import utcnow
from models.enums import OpeningStatus, Outcome, Role, SuggestionStatus
from models.operations.suggestions import answer_as_mentor, record_outcome


def _two_waiting(make_youth, make_suggestion, caseworker, target, first_status):
    """Two young people's suggestions for ``target``, decided now: ``first_status``, approved."""
    return [
        make_suggestion(make_youth(caseworker), target, status=status, decided_at=utcnow())
        for status in (first_status, SuggestionStatus.APPROVED)
    ]


def test_a_full_mentor_slot_shows_no_accept(
    client, db, login_as, make_user, make_youth, make_slot, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    mentor = make_user(Role.MENTOR)
    slot = make_slot(mentor, title="Mentor – kom i gang", capacity=1)
    first, second = _two_waiting(
        make_youth, make_suggestion, caseworker, slot, SuggestionStatus.APPROVED
    )
    login_as(mentor)
    before = client.get(f"/mentor/slots/{slot.id}").text
    assert 'value="accept"' in before and "Åben" in before
    answer_as_mentor(db, mentor, first, True)
    db.flush()
    page = client.get(f"/mentor/slots/{slot.id}").text
    assert 'value="accept"' not in page and "Sig ja" not in page
    assert "slot-full" in page and ">Åben<" not in page
    assert "slot-full" in client.get("/mentor/slots").text
    index = client.get("/mentor/").text
    assert f"/mentor/offers/{second.id}" not in index
    assert client.get(f"/mentor/offers/{second.id}").status_code == 404  # expired: not visible


def test_company_openings_search_and_status_filter(client, db, login_as, make_user, make_opening):
    company = make_user(Role.COMPANY)
    a = make_opening(company, title="Kasseassistent")
    b = make_opening(company, title="Lagermedarbejder")
    c = make_opening(company, title="Kasseassistent weekend", publish=False)
    login_as(company)

    def titles(url):
        html = client.get(url).text
        return set(re.findall(r'/company/openings/(\d+)"', html))

    assert titles("/company/") >= {str(a.id), str(b.id), str(c.id)}
    assert titles("/company/?q=kasse") == {str(a.id), str(c.id)}
    assert titles("/company/?q=KASSE&status=draft") == {str(c.id)}
    assert titles("/company/?status=open") == {str(a.id), str(b.id)}
    assert "Ingen stillinger passer" in client.get("/company/?q=zzz").text
    assert titles("/company/?status=bogus") >= {str(a.id), str(b.id), str(c.id)}


def test_a_filled_opening_leaves_the_company_proposals_list(
    client, db, login_as, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    company = make_user(Role.COMPANY)
    opening = make_opening(company, title="Kasseassistent", seats=1)
    hired, waiting = _two_waiting(
        make_youth, make_suggestion, caseworker, opening, SuggestionStatus.INTERESTED
    )
    login_as(company)
    assert f"/company/proposals/{waiting.id}/answer" in client.get("/company/proposals").text
    record_outcome(db, caseworker, hired, Outcome.JOB)
    db.flush()
    assert f"/company/proposals/{waiting.id}/answer" not in client.get("/company/proposals").text
    detail = client.get(f"/company/openings/{opening.id}").text
    assert f"/company/proposals/{waiting.id}/answer" not in detail
    db.refresh(opening)
    assert opening.status is OpeningStatus.PAUSED
