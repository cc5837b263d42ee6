"""Browser tests: a live server on a committed database, Debian's Chromium through Playwright.

Chromium cannot be downloaded here (``playwright install`` needs the network), so the suite
uses ``/usr/bin/chromium``. Without it the suite is skipped with a reason, unless
``UNGELOEFTET_REQUIRE`` contains ``browser`` (CI), where a missing browser is a failure.

Playwright's sync API runs its own event loop in this thread, so the Flask app is served by
werkzeug from another thread, on 127.0.0.1 and a free port, against a committed database
(demo data plus the data these tests need), never the rolled-back test session.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.x A and AA: what the Danish public sector must meet (webtilgængelighedsloven).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 740}


def _chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium); browser tests need it"
        if "browser" in os.environ.get("UNGELOEFTET_REQUIRE", ""):
            pytest.fail(f"UNGELOEFTET_REQUIRE=browser: {reason}", pytrace=False)
        pytest.skip(reason)
    return path


# --- data ------------------------------------------------------------------------------


@dataclass
class LiveData:
    """What the seeded database holds, for the tests to find their way."""

    password: str
    caseworker: str
    company: str
    mentor: str
    admin: str
    rapid_pseudonym: str = ""
    suggestion_ids: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def seed(session: Session) -> LiveData:
    """Demo data, and for the caseworker journey: suggestions and a rapid-search profile."""
    from jobs.demo import load_demo
    from models.base import utcnow
    from models.enums import Role, SuggestionStatus, TargetKind
    from models.opening import JobOpening
    from models.suggestion import Suggestion
    from models.user import User
    from models.youth import YouthProfile

    logins = {login.role: login for login in load_demo(session)}
    caseworker = session.scalars(select(User).where(User.email == logins["caseworker"].email)).one()
    profiles = list(
        session.scalars(
            select(YouthProfile)
            .where(YouthProfile.municipality_code == caseworker.municipality_code)
            .order_by(YouthProfile.id)
        )
    )
    company = session.scalars(select(User).where(User.email == logins["company"].email)).one()
    openings = list(
        session.scalars(
            select(JobOpening)
            .where(JobOpening.organisation_id == company.organisation_id)
            .order_by(JobOpening.id)
        )
    )
    now = utcnow()
    rapid = profiles[0]
    rapid.active_since = now - timedelta(days=45)
    ids = []
    for i, profile in enumerate(profiles[:4]):
        for j, opening in enumerate(openings[:2]):
            suggestion = Suggestion(
                youth=profile,
                target_kind=TargetKind.OPENING,
                opening=opening,
                score=round(0.99 - 0.02 * i - 0.01 * j, 2),  # above what the engine gives
                distance_km=2.5 + i,
                engine_version="browser-test",
                status=SuggestionStatus.PROPOSED,
                reasons=[
                    {
                        "code": "occupation",
                        "da": "Ønsker netop dette fag",
                        "en": "Wishes exactly this occupation",
                    },
                    {"code": "distance", "da": "Kort transporttid", "en": "Short commute"},
                ],
            )
            session.add(suggestion)
            session.flush()
            ids.append(suggestion.id)
    assert caseworker.role is Role.CASEWORKER
    return LiveData(
        password=logins["caseworker"].password,
        caseworker=logins["caseworker"].email,
        company=logins["company"].email,
        mentor=logins["mentor"].email,
        admin=logins["admin"].email,
        rapid_pseudonym=rapid.pseudonym,
        suggestion_ids=ids,
    )


# --- the live server -------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    data: LiveData
    database_url: str

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on the live database, for looking at what the pages did."""
        from models.session import make_engine

        engine = make_engine(self.database_url)
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()


def _warm_up_the_engine(session: Session) -> None:
    """Build the taxonomy and fit the engine once, here, not inside a timed page load."""
    from jobs.matching import engine_cache
    from models.base import utcnow
    from models.clock import local_date

    engine_cache.fitted(session, local_date(utcnow()))


