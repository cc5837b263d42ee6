"""Partnerships in a real browser (issue 16's "done when"):

an admin registers the municipality's contact person and invites a company; the company
creates its account from the mailed link and sees its partnership; a secretariat user sees
the national charts and the contact person and publishes an inspiration note, which a
caseworker sees on the start page; an education place is posted, suggested, approved and
recorded as "started education", and the caseworker's chart counts it. Every chart has its
table and every page passes axe.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRETARIAT = "sekretariat@demo.ungeloeftet.dk"  # jobs/demo.py
CONTACT = "Kirsten Kontaktperson"
NOTE = "Virksomhedsbesøg med den unge virker"
SCHOOL = "FGU Basis – produktionsspor, E2E"


def _check_charts(page, check_axe):
    """Every chart is a loaded picture with a table beside it; the page passes axe."""
    charts = page.locator("img.chart")
    tables = page.locator("table.figure-table")
    assert charts.count() == 8 and tables.count() == 8
    page.wait_for_function(
        "Array.from(document.querySelectorAll('img.chart'))"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    check_axe(page)


def _total(page, series):
    text = page.locator(f'td[data-total="{series}"]').first.inner_text()
    return int(text.replace(".", "")) if text.strip().isdigit() else text


def test_partnership_journey(
    browser,
    page,
    live_server,
    login,
    logout,
    check_axe,
    screenshot,
    fill_form,
    publish_opening,
    submit_profile,
):
    from models.enums import Role
    from models.notification import Notification
    from models.operations.accounts import create_user
    from models.organisation import Partnership
    from models.user import User

    data = live_server.data
    with live_server.session() as session:
        if session.scalar(select(User.id).where(User.email == SECRETARIAT)) is None:
            create_user(session, email=SECRETARIAT, password=data.password, role=Role.SECRETARIAT)
            session.commit()
        caseworker = session.scalars(select(User).where(User.email == data.caseworker)).one()
        partnership_id = session.scalar(
            select(Partnership.id).where(Partnership.name == "Ungeløftet København")
        )
        assert caseworker.municipality_code == 101 and partnership_id

    # 1. The admin registers the contact person and invites a company.
    login(page, data.admin)
    page.goto(f"/partnership/{partnership_id}")
    check_axe(page)
    page.get_by_role("link", name="Registrér kontaktpersonen").click()
    fill_form(
        page,
        {
            "Kommune": ["101"],
            "Navn": CONTACT,
            "Stillingsbetegnelse": "Ungekoordinator",
            "Arbejds-e-mail": "kirsten@kk.demo.dk",
            "Arbejdstelefon": "+45 33 66 33 66",
        },
    )
    check_axe(page)
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"**/partnership/{partnership_id}")
    assert CONTACT in page.locator("#contact-persons").inner_text()
    page.get_by_role("link", name="Invitér en virksomhed eller organisation").click()
    fill_form(
        page,
        {
            "Organisationens navn": "Bageriet Hvede ApS",
            "CVR-nummer": "12345674",
            "Kontaktens e-mail": "ejer@hvede.demo.dk",
        },
    )
    check_axe(page)
    page.get_by_role("button", name="Send invitationen").click()
    page.wait_for_url(f"**/partnership/{partnership_id}")
    assert "ejer@hvede.demo.dk" in page.locator(".flashes").inner_text()
    screenshot(page, "partnership-admin")
    logout(page)

    # 2. The company opens the mailed link, creates its account and sees its partnership.
    with live_server.session() as session:
        body = session.scalar(
            select(Notification.body_text).where(
                Notification.recipient_email == "ejer@hvede.demo.dk"
            )
        )
    link = re.search(r"https?://\S+(/invitation/[\w-]+)", body).group(1)
    page.goto(link)
    check_axe(page)
    page.get_by_label("Dit navn").fill("Hanne Hvede")
    page.get_by_label("Vælg en adgangskode").fill("rugbrød surdej ovn morgen")
    page.get_by_label("Gentag adgangskoden").fill("rugbrød surdej ovn morgen")
    page.get_by_role("button", name="Opret kontoen og sig ja").click()
    page.wait_for_url("**/partnership/*")
    assert "Ungeløftet København" in page.locator("h1").inner_text()
    assert "Bageriet Hvede ApS" in page.locator("#members-companies").inner_text()
    assert "Ungeløftet København" in page.locator(".partnership-bar").inner_text()
    check_axe(page)
    screenshot(page, "partnership-company")
    logout(page)

    # 3. The secretariat: national charts, the contact person, an inspiration note.
    login(page, SECRETARIAT)
    assert "/secretariat/" in page.url
    assert CONTACT in page.locator("#contact-persons").inner_text()
    _check_charts(page, check_axe)
    assert re.search(r"<5|\d", page.locator("#table-youth tfoot").inner_text())
    screenshot(page, "secretariat-national")
    page.get_by_role("link", name="Udgiv en inspirationsnote").first.click()
    page.get_by_label("Titel").fill(NOTE)
    page.get_by_label("Tekst").fill("Tag den unge med, når I besøger virksomheden første gang.")
    check_axe(page)
    page.get_by_role("button", name="Udgiv noten").click()
    page.wait_for_url("**/partnership/notes")
    assert NOTE in page.locator("main").inner_text()
    logout(page)

    # 4. The company posts an education place.
    login(page, data.company)
    page.goto("/company/openings/new")
    opening_id = publish_opening(
        page,
        {
            "title": SCHOOL,
            "kind": ["education"],
            "occupation": "lagerarbejder",
            "required_skills": "pakning af varer",
            "postcode": "2200",
            "hours_min": "20",
            "hours_max": "37",
            "start_date": (date.today() + timedelta(days=14)).isoformat(),
        },
    )
    logout(page)

    # 5. The caseworker sees the note, then the figures before the placement.
    login(page, data.caseworker)
    assert NOTE in page.locator(".inspiration").inner_text()
    check_axe(page)
    page.goto("/figures/")
    _check_charts(page, check_axe)
    before = _total(page, "placed_education")
    assert isinstance(before, int)

    # ... records a young person who wishes that, the engine suggests the education place.
    page.goto("/caseworker/profiles/new")
    submit_profile(
        page,
        {
            "Fødselsår": str(date.today().year - 18),
            "Postnummer": "2200",
            "Ønskede job": "lagerarbejder",
            "Kompetencer": "pakning af varer",
            "Timer om ugen, mindst": "20",
        },
    )
    page.wait_for_url("**/caseworker/profiles/*")
    profile_url = page.url
    pseudonym = page.locator("h1").inner_text().split()[-1]
    from models.suggestion import Suggestion
    from models.youth import YouthProfile

    def ours():
        with live_server.session() as session:
            return session.scalar(
                select(Suggestion.id)
                .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
                .where(Suggestion.opening_id == opening_id, YouthProfile.pseudonym == pseudonym)
            )

    # The profile's save suggested the education place at once (the engine cache applies
    # every save: jobs/matching/cache.py).
    suggestion_id = ours()
    assert suggestion_id, "the education place was not suggested"
    card = page.locator(f"#suggestion-{suggestion_id}")
    card.get_by_label("Præsentation til virksomheden eller mentoren").fill(
        "Vil gerne i gang med en uddannelse med praktiske opgaver."
    )
    card.get_by_role("button", name="Godkend og send").click()
    page.wait_for_load_state()
    page.goto(profile_url)
    card = page.locator(f"#suggestion-{suggestion_id}")
    card.locator("details.outcome-form summary").click()
    card.get_by_label("Resultat").select_option("education")
    card.get_by_role("button", name="Registrér resultat").click()
    page.wait_for_load_state()
    assert "Startet på uddannelse" in page.locator(f"#suggestion-{suggestion_id}").inner_text()

    # 6. The chart counts it, and its table equals an independent SQL count.
    page.goto("/figures/")
    _check_charts(page, check_axe)
    after = _total(page, "placed_education")
    assert after == before + 1
    from models.enums import Outcome

    with live_server.session() as session:
        counted = session.scalar(
            select(func.count())
            .select_from(Suggestion)
            .join(YouthProfile, YouthProfile.id == Suggestion.youth_id)
            .where(Suggestion.outcome == Outcome.EDUCATION, YouthProfile.municipality_code == 101)
        )
    assert after == counted
    screenshot(page, "figures-caseworker")
