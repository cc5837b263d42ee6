"""First-time guidance in a real browser: each role finds its start guide from any page,
reads it (steps, who sees what, the anonymous card), and goes on to its start page; the
admin sets the support contact that the guide then shows. Every page passes axe."""

from __future__ import annotations

import pytest

HOME = {
    "caseworker": "/caseworker/",
    "company": "/company/",
    "mentor": "/mentor/",
    "admin": "/admin/",
}


@pytest.mark.parametrize("role", list(HOME))
def test_each_role_goes_through_its_start_guide(role, page, live_server, login, check_axe):
    login(page, getattr(live_server.data, role))
    # From any page: the footer links to help.
    page.goto(HOME[role])
    page.click("footer >> text=Hjælp, startguide og support")
    assert page.url.endswith("/help/")
    check_axe(page)
    own = page.locator("a[aria-current=true]")
    assert own.count() == 1
    own.click()
    assert page.url.endswith(f"/help/start/{role}")
    steps = page.locator("ol.guide-steps li")
    assert steps.count() >= 4
    assert page.locator("h2", has_text="Hvem ser hvad").is_visible()
    example = page.locator("article.candidate-card")
    assert "Eksempel på forslag" in example.inner_text()
    assert "18–20" in example.inner_text()  # an age band, never a birth year or name
    check_axe(page)
    page.click("text=Ofte stillede spørgsmål >> nth=-1")
    assert page.url.endswith("/help/faq")
    first = page.locator("details.faq").first
    first.locator("summary").click()
    assert first.locator("p").is_visible()
    check_axe(page)
    page.go_back()
    page.click("text=Gå til din startside")
    assert page.url.endswith(HOME[role])


def test_a_new_visitor_reads_the_guide_before_logging_in(page, check_axe):
    page.goto("/login")
    page.click("footer >> text=Hjælp, startguide og support")
    page.click("text=Startguide for virksomhed")
    assert page.url.endswith("/help/start/company")
    check_axe(page)
    page.click("main >> text=Log ind")
    assert page.url.endswith("/login")


def test_support_contact_set_by_the_admin(page, live_server, login, check_axe):
    login(page, live_server.data.admin)
    page.goto("/admin/help-settings")
    page.locator("a", has_text="Ret supportkontakt for").first.click()
    check_axe(page)
    page.fill("#email", "hjaelp@partnerskab.dk")
    page.fill("#phone", "33 66 33 66")
    page.click("main button[type=submit]")
    assert page.url.endswith("/admin/help-settings")
    assert "hjaelp@partnerskab.dk" in page.inner_text("main")
    page.locator("a", has_text="Opsæt fælles login for").first.click()
    check_axe(page)
    page.goto("/help/")
    assert "hjaelp@partnerskab.dk" in page.inner_text("main")


def test_contextual_help_on_the_opening_form(page, live_server, login, check_axe):
    login(page, live_server.data.company)
    page.goto("/company/openings/new")
    help_box = page.locator("details.help")
    assert not help_box.locator("li").first.is_visible()  # folded until asked for
    help_box.locator("summary").click()
    assert "anonymt kort" in help_box.inner_text()
    check_axe(page)