@contextmanager
def serve(database_factory: Any, instance: Path) -> Iterator[LiveServer]:
    """A live server on a fresh, seeded database (its own: tests that change shared state,
    such as the engine's active weights, use one of their own)."""
    from werkzeug.serving import make_server

    from models.session import make_engine
    from web import create_app

    database_url = database_factory.create()
    engine = make_engine(database_url)
    with Session(engine) as session:
        data = seed(session)
        session.commit()
        _warm_up_the_engine(session)
    engine.dispose()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "MAIL_DIR": str(instance / "mail"),
            "INSTANCE_DIR": str(instance),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", data, database_url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def live_server(
    chromium_path: str, database_factory: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with serve(database_factory, tmp_path_factory.mktemp("live")) as server:
        yield server


# --- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _timeouts(context: Any) -> None:
    # Generous: the machine may be busy, and a page that saves a profile runs the engine.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)


@pytest.fixture()
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    _timeouts(context)
    yield context
    context.close()


@pytest.fixture()
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture()
def phone_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    _timeouts(context)
    yield context.new_page()
    context.close()


@pytest.fixture()
def login(live_server: LiveServer) -> Callable[..., Any]:
    """Log in through the real login form (e-mail of a seeded user)."""

    def do_login(page: Any, email: str, password: str | None = None) -> Any:
        page.goto("/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password or live_server.data.password)
        page.click("form.form button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, f"login failed for {email}"
        return page

    return do_login


@pytest.fixture()
def logout() -> Callable[[Any], None]:
    """Log out with the header's button; back on the login page."""

    def do_logout(page: Any) -> None:
        page.get_by_role("button", name="Log ud").click()
        page.wait_for_url("**/login")

    return do_logout


@pytest.fixture()
def fill_form() -> Callable[[Any, dict[str, Any]], None]:
    """Fill fields by their label, in order: text is typed, a list selects those options,
    ``True`` ticks a checkbox."""

    def fill(page: Any, fields: dict[str, Any]) -> None:
        for label, value in fields.items():
            field = page.get_by_label(label)
            if value is True:
                field.check()
            elif isinstance(value, list):
                field.select_option(value)
            else:
                field.fill(value)

    return fill


@pytest.fixture()
def publish_opening() -> Callable[[Any, dict[str, Any]], int]:
    """On the company's new-opening form: fill the fields by name (a list selects those
    options), publish, and return the new opening's id."""

    def publish(page: Any, fields: dict[str, Any]) -> int:
        for name, value in fields.items():
            if isinstance(value, list):
                page.locator(f"select[name={name}]").select_option(value)
            else:
                page.locator(f"input[name={name}]").fill(value)
        page.locator("button[name=action][value=publish]").click()
        page.wait_for_url("**/company/openings/*")
        return int(page.url.rstrip("/").rsplit("/", 1)[1])

    return publish


@pytest.fixture()
def submit_profile(fill_form: Callable[[Any, dict[str, Any]], None]) -> Callable[..., None]:
    """On the caseworker's profile form: fill ``fields``, tick the consent, "Opret profil"."""

    def submit(page: Any, fields: dict[str, Any]) -> None:
        fill_form(page, {**fields, "Den unge har givet samtykke": True})
        page.get_by_role("button", name="Opret profil").click()

    return submit


@pytest.fixture()
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page PNG under test-artifacts/screenshots/ (gitignored)."""

    def shoot(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture()
def check_axe() -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }

    def check(page: Any) -> list[dict[str, Any]]:
        # The page as its user sees it: after its stylesheet has loaded. A click that
        # navigates returns once the new address is committed; on a busy machine axe could
        # otherwise judge the unstyled page (the hidden skip link beside the header's links:
        # "target-size", seen once in CI).
        page.wait_for_load_state("load")
        results = axe.run(page, options=options)
        violations = results.response.get("violations", [])
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        assert not bad, f"{page.url}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
            for v in bad
        )
        return violations

    return check
