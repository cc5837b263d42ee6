"""Feedback while working: busy submit buttons, character counters, no silent cutting."""

from __future__ import annotations


def test_counter_warns_instead_of_cutting_and_the_button_shows_it_is_busy(
    page, live_server, login, check_axe
):
    login(page, live_server.data.company)
    page.goto("/company/openings/new")
    counter = page.locator("#description-count")
    assert counter.inner_text() == "0 af 10.000 tegn"
    assert page.locator("#description").get_attribute("maxlength") is None
    page.fill("#description", "x" * 10_020)
    # Nothing is cut: the text stays, the counter and a message say what is wrong.
    assert page.eval_on_selector("#description", "e => e.value.length") == 10_020
    assert counter.inner_text() == "10.020 af 10.000 tegn"
    message = page.locator("#description-toolong")
    assert message.is_visible()
    assert "20 tegn for lang" in message.inner_text()
    assert page.locator("#description").get_attribute("aria-invalid") == "true"
    check_axe(page)
    page.fill("#title", "t" * 250)
    assert "50 tegn for lang" in page.locator("#title-toolong").inner_text()

    # Submitting a text that is too long is stopped here, at the first field that is too long.
    page.click("button[value=save]")
    assert page.url.endswith("/company/openings/new")
    assert page.evaluate("document.activeElement.id") == "title"

    page.fill("#title", "Lagermedarbejder")
    page.fill("#description", "Pak ordrer på lageret.")
    assert not message.is_visible()
    # Record what the button looks like as the form goes (the page is replaced afterwards),
    # and whether a second submit while busy is stopped.
    page.evaluate(
        """() => document.addEventListener("submit", (event) => {
            if (event.isTrusted === false) { return; }
            const b = event.submitter;
            const again = new SubmitEvent(
                "submit", {bubbles: true, cancelable: true, submitter: b});
            event.target.dispatchEvent(again);
            sessionStorage.setItem("busy", JSON.stringify([
                b.getAttribute("aria-busy"), b.classList.contains("is-busy"),
                b.querySelector(".busy-label").textContent, again.defaultPrevented]));
        })"""
    )
    page.click("button[value=save]")
    page.wait_for_load_state()
    busy = page.evaluate("JSON.parse(sessionStorage.getItem('busy'))")
    assert busy == ["true", True, "Arbejder, vent venligst …", True]
    assert page.locator("button[aria-busy=true]").count() == 0


def test_the_server_refuses_too_long_text_with_a_clear_message(page, live_server, login):
    login(page, live_server.data.company)
    page.goto("/company/openings/new")
    # Without the script's check (as if JavaScript were off), the server answers.
    page.evaluate("document.querySelector('form.form').setAttribute('novalidate', '')")
    page.fill("#title", "Lagermedarbejder")
    page.fill("#description", "x" * 10_001)
    page.evaluate("document.querySelector('form.form').submit()")
    page.wait_for_load_state()
    assert (
        "Feltet må højst være 10000 tegn langt." in page.locator("#description-error").inner_text()
    )
    # The text came back whole, to shorten.
    assert page.eval_on_selector("#description", "e => e.value.length") == 10_001
