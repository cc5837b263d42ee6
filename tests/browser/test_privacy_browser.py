"""In a real browser, in Danish: a personal name in a profile is refused with a message that
says what was found; a discriminating ad is held for review and the admin sees it; languages
are picked by name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser


def test_a_name_is_refused_and_languages_are_picked_by_name(
    page, live_server, login, screenshot, check_axe, submit_profile
):
    login(page, live_server.data.caseworker)
    page.goto("/caseworker/profiles/new")
    submit_profile(
        page,
        {
            "Fødselsår": str(date.today().year - 20),
            "Postnummer": "2200",
            "Interesser": "Mads Jensen fra Valby, Instagram @madsj03",
            "Sprog": ["da", "so"],
        },
    )
    error = page.locator("#interests-error")
    assert "Fjern navnet »Mads Jensen«" in error.inner_text()
    assert "den unge skal være anonym" in error.inner_text()
    assert page.get_by_label("Interesser").get_attribute("aria-invalid") == "true"
    check_axe(page)
    screenshot(page, "privacy-name-refused")

    submit_profile(page, {"Interesser": "fodbold, Mads Mikkelsen-film"})
    page.wait_for_url("**/caseworker/profiles/*")
    facts = page.locator("dl.facts").first.inner_text()
    assert "Mads Mikkelsen-film" in facts
    assert "dansk, somali" in facts


def test_a_discriminating_ad_is_held_for_the_admin(page, live_server, login, screenshot, check_axe):
    login(page, live_server.data.company)
    page.goto("/company/openings/new")
    page.get_by_label("Titel").fill("Lagerhjælper")
    page.get_by_label("Erhverv").fill("lagerarbejder")
    page.get_by_label("Beskrivelse").fill("Pakning af varer. Ingen kvinder.")
    page.get_by_label("Postnummer").fill("2500")
    start = date.today() + timedelta(days=14)
    page.get_by_label("Startdato").fill(start.isoformat())
    page.get_by_role("button", name="Slå op", exact=True).click()
    page.wait_for_load_state()
    flash = page.locator(".flashes").inner_text()
    assert "Annoncen er ikke offentliggjort endnu" in flash
    assert "partnerskabsadministrator" in flash and "Køn" in flash
    check_axe(page)
    screenshot(page, "privacy-ad-held")

    page.context.clear_cookies()
    login(page, live_server.data.admin)
    page.get_by_role("link", name="Annoncer til gennemsyn").click()
    page.wait_for_url("**/admin/reviews")
    review = page.locator("article.review", has_text="Lagerhjælper")
    assert "Tilbageholdt: formuleringen kan være diskriminerende" in review.inner_text()
    assert "Ingen kvinder" in review.inner_text()
    check_axe(page)
    screenshot(page, "privacy-admin-reviews")
    review.get_by_label("Begrundelse (forfatteren ser den)").fill(
        "Annoncen udelukker kvinder; beskriv opgaverne i stedet."
    )
    review.get_by_role("button", name="Hold uoffentliggjort").click()
    page.wait_for_load_state()
    assert "forfatteren ser din begrundelse" in page.locator(".flashes").inner_text()
