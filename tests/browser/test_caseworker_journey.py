"""The caseworker's journey in a real browser: log in, create, review, decide."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.browser


def test_caseworker_creates_a_profile_and_decides_on_suggestions(
    page, live_server, login, screenshot, check_axe, submit_profile
):
    data = live_server.data
    login(page, data.caseworker)
    assert page.url.endswith("/caseworker/")

    # The profile list: the rapid-search profile is highlighted.
    rapid_row = page.locator(f'tr[data-pseudonym="{data.rapid_pseudonym}"]')
    assert "rapid-search" in (rapid_row.get_attribute("class") or "")
    assert "Hurtig jobsøgning" in rapid_row.inner_text()
    background = rapid_row.evaluate("row => getComputedStyle(row).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    check_axe(page)
    screenshot(page, "caseworker-profiles")

    # A new profile through the form, with one mistake first: nothing typed is lost.
    page.get_by_role("link", name="Ny profil").first.click()
    submit_profile(
        page,
        {
            "Fødselsår": str(date.today().year - 19),
            "Postnummer": "2200",
            "Ønskede job": "lagerarbejder, chauffør",
            "Kompetencer": "truckcertifikat, ring 12345678",
            "Interesser": "fodbold",
            "Støttenoter": "Har brug for faste rammer.",
        },
    )
    error = page.locator("#skills-error")
    assert "Fjern telefonnummeret" in error.inner_text()
    assert page.get_by_label("Ønskede job").input_value() == "lagerarbejder, chauffør"
    assert page.get_by_label("Støttenoter").input_value() == "Har brug for faste rammer."
    assert page.get_by_label("Kompetencer").get_attribute("aria-invalid") == "true"
    check_axe(page)
    screenshot(page, "caseworker-profile-form-error")
    submit_profile(page, {"Kompetencer": "truckcertifikat"})
    page.wait_for_url("**/caseworker/profiles/*")
    assert "er oprettet" in page.locator(".flashes").inner_text()
    assert "Har brug for faste rammer." in page.locator(".support-notes").inner_text()
    check_axe(page)
    screenshot(page, "caseworker-profile")

    # The review queue: approve one with a pitch, reject another with a reason.
    page.get_by_role("link", name="Forslag til gennemsyn").click()
    page.wait_for_url("**/caseworker/queue")
    check_axe(page)
    screenshot(page, "caseworker-queue")
    first, second = data.suggestion_ids[0], data.suggestion_ids[1]
    card = page.locator(f"#suggestion-{first}")
    assert "Ønsker netop dette fag" in card.inner_text()
    card.get_by_label("Præsentation til virksomheden eller mentoren").fill(
        "Mødestabil og glad for fysisk arbejde."
    )
    card.get_by_role("button", name="Godkend og send").click()
    page.wait_for_url("**/caseworker/queue")
    assert "Godkendt" in page.locator(".flashes").inner_text()
    assert page.locator(f"#suggestion-{first}").count() == 0

    card = page.locator(f"#suggestion-{second}")
    card.locator("summary").click()
    card.get_by_label("Begrundelse").select_option("too_far")
    card.get_by_label("Kommentar (valgfri)").fill("Ingen bus om morgenen")
    card.get_by_role("button", name="Afvis forslaget").click()
    page.wait_for_url("**/caseworker/queue")
    assert "Afvist" in page.locator(".flashes").inner_text()
    assert page.locator(f"#suggestion-{second}").count() == 0


def test_keyboard_reaches_the_main_actions_with_visible_focus(page, live_server, login):
    login(page, live_server.data.caseworker)
    page.goto("/caseworker/queue")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    target = live_server.data.suggestion_ids[2]
    pitch_id = f"s{target}-pitch"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == pitch_id:
            break
    else:
        pytest.fail("the pitch field cannot be reached with Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2
    page.keyboard.type("Rolig og stabil.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Godkend og send"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert style[0] != "none" and style[1] >= 2
    # The form posts and redirects back to the same URL: wait for that navigation itself
    # (waiting for the URL would return at once, before the page is replaced).
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/caseworker/queue")
    assert page.locator(f"#suggestion-{target}").count() == 0


def test_language_switch(page, live_server, login):
    login(page, live_server.data.caseworker)
    page.goto("/caseworker/queue")
    assert page.locator("h1").inner_text() == "Forslag til gennemsyn"
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/caseworker/queue")
    assert page.locator("h1").inner_text() == "Review queue"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Wishes exactly this occupation" in page.locator("main").inner_text()
    page.get_by_role("button", name="Dansk").click()
    page.wait_for_url("**/caseworker/queue")
    assert page.locator("h1").inner_text() == "Forslag til gennemsyn"


def test_phone_sized_viewport(phone_page, live_server, login, screenshot, check_axe):
    page = phone_page
    login(page, live_server.data.caseworker)
    for path, name in (
        ("/caseworker/", "profiles"),
        ("/caseworker/queue", "queue"),
        ("/caseworker/profiles/new", "new-profile"),
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways on a phone ({overflow}px)"
        check_axe(page)
        screenshot(page, f"phone-caseworker-{name}")
    page.goto("/caseworker/")
    # The table turns into stacked rows with their labels.
    assert page.locator("table.caseload thead").is_hidden()
    cell = page.locator("table.caseload tbody tr td").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Pseudonym" in label


def test_accessibility_of_the_main_caseworker_pages(page, live_server, login, check_axe):
    """The journey checks the list, the form, a new profile and the queue; these are the rest."""
    page.goto("/login")
    check_axe(page)
    login(page, live_server.data.caseworker)
    page.goto("/caseworker/?new=1&sort=follow_up")
    page.locator("table.caseload tbody a").first.click()  # a profile with new suggestions
    page.wait_for_url("**/caseworker/profiles/*")
    page.locator("details.reject summary").first.click()
    check_axe(page)
    page.get_by_role("link", name="Redigér profil").click()
    check_axe(page)
