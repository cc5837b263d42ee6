"""The admin adopts a learned config in a real browser, and the next nightly run uses it.

Decisions are planted in the live database (caseworkers who care about distance far more than
the default weights); the admin asks for a proposal, sees old and new weights (chart and
table) and the held-out figures, adopts it; the nightly run stores suggestions labelled with
the new version; the admin returns to the previous weights with one click. The fairness page
passes axe too.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def live_server(chromium_path, database_factory, tmp_path_factory):
    """A server of its own: adopting weights and running the night change shared state."""
    from tests.browser.conftest import serve

    with serve(database_factory, tmp_path_factory.mktemp("live-learning")) as server:
        yield server


def _plant_decisions(live_server) -> int:
    from matcher.config import DEFAULT_OPENING_WEIGHTS
    from models.base import utcnow
    from models.enums import Role, SuggestionStatus, TargetKind
    from models.opening import JobOpening
    from models.suggestion import Suggestion
    from models.user import User
    from models.youth import YouthProfile

    rng = random.Random(5)
    now = utcnow()
    with live_server.session() as session:
        taken = set(session.execute(select(Suggestion.youth_id, Suggestion.opening_id)).all())
        caseworker = session.scalars(select(User).where(User.role == Role.CASEWORKER)).first()
        youths = session.scalars(select(YouthProfile.id).order_by(YouthProfile.id)).all()
        openings = session.scalars(select(JobOpening.id).order_by(JobOpening.id)).all()
        count = 0
        for y in youths[-30:]:
            for o in openings[-14:]:
                if (y, o) in taken:
                    continue
                components = {c: rng.random() for c in DEFAULT_OPENING_WEIGHTS}
                approved = rng.random() < (0.9 if components["distance"] > 0.5 else 0.1)
                session.add(
                    Suggestion(
                        youth_id=y,
                        target_kind=TargetKind.OPENING,
                        opening_id=o,
                        score=0.5,
                        components=components,
                        reasons=[],
                        engine_version="0.1.0+w1",
                        status=SuggestionStatus.INTERESTED
                        if approved
                        else SuggestionStatus.REJECTED,
                        decided_by_id=caseworker.id,
                        decided_at=now - timedelta(days=40) + timedelta(minutes=count),
                        reason_code=None if approved else "too_far",
                    )
                )
                count += 1
        session.commit()
    return count


def test_admin_adopts_a_learned_config_and_the_next_night_uses_it(
    page, live_server, login, screenshot, check_axe
):
    from jobs.nightly import run_nightly
    from models.base import utcnow
    from models.engine_config import EngineConfigRow
    from models.session import make_engine
    from models.suggestion import Suggestion

    assert _plant_decisions(live_server) >= 200
    login(page, live_server.data.admin)
    page.get_by_role("link", name="Motorens vægte").click()
    page.get_by_role("button", name="Lær af beslutningerne nu").click()
    page.wait_for_load_state()
    proposal = page.locator("section.proposal").first
    heading = proposal.get_by_role("heading", level=2).inner_text()
    version = int(re.search(r"version (\d+)", heading).group(1))
    assert proposal.locator("svg[role=img] title").first.text_content().startswith("Vægte")
    old = float(proposal.locator('[data-weight-old="distance"]').inner_text().replace(",", "."))
    new = float(proposal.locator('[data-weight-new="distance"]').inner_text().replace(",", "."))
    assert new > old  # these caseworkers care about distance
    assert proposal.get_by_text("AUC (godkendte rangeret over afviste)").is_visible()
    check_axe(page)
    screenshot(page, "admin-engine-proposal")
    proposal.get_by_role("button", name=f"Tag version {version} i brug").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Version {version} er taget i brug").is_visible()
    assert page.get_by_role("heading", name=f"I brug: version {version}").is_visible()

    # The next nightly run scores with the adopted config.
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(live_server.database_url)
    try:
        factory = sessionmaker(engine, expire_on_commit=False)
        run = run_nightly(factory, utcnow() + timedelta(days=1), force=True)
        assert run.status == "succeeded", run.error
        with factory() as session:
            labels = set(
                session.scalars(
                    select(Suggestion.engine_version).where(Suggestion.run_id == run.id)
                )
            )
            active = session.scalars(
                select(EngineConfigRow).where(EngineConfigRow.status == "active")
            ).one()
    finally:
        engine.dispose()
    assert active.version == version and active.adopted_by_id is not None
    assert labels == {f"0.1.0+w{version}"}

    # One click back to the previous weights (a new version with version 1's weights).
    page.reload()
    page.get_by_role("button", name="Vend tilbage til version 1").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=f"I brug: version {version + 1}").is_visible()

    page.get_by_role("link", name="Ligebehandling").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() >= 1
    check_axe(page)
    screenshot(page, "admin-fairness")
