"""Decision data, the learning job, the admin's engine page (adopt, reject, return) and the
nightly run using the adopted config; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from jobs.engine_configs import (
    active_config,
    active_label,
    adopt_config,
    reject_config,
    restore_previous,
)
from jobs.learning import learn, run_learning
from jobs.matching import run_matching
from matcher import ENGINE_VERSION
from matcher.config import DEFAULT_OPENING_WEIGHTS
from matcher.learn import check_guard_rails
from models.audit import AuditEvent
from models.decisions import decision_rows
from models.engine_config import EngineConfigRow, config_version_of, engine_label
from models.enums import Outcome, Role, SuggestionStatus
from models.errors import Conflict
from models.operations.suggestions import (
    answer_as_company,
    approve_suggestion,
    record_outcome,
    reject_suggestion,
)
from models.suggestion import Suggestion

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_version_one_is_the_defaults_and_suggestions_name_their_config(
    db, make_youth, make_opening
):
    active = active_config(db)
    assert active.version == 1 and active.status == "active" and active.id is not None
    assert active.opening_weights == dict(DEFAULT_OPENING_WEIGHTS)
    youth = make_youth()
    make_opening()
    run_matching(db, NOW)
    stored = db.scalars(select(Suggestion).where(Suggestion.youth_id == youth.id)).all()
    assert stored
    for suggestion in stored:
        assert suggestion.engine_version == engine_label(ENGINE_VERSION, 1) == active_label(db)
        assert config_version_of(suggestion.engine_version) == 1
        # The component values it was scored with, every weighted component.
        assert set(suggestion.components) == set(DEFAULT_OPENING_WEIGHTS)


def test_every_decision_keeps_who_when_reason_and_outcome(
    db, make_user, make_youth, make_opening, make_suggestion
):
    caseworker = make_user(Role.CASEWORKER)
    company = make_user(Role.COMPANY)
    youth = make_youth(caseworker)
    first = make_suggestion(youth, make_opening(company))
    second = make_suggestion(youth, make_opening(company, title="Butiksassistent"))
    reject_suggestion(db, caseworker, first, "too_far", now=NOW)
    assert (first.decided_by_id, first.decided_at, first.reason_code) == (
        caseworker.id,
        NOW,
        "too_far",
    )
    approve_suggestion(db, caseworker, second, now=NOW)
    answer_as_company(db, company, second, True, now=NOW + timedelta(days=1))
    record_outcome(db, caseworker, second, Outcome.JOB, now=NOW + timedelta(days=9))
    assert second.responded_by_id == company.id
    assert second.outcome is Outcome.JOB and second.outcome_recorded_by_id == caseworker.id
    rows = {r["label"]: r for r in decision_rows(db)}
    assert set(rows) == {0, 1}  # rejected = 0, placed = 1


def _decisions(db, make_youth, make_opening, make_user, n_youth=22, n_openings=11, seed=0):
    """Decided suggestions whose caseworkers care about distance far more than the engine."""
    rng = np.random.default_rng(seed)
    caseworker = make_user(Role.CASEWORKER)
    openings = [make_opening(title=f"Lager {i}") for i in range(n_openings)]
    count = 0
    for i in range(n_youth):
        youth = make_youth(caseworker)
        for j, opening in enumerate(openings):
            components = {c: float(rng.random()) for c in DEFAULT_OPENING_WEIGHTS}
            approved = rng.random() < 1 / (1 + np.exp(-10 * (components["distance"] - 0.5)))
            db.add(
                Suggestion(
                    youth=youth,
                    target_kind="opening",
                    opening=opening,
                    score=0.5,
                    components=components,
                    reasons=[],
                    engine_version=engine_label(ENGINE_VERSION, 1),
                    status=SuggestionStatus.INTERESTED if approved else SuggestionStatus.REJECTED,
                    decided_by_id=caseworker.id,
                    decided_at=NOW - timedelta(days=60) + timedelta(minutes=i * 50 + j),
                )
            )
            count += 1
    db.flush()
    return count


def test_too_few_decisions_give_no_proposal(db, make_youth, make_opening, make_user):
    _decisions(db, make_youth, make_opening, make_user, n_youth=5, n_openings=5)
    row, figures = learn(db, NOW)
    assert row is None and figures["decisions"] == 25 and "fewer than" in figures["reason"]


def test_the_learning_job_proposes_and_the_admin_adopts_then_returns(
    db, client, login_as, make_user, make_youth, make_opening
):
    n = _decisions(db, make_youth, make_opening, make_user)
    assert n >= 200
    run = run_learning(db, NOW)
    assert run.status == "succeeded" and run.counts["proposed_version"] == 2
    proposal = db.scalars(select(EngineConfigRow).where(EngineConfigRow.version == 2)).one()
    assert proposal.status == "proposed" and proposal.based_on_version == 1
    check_guard_rails(proposal.opening_weights)
    assert proposal.opening_weights["distance"] > DEFAULT_OPENING_WEIGHTS["distance"] * 1.5
    assert proposal.figures["holdout_learned"]["auc"] > proposal.figures["holdout_current"]["auc"]

    admin = login_as(make_user(Role.ADMIN, name="Admin Alma"))
    page = client.get("/admin/engine")
    assert page.status_code == 200
    html = page.text
    main = html.split("<main")[-1].split("</main>")[0]
    assert "<svg" in main and "<script" not in main  # the chart needs no script
    assert 'data-weight-new="distance"' in html and "Forslag: version 2" in html
    response = client.post("/admin/engine/2/adopt")
    assert response.status_code == 302
    db.expire_all()
    assert active_config(db).version == 2 and proposal.adopted_by_id == admin.id
    assert db.scalars(select(EngineConfigRow).where(EngineConfigRow.version == 1)).one().status == (
        "retired"
    )
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "engine_config.adopt"))
    # Used from the next run on: new suggestions carry version 2.
    youth = make_youth()
    make_opening()
    run_matching(db, NOW)
    fresh = db.scalars(
        select(Suggestion).where(
            Suggestion.youth_id == youth.id, Suggestion.status == SuggestionStatus.PROPOSED
        )
    ).all()
    assert fresh and {s.engine_version for s in fresh} == {engine_label(ENGINE_VERSION, 2)}
    # One click back to version 1's weights (as version 3).
    assert "Vend tilbage til version 1" in client.get("/admin/engine").text
    client.post("/admin/engine/restore")
    db.expire_all()
    restored = active_config(db)
    assert (restored.version, restored.source, restored.based_on_version) == (3, "restored", 1)
    assert restored.opening_weights == dict(DEFAULT_OPENING_WEIGHTS)
    assert restored.adopted_by_id == admin.id


def test_reject_and_state_rules(db, make_user, make_youth, make_opening, client, login_as):
    _decisions(db, make_youth, make_opening, make_user)
    row, _figures = learn(db, NOW)
    assert row is not None
    admin = login_as(make_user(Role.ADMIN))
    client.post(f"/admin/engine/{row.version}/reject")
    db.expire_all()
    assert row.status == "rejected" and row.rejected_by_id == admin.id
    with pytest.raises(Conflict):
        adopt_config(db, admin, row)
    with pytest.raises(Conflict):
        reject_config(db, admin, active_config(db))
    with pytest.raises(Conflict):
        restore_previous(db, admin)  # nothing was ever retired
    assert client.post("/admin/engine/999/adopt").status_code == 404


def test_only_admins_see_the_engine_page(client, login_as, make_user):
    login_as(make_user(Role.CASEWORKER))
    assert client.get("/admin/engine").status_code in (403, 404)


def test_english_engine_page(client, login_as, make_user):
    login_as(make_user(Role.ADMIN, locale="en"))
    html = client.get("/admin/engine").text
    assert "Active: version 1" in html and re.search(r"No proposal is waiting", html)


def test_jobs_run_learning_from_the_command_line(runner):
    result = runner.invoke(args=["jobs", "run", "learning", "--now", "2026-11-29T05:15:00+01:00"])
    assert result.exit_code == 0, result.output
    assert "learning 2026-11-29: succeeded" in result.output and "fewer than 200" in result.output
