"""Done when (issue 12), in a real browser: the caseworker opens the ad from the queue and
approves; the company answers "interested" and sees the caseworker's contact; the caseworker
records "Job"; the young person's other suggestions and the filled opening's other proposals
disappear from every queue and list. A full mentor slot shows no "Sig ja"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser

TITLE = "Kasseassistent, placeringstest"
AD_TEXT = "Du betjener kunderne ved kassen og hjælper med at fylde varer op."
PITCH = "Mødestabil og god til at tale med kunder."


def _setup(live_server: Any) -> dict[str, Any]:
    """One 1-seat opening and two young people proposed for it; a 1-place mentor slot with
    two offers waiting for the mentor."""
    from models.base import utcnow
    from models.enums import ProfileStatus, SuggestionStatus, TargetKind
    from models.mentor_slot import MentorSlot
    from models.opening import JobOpening
    from models.operations.mentor_slots import MentorSlotInput, create_mentor_slot
    from models.operations.openings import OpeningInput, post_opening
    from models.suggestion import Suggestion
    from models.user import User
    from models.youth import YouthProfile

    data = live_server.data
    with live_server.session() as session:
        users = {u.email: u for u in session.scalars(select(User))}
        caseworker, company, mentor = (
            users[data.caseworker],
            users[data.company],
            users[data.mentor],
        )
        youths = list(
            session.scalars(
                select(YouthProfile)
                .where(
                    YouthProfile.municipality_code == caseworker.municipality_code,
                    YouthProfile.status == ProfileStatus.ACTIVE,
                )
                .order_by(YouthProfile.id.desc())
                .limit(4)
            )
        )
        opening = post_opening(
            session,
            company,
            OpeningInput(
                title=TITLE,
                postcode="2200",
                description=AD_TEXT,
                hours_min=15,
                hours_max=30,
                seats=1,
                min_age=17,
                start_date=date.today() + timedelta(days=10),
            ),
        )
        other = session.scalars(
            select(JobOpening)
            .where(
                JobOpening.organisation_id == company.organisation_id, JobOpening.id != opening.id
            )
            .order_by(JobOpening.id)
        ).first()
        slot = create_mentor_slot(
            session,
            mentor,
            MentorSlotInput(title="Mentor, placeringstest", postcode="2200", capacity=1),
        )

        def suggest(
            youth: YouthProfile, target: Any, status: SuggestionStatus, score: float
        ) -> int:
            is_opening = isinstance(target, JobOpening)
            existing = session.scalars(
                select(Suggestion).where(
                    Suggestion.youth_id == youth.id,
                    (Suggestion.opening_id if is_opening else Suggestion.mentor_slot_id)
                    == target.id,
                )
            ).first()
            if existing is not None:
                session.delete(existing)
                session.flush()
            s = Suggestion(
                youth=youth,
                target_kind=TargetKind.OPENING if is_opening else TargetKind.MENTOR_SLOT,
                opening=target if is_opening else None,
                mentor_slot=None if is_opening else target,
                score=score,
                engine_version="browser-test",
                status=status,
                reasons=[{"code": "t", "da": "Passer godt", "en": "Fits well"}],
                decided_at=utcnow() if status is SuggestionStatus.APPROVED else None,
                decided_by_id=caseworker.id if status is SuggestionStatus.APPROVED else None,
            )
            session.add(s)
            session.flush()
            return s.id

        hired, rival, c, d = youths
        ids = {
            "hire": suggest(hired, opening, SuggestionStatus.PROPOSED, 0.999),
            "hired_other": suggest(hired, other, SuggestionStatus.PROPOSED, 0.998),
            "rival_sent": suggest(rival, opening, SuggestionStatus.APPROVED, 0.95),
            "c_new": suggest(c, opening, SuggestionStatus.PROPOSED, 0.997),
            "offer_1": suggest(c, slot, SuggestionStatus.APPROVED, 0.9),
            "offer_2": suggest(d, slot, SuggestionStatus.APPROVED, 0.9),
        }
        assert isinstance(slot, MentorSlot)
        result = {
            "ids": ids,
            "opening_id": opening.id,
            "slot_id": slot.id,
            "hired": hired.pseudonym,
            "hired_id": hired.id,
            "caseworker_email": caseworker.email,
        }
        session.commit()
    return result


def test_placement_closes_the_loop(page, live_server, login, logout, screenshot, check_axe):
    data = live_server.data
    setup = _setup(live_server)
    ids = setup["ids"]

    # 1. The caseworker reads the whole ad from the queue card, comes back and approves.
    login(page, data.caseworker)
    page.goto(f"/caseworker/queue?youth={setup['hired']}")
    card = page.locator(f"#suggestion-{ids['hire']}")
    assert "København N" in card.locator(".target-facts").inner_text()
    assert "1 plads tilbage" in card.inner_text()
    check_axe(page)
    card.get_by_role("link", name="Læs hele opslaget").click()
    page.wait_for_url(f"**/caseworker/openings/{setup['opening_id']}?**")
    assert AD_TEXT in page.locator(".ad-text").inner_text()
    facts = page.locator(".ad-facts").inner_text()
    assert "17 år" in facts and "1 af 1" in facts and "15–30" in facts
    assert "@" in page.locator(".contacts").inner_text()
    check_axe(page)
    screenshot(page, "placement-caseworker-ad")
    page.get_by_role("link", name="Tilbage til forslag til gennemsyn").click()
    page.wait_for_url("**/caseworker/queue**")
    card = page.locator(f"#suggestion-{ids['hire']}")
    card.get_by_label("Præsentation til virksomheden eller mentoren").fill(PITCH)
    card.get_by_role("button", name="Godkend og send").click()
    page.wait_for_url("**/caseworker/queue**")
    assert page.locator(f"#suggestion-{ids['hire']}").count() == 0
    logout(page)

    # 2. The company answers "interested" and sees what happens now and the contact.
    login(page, data.company)
    page.goto(f"/company/openings/{setup['opening_id']}")
    proposal = page.locator(f"#proposal-{ids['hire']}")
    assert PITCH in proposal.inner_text()
    proposal.get_by_role("button", name="Interesseret").click()
    page.wait_for_url(f"**/company/openings/{setup['opening_id']}*")
    proposal = page.locator(f"#proposal-{ids['hire']}")
    assert "Hvad sker der nu" in proposal.inner_text()
    assert setup["caseworker_email"] in proposal.locator(".caseworker-contact").inner_text()
    check_axe(page)
    screenshot(page, "placement-company-interested")
    assert page.locator(f"#proposal-{ids['rival_sent']} button[value=interested]").count() == 1
    logout(page)

    # 3. The caseworker has a task, and records "Job".
    login(page, data.caseworker)
    assert setup["hired"] in page.locator(".todo").inner_text()
    check_axe(page)
    page.goto(f"/caseworker/profiles/{setup['hired_id']}")
    card = page.locator(f"#suggestion-{ids['hire']}")
    card.locator("details.outcome-form summary").click()
    card.locator("select[name$='-outcome']").select_option("job")
    card.get_by_role("button", name="Registrér resultat").click()
    page.wait_for_url(f"**/caseworker/profiles/{setup['hired_id']}")
    other = page.locator(f"#suggestion-{ids['hired_other']}")
    assert "Trukket tilbage" in other.inner_text() and "kommet i job" in other.inner_text()
    check_axe(page)
    screenshot(page, "placement-caseworker-placed")

    # 4. ... and they are gone from every queue and list.
    page.goto("/caseworker/queue")
    for key in ("hire", "hired_other", "c_new"):
        assert page.locator(f"#suggestion-{ids[key]}").count() == 0, key
    page.goto(f"/caseworker/queue?youth={setup['hired']}")
    assert page.locator("article.suggestion").count() == 0
    logout(page)
    login(page, data.company)
    page.goto("/company/proposals")
    assert page.locator(f"form[action$='/proposals/{ids['rival_sent']}/answer']").count() == 0
    page.goto(f"/company/openings/{setup['opening_id']}")
    assert page.locator(f"#proposal-{ids['rival_sent']}").count() == 0
    assert page.locator("button[value=interested]").count() == 0
    page.goto("/company/?q=placeringstest&status=paused")  # the filled opening is paused
    assert page.locator(f"a[href='/company/openings/{setup['opening_id']}']").count() == 1
    check_axe(page)
    logout(page)

    # 5. A mentor slot with one place: after one "Sig ja", no more "Sig ja".
    login(page, data.mentor)
    page.goto(f"/mentor/slots/{setup['slot_id']}")
    assert page.get_by_role("button", name="Sig ja").count() == 2
    page.get_by_role("button", name="Sig ja").first.click()
    page.wait_for_url(f"**/mentor/slots/{setup['slot_id']}")
    assert page.get_by_role("button", name="Sig ja").count() == 0
    assert (
        "Fuld" in page.locator("h1").inner_text() and "Åben" not in page.locator("h1").inner_text()
    )
    check_axe(page)
    screenshot(page, "placement-mentor-full")
    page.goto("/mentor/")
    assert f"/mentor/offers/{ids['offer_2']}" not in page.content()
    page.goto("/mentor/slots")
    check_axe(page)


def test_a_refused_approval_keeps_the_queue_url_and_focuses_the_message(
    page, live_server, login, screenshot, check_axe
):
    login(page, live_server.data.caseworker)
    page.goto("/caseworker/queue?sort=newest&group=1")
    check_axe(page)  # the filters are open, the cards grouped by young person
    card = page.locator("article.suggestion").nth(2)
    card_id = card.get_attribute("id")
    card.locator("textarea").fill("Ring til hende på 12345678")
    card.get_by_role("button", name="Godkend og send").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/caseworker/queue?sort=newest&group=1#{card_id}-error")
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"{card_id}-error"
    assert "telefonnummer" in page.locator(f"#{card_id}-error").inner_text()
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert f"#{card_id}-error" in summary.locator("a").first.get_attribute("href")
    assert page.locator(f"#{card_id} textarea").input_value() == "Ring til hende på 12345678"
    check_axe(page)
    screenshot(page, "queue-refused-approval")
