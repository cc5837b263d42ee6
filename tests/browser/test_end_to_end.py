"""THE journey across roles, in a real browser, on a live server:

a company posts an opening through its form; a caseworker records a young person who
wishes exactly that; the engine's fast path suggests the opening; the caseworker approves
it with a pitch; the company sees the anonymous card (never the pseudonym or the notes)
and answers "interested"; the caseworker sees the answer. A mentor accepts an assignment.
Then axe on every main page of every role, with screenshots.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Lagermedarbejder til nattevagt, E2E"
PITCH = "Mødestabil, glad for fysisk arbejde og vil gerne lære at køre truck."
SECRET_NOTE = "Note til sagsbehandleren alene"


def _suggestions_of(live_server, pseudonym):
    from models.suggestion import Suggestion
    from models.youth import YouthProfile

    with live_server.session() as session:
        return [
            (
                s.id,
                str(s.target_kind),
                s.opening_id,
                s.mentor_slot_id,
                s.mentor_slot.mentor.email if s.mentor_slot else None,
            )
            for s in session.scalars(
                select(Suggestion).join(Suggestion.youth).where(YouthProfile.pseudonym == pseudonym)
            )
        ]


def test_company_caseworker_mentor_journey(
    page, live_server, login, logout, screenshot, check_axe, publish_opening, submit_profile
):
    data = live_server.data

    # 1. The company posts an opening through the form.
    login(page, data.company)
    page.goto("/company/openings/new")
    check_axe(page)
    opening_id = publish_opening(
        page,
        {
            "title": TITLE,
            "occupation": "lagerarbejder",
            "required_skills": "truckcertifikat",
            "postcode": "2200",
            "hours_min": "15",
            "hours_max": "37",
            "start_date": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    assert TITLE in page.locator("h1").inner_text()
    screenshot(page, "e2e-company-opening")
    logout(page)

    # 2. The caseworker records a young person who wishes exactly that, and wants a mentor.
    login(page, data.caseworker)
    page.goto("/caseworker/profiles/new")
    submit_profile(
        page,
        {
            "Fødselsår": str(date.today().year - 20),
            "Postnummer": "2200",
            "Ønskede job": "lagerarbejder",
            "Kompetencer": "truckcertifikat, pakning af varer",
            "Interesser": "fodbold, gaming, musik, madlavning, natur, dyr, tegning, fitness, "
            "biler, mode, film",
            "Timer om ugen, mindst": "15",
            "Ønsker en mentor": True,
            "Støttenoter": SECRET_NOTE,
        },
    )
    page.wait_for_url("**/caseworker/profiles/*")
    profile_url = page.url
    pseudonym = page.locator("h1").inner_text().split()[-1]
    found = _suggestions_of(live_server, pseudonym)
    ours = [s for s in found if s[2] == opening_id]
    assert ours, f"the new opening was not suggested for {pseudonym}: {found}"
    suggestion_id = ours[0][0]
    card = page.locator(f"#suggestion-{suggestion_id}")
    assert TITLE in card.inner_text()
    screenshot(page, "e2e-caseworker-profile-with-suggestions")

    # 3. ... approves it with a pitch (from the review queue).
    page.goto("/caseworker/queue")
    card = page.locator(f"#suggestion-{suggestion_id}")
    card.get_by_label("Præsentation til virksomheden eller mentoren").fill(PITCH)
    card.get_by_role("button", name="Godkend og send").click()
    page.wait_for_url("**/caseworker/queue")
    # ... and the mentor offer too, if the engine found one.
    mentor_offers = [s for s in found if s[1] == "mentor_slot"]
    assert mentor_offers, f"no mentor slot was suggested for {pseudonym}: {found}"
    mentor_suggestion, mentor_email = mentor_offers[0][0], mentor_offers[0][4]
    page.goto(profile_url)
    offer = page.locator(f"#suggestion-{mentor_suggestion}")
    offer.get_by_label("Præsentation til virksomheden eller mentoren").fill("Elsker fodbold.")
    offer.get_by_role("button", name="Godkend og send").click()
    page.wait_for_url(profile_url)
    logout(page)

    # 4. The company sees the anonymous card and answers "interested".
    login(page, data.company)
    page.goto("/company/proposals")
    check_axe(page)
    cards = page.locator("article.candidate-card", has_text=PITCH)
    assert cards.count() == 1
    text = page.locator("main").inner_text()
    assert pseudonym not in text and SECRET_NOTE not in text
    assert str(date.today().year - 20) not in text  # the age band, never the birth year
    screenshot(page, "e2e-company-proposals")
    cards.first.get_by_label("Besked til sagsbehandleren (valgfri)").fill("Kom forbi tirsdag.")
    cards.first.locator("button[value=interested]").click()
    page.wait_for_load_state()
    logout(page)

    # 5. The mentor accepts the assignment.
    login(page, mentor_email)
    page.goto(f"/mentor/offers/{mentor_suggestion}")
    check_axe(page)
    assert pseudonym not in page.locator("main").inner_text()
    page.locator("button[value=accept]").click()
    page.wait_for_load_state()
    page.goto("/mentor/assignments")
    assert "Elsker fodbold." in page.locator("main").inner_text()
    check_axe(page)
    screenshot(page, "e2e-mentor-assignments")
    logout(page)

    # 6. The caseworker sees both answers.
    login(page, data.caseworker)
    page.goto(profile_url)
    answer = page.locator(f"#suggestion-{suggestion_id}").inner_text()
    assert "Virksomheden er interesseret" in answer and "Kom forbi tirsdag." in answer
    assert "Mentoren har sagt ja" in page.locator(f"#suggestion-{mentor_suggestion}").inner_text()
    check_axe(page)
    screenshot(page, "e2e-caseworker-answers")


MAIN_PAGES = {
    "public": ["/", "/about", "/login", "/help/", "/help/faq", "/api/v1/docs"],
    # The caseworker's list, form, profile and queue are checked in test_caseworker_journey.
    "caseworker": ["/caseworker/?status=placed"],
    "company": ["/company/", "/company/openings/new", "/company/proposals", "/company/slots"],
    "mentor": ["/mentor/", "/mentor/assignments", "/mentor/slots"],
    "admin": [
        "/admin/",
        "/admin/partnerships",
        "/admin/organisations",
        "/admin/users",
        "/admin/openings",
        "/admin/job-runs",
        "/admin/audit",
        "/admin/help-settings",
    ],
}


@pytest.mark.parametrize("role", list(MAIN_PAGES))
def test_every_main_page_of_every_role_passes_axe(
    role, page, live_server, login, check_axe, screenshot
):
    if role != "public":
        login(page, getattr(live_server.data, role))
    missing = []
    for path in MAIN_PAGES[role]:
        response = page.goto(path)
        if response is None or response.status == 404:
            missing.append(path)
            continue
        assert response.status == 200, f"{path}: {response.status}"
        check_axe(page)
        screenshot(page, f"{role}-" + (re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"))
    assert not missing, f"pages not there yet: {missing}"
