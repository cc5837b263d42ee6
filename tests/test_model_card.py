"""``ungeloeftet model-card`` renders the engine version, weights, held-out figures and
fairness figures from the data into docs/MODEL_CARD_CURRENT.md."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.engine_configs import adopt_config, propose_config
from models.enums import Role
from models.fairness import fairness_cells
from tests.test_fairness import NOW, demo  # noqa: F401 - the demo fixture


def test_model_card_shows_the_data(db, demo, runner, make_user, tmp_path):  # noqa: F811
    admin = make_user(Role.ADMIN)
    weights = {
        "occupation": 0.3,
        "inferred": 0.2,
        "skills_required": 0.1,
        "skills_nice": 0.05,
        "text": 0.05,
        "distance": 0.15,
        "hours": 0.05,
        "start": 0.05,
        "mentor": 0.025,
        "kind": 0.025,
    }
    figures = {
        "n_train": 400,
        "n_holdout": 100,
        "holdout_current": {"auc": 0.61, "ndcg": 0.8, "top3_approval": 0.5},
        "holdout_learned": {"auc": 0.67, "ndcg": 0.84, "top3_approval": 0.55},
    }
    adopt_config(db, admin, propose_config(db, weights, figures, created_by=admin))
    out = tmp_path / "MODEL_CARD_CURRENT.md"
    result = runner.invoke(args=["model-card", "--output", str(out)])
    assert result.exit_code == 0, result.output
    card = out.read_text(encoding="utf-8")
    assert "active configuration version 2 (learned" in card and "`0.1.0+w2`" in card
    assert "| distance | 0.150 | 15.0% |" in card
    assert "| AUC | 0.610 | 0.670 |" in card
    assert admin.email not in card and (admin.name or "@") not in card
    cells = fairness_cells(db, datetime.now(UTC).date())
    flagged = next(c for c in cells if c.flagged)
    assert (
        f"| {flagged.stage} | {flagged.attribute} | {flagged.label} | {flagged.n} | "
        f"{flagged.ratio:.2f} |" in card
    )
    small = next(c for c in cells if c.suppressed)
    assert f"| {small.stage} | {small.attribute} | {small.label} | <10 | – | – | |" in card
    printed = runner.invoke(args=["model-card", "--output", "-"])
    assert printed.exit_code == 0 and printed.output.startswith("# Model card: current figures")


def test_model_card_without_learning_yet(runner):
    printed = runner.invoke(args=["model-card", "--output", "-"])
    assert printed.exit_code == 0, printed.output
    assert "active configuration version 1 (defaults" in printed.output
    assert "No learning run has had enough decisions yet." in printed.output
