"""'Mulige fag' in a real browser: a profile with skills but no wish shows possible
occupations with their reasons; one click adds one as a wish; the page in English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser

MOVER = "http://data.europa.eu/esco/occupation/c84a055d-00fe-4789-a054-f4a62914ff6e"


@pytest.fixture()
def profile_without_wish(live_server) -> Iterator[int]:
    """A profile with skills and a former job but no wish; closed afterwards, so that it
    competes with no other test's young person for the seats of the live database."""
    from models.enums import ProfileStatus
    from models.operations.profiles import ProfileInput, create_profile, set_profile_status
    from models.user import User
    from models.youth import YouthProfile

    def caseworker(session):
        return session.scalars(select(User).where(User.email == live_server.data.caseworker)).one()

    with live_server.session() as session:
        profile = create_profile(
            session,
            caseworker(session),
            ProfileInput(
                birth_year=date.today().year - 19,
                postcode="2200",
                skills=["gaffeltruck", "pakning", "lagerstyring", "rengøring"],
                former_jobs=["flyttearbejder"],
                wished_occupations=[],
            ),
        )
        session.commit()
        profile_id = profile.id
    yield profile_id
    with live_server.session() as session:
        profile = session.get(YouthProfile, profile_id)
        set_profile_status(session, caseworker(session), profile, ProfileStatus.CLOSED)
        session.commit()


def test_caseworker_adds_a_possible_occupation_as_wish(
    page, live_server, login, screenshot, check_axe, profile_without_wish
):
    profile_id = profile_without_wish
    login(page, live_server.data.caseworker)
    page.goto(f"/caseworker/profiles/{profile_id}")

    section = page.locator("section.possible-occupations")
    assert section.locator("h2").inner_text() == "Mulige fag"
    assert "forslag at tale igennem med den unge" in section.inner_text()
    items = section.locator("li")
    assert items.count() == 5
    first = items.first
    assert first.locator(".occupation").inner_text() == "flyttearbejder"
    assert first.locator(".reason").inner_text() == (
        "Kompetencer: gaffeltruck, pakning, rengøring (3 af 4 genkendte); tidligere job"
    )
    check_axe(page)
    screenshot(page, "caseworker-possible-occupations")

    first.get_by_role("button", name="Tilføj som ønske").click()
    page.wait_for_url(f"**/caseworker/profiles/{profile_id}")
    assert "flyttearbejder er tilføjet som ønske." in page.locator(".flashes").inner_text()
    wishes = page.locator("ul.wishes")
    assert wishes.inner_text().strip() == "flyttearbejder (forstået som: flyttearbejder)"
    assert "Allerede et ønske" in page.locator("section.possible-occupations li").first.inner_text()
    check_axe(page)
    with live_server.session() as session:
        from models.audit import AuditEvent
        from models.youth import YouthProfile

        assert session.get(YouthProfile, profile_id).wished_occupations == [MOVER]
        assert session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "profile.update", AuditEvent.object_id == profile_id
            )
        ).all()

    # The same page in English: the English reason and the English occupation label.
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**/caseworker/profiles/{profile_id}")
    section = page.locator("section.possible-occupations")
    assert section.locator("h2").inner_text() == "Possible occupations"
    first = section.locator("li").first
    assert first.locator(".occupation").inner_text() == "mover"
    assert first.locator(".reason").inner_text() == (
        "Skills: operate forklift, pack goods, clean surfaces (3 of 4 recognised); former job"
    )
    assert page.locator("ul.wishes").inner_text().strip() == "mover (understood as: mover)"
    check_axe(page)
    page.get_by_role("button", name="Dansk").click()


def test_profile_form_offers_occupations_for_wishes(
    page, live_server, login, check_axe, profile_without_wish
):
    profile_id = profile_without_wish
    login(page, live_server.data.caseworker)
    page.goto(f"/caseworker/profiles/{profile_id}/edit")
    wishes = page.get_by_label("Ønskede job")
    wishes.fill("bager, lagerarb")
    options = page.locator("#wished_occupations-options option")
    options.first.wait_for(state="attached")
    values = options.evaluate_all("nodes => nodes.map(n => n.value)")
    assert "bager, lagerarbejder" in values
    assert all(v.startswith("bager, ") for v in values)
    assert page.get_by_label("Tidligere job").input_value() == "flyttearbejder"
    assert page.get_by_role("group", name="Foretrukne typer").is_visible()
    check_axe(page)
