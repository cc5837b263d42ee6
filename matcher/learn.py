"""Learning the opening weights from caseworkers' decisions (pure: NumPy and scikit-learn).

Input: one row per decided suggestion with its stored component values, a label (1 = approved
and answered positively, or placed; 0 = rejected), the young person it was for and when it
was decided. Output: a :class:`Proposal` with new weights on the engine's weight scale and
held-out figures beside the current weights, or ``None`` reasons when the data do not allow one.

The model
---------
scikit-learn's ``LogisticRegression`` of the label on the component values. The engine's
score is a weighted mean ``sum(w * c) / sum(w)``; a logistic model ``a + sum(b * c)`` orders
suggestions the same way when ``w`` is proportional to ``b``, so the learned weights are the
non-negative coefficients, rescaled to the current weights' total.

What keeps it honest
--------------------
* Enough data: fewer than :data:`MIN_DECISIONS` decisions (or fewer than 20 of either
  label) give no proposal.
* Evidence before change: the fit must beat the current weights' own score (one feature)
  in a likelihood-ratio test at ``alpha``; otherwise the weights stay as they are. When it
  does, the move towards the fit is shrunk by ``1 - df / D`` (James–Stein), so weak evidence
  moves them a little and random decisions (no evidence) not at all.
* Bounds: every weight in [:data:`MIN_WEIGHT`, :data:`MAX_WEIGHT`] of the total (a weight
  never reaches 0, so every component keeps being computed and stored, and can be learned
  again later).
* Guard rails (:func:`check_guard_rails`): the young person's wish ("occupation") keeps the
  largest weight (IPS: the wish first); only components on :data:`ALLOWED_COMPONENTS` are
  learned, and none is a protected attribute (age, gender, origin, language, health...).
  Hard constraints (licence, minimum age, commute, hours, languages required) are rules in
  matcher/blocking.py, not components: learning cannot touch them.
* Evaluation on the most recent decisions, held out from the fit: AUC, and NDCG of the
  approved items within each young person's list, for the current and the learned weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import chi2
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ndcg_score, roc_auc_score

from matcher.compare import OPENING_COMPONENTS

#: Components learning may weight: what the opening and the young person's own choices say.
#: None of them reads a protected attribute (age, gender, ethnic origin, first language,
#: religion, disability, health). "mentor" reads the caseworker's "needs a mentor" and gives
#: 1 whenever the need is met, so it never ranks one young person against another.
ALLOWED_COMPONENTS: tuple[str, ...] = (
    "occupation",
    "inferred",
    "skills_required",
    "skills_nice",
    "text",
    "distance",
    "hours",
    "start",
    "mentor",
    "kind",
)
#: Attributes no component may be built from (checked by name against the registry).
PROTECTED_ATTRIBUTES: tuple[str, ...] = (
    "age",
    "birth_year",
    "gender",
    "sex",
    "origin",
    "ethnicity",
    "nationality",
    "language",
    "first_language",
    "religion",
    "disability",
    "health",
    "municipality",
)
WISH = "occupation"
MIN_DECISIONS = 200
MIN_PER_LABEL = 20
MIN_WEIGHT = 0.01
MAX_WEIGHT = 0.5
HOLDOUT_SHARE = 0.2


class GuardRailError(ValueError):
    """A set of weights or a component registry crosses a guard rail."""


def check_components(names: Sequence[str] = tuple(OPENING_COMPONENTS)) -> None:
    """Every opening component is on the allow-list and none names a protected attribute."""
    unknown = sorted(set(names) - set(ALLOWED_COMPONENTS))
    if unknown:
        raise GuardRailError(f"components not on the allow-list: {unknown}")
    protected = sorted(n for n in names if n in PROTECTED_ATTRIBUTES)
    if protected:
        raise GuardRailError(f"components built from protected attributes: {protected}")


def check_guard_rails(weights: Mapping[str, float]) -> None:
    """Raise :class:`GuardRailError` when ``weights`` cross a guard rail."""
    check_components(list(weights))
    if any(not (w >= 0) for w in weights.values()):
        raise GuardRailError("weights must be >= 0")
    wish = weights.get(WISH, 0.0)
    others = [w for name, w in weights.items() if name != WISH]
    if wish <= 0 or (others and wish < max(others) - 1e-9):
        raise GuardRailError("the young person's wish (occupation) must keep the largest weight")


def weighted_score(
    components: np.ndarray, names: Sequence[str], weights: Mapping[str, float]
) -> np.ndarray:
    """The engine's weighted mean of the component columns (rows: suggestions)."""
    w = np.array([weights.get(n, 0.0) for n in names], dtype=np.float64)
    total = w.sum()
    return components @ w / total if total > 0 else np.zeros(len(components))


@dataclass
class Decisions:
    """Decided suggestions: ``components`` (rows × ``names``), ``labels`` (0/1), the young
    person (``groups``) and an order in time (``order``: larger is more recent)."""

    names: list[str]
    components: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    order: np.ndarray

    @classmethod
    def from_rows(
        cls, rows: Sequence[Mapping[str, Any]], names: Sequence[str] = ALLOWED_COMPONENTS
    ) -> Decisions:
        """Rows with ``components`` (dict), ``label``, ``youth`` and ``order``. A component
        a row lacks (its weight was 0 when it was scored) takes the column's mean."""
        names = [n for n in names if any(n in (r["components"] or {}) for r in rows)]
        x = np.array(
            [[float((r["components"] or {}).get(n, np.nan)) for n in names] for r in rows],
            dtype=np.float64,
        ).reshape(len(rows), len(names))
        if len(rows):
            means = np.nan_to_num(np.nanmean(np.where(np.isnan(x), np.nan, x), axis=0))
            x = np.where(np.isnan(x), means, x)
        return cls(
            names=list(names),
            components=x,
            labels=np.array([int(r["label"]) for r in rows], dtype=np.int64),
            groups=np.array([r["youth"] for r in rows]),
            order=np.array([r["order"] for r in rows], dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.labels)

    def take(self, mask: np.ndarray) -> Decisions:
        return Decisions(
            self.names,
            self.components[mask],
            self.labels[mask],
            self.groups[mask],
            self.order[mask],
        )


def ndcg_of_approved(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float | None:
    """Mean NDCG of the approved items within each young person's list (lists with at least
    two items and one approval); None when there is no such list."""
    values = []
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        if len(idx) < 2 or labels[idx].sum() == 0:
            continue
        values.append(ndcg_score(labels[idx][None, :], scores[idx][None, :]))
    return float(np.mean(values)) if values else None


def evaluate(data: Decisions, weights: Mapping[str, float]) -> dict[str, float | None]:
    """AUC, NDCG of approved items, and the approval rate among the top 3 per young person."""
    score = weighted_score(data.components, data.names, weights)
    auc = float(roc_auc_score(data.labels, score)) if 0 < data.labels.sum() < len(data) else None
    return {
        "auc": auc,
        "ndcg": ndcg_of_approved(score, data.labels, data.groups),
        "top3_approval": _top_rate(score, data.labels, data.groups, 3),
    }


def _top_rate(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray, k: int) -> float | None:
    hits: list[int] = []
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        best = idx[np.argsort(-scores[idx], kind="stable")[:k]]
        hits.extend(labels[best].tolist())
    return float(np.mean(hits)) if hits else None


@dataclass
class Proposal:
    weights: dict[str, float]
    current: dict[str, float]
    n_train: int
    n_holdout: int
    lr_statistic: float
    p_value: float
    shrinkage: float
    coefficients: dict[str, float]
    holdout_current: dict[str, float | None]
    holdout_learned: dict[str, float | None]
    notes: list[str] = field(default_factory=list)

    def as_figures(self) -> dict[str, Any]:
        return {
            "n_train": self.n_train,
            "n_holdout": self.n_holdout,
            "lr_statistic": round(self.lr_statistic, 3),
            "p_value": self.p_value,
            "shrinkage": round(self.shrinkage, 4),
            "coefficients": {k: round(v, 4) for k, v in self.coefficients.items()},
            "holdout_current": self.holdout_current,
            "holdout_learned": self.holdout_learned,
            "notes": self.notes,
        }


def _bounded(raw: Mapping[str, float], total: float) -> dict[str, float]:
    """Non-negative weights summing to ``total``, each within the bounds, the wish largest."""
    names = list(raw)
    w = np.array([max(0.0, raw[n]) for n in names], dtype=np.float64)
    if w.sum() <= 0:
        w = np.ones(len(names))
    w = w / w.sum()
    for _ in range(50):  # clip and renormalise until stable
        w = np.clip(w, MIN_WEIGHT, MAX_WEIGHT)
        if WISH in names:
            i = names.index(WISH)
            w[i] = max(w[i], np.delete(w, i).max() if len(w) > 1 else w[i])
        w = w / w.sum()
        if w.min() >= MIN_WEIGHT - 1e-12 and w.max() <= MAX_WEIGHT + 1e-12:
            break
    if WISH in names:  # the last renormalisation keeps the order: the wish stays largest
        i = names.index(WISH)
        w[i] = max(w[i], np.delete(w, i).max() if len(w) > 1 else w[i])
        w = w / w.sum()
    return {n: round(float(v * total), 4) for n, v in zip(names, w, strict=True)}


def _log_loss_sum(model: LogisticRegression, x: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(model.predict_proba(x)[:, 1], 1e-12, 1 - 1e-12)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum())


def why_not(data: Decisions) -> str | None:
    """Why these decisions allow no proposal (None when they do)."""
    if len(data) < MIN_DECISIONS:
        return f"fewer than {MIN_DECISIONS} decisions ({len(data)})"
    positives = int(data.labels.sum())
    if min(positives, len(data) - positives) < MIN_PER_LABEL:
        return f"fewer than {MIN_PER_LABEL} approvals or rejections"
    return None


def learn_weights(
    data: Decisions,
    current: Mapping[str, float],
    *,
    alpha: float = 0.01,
    holdout_share: float = HOLDOUT_SHARE,
) -> Proposal:
    """Fit, shrink, bound and evaluate (see the module docstring). Raises ``ValueError`` when
    :func:`why_not` gives a reason."""
    check_components(list(current))
    reason = why_not(data)
    if reason:
        raise ValueError(reason)
    names = [n for n in data.names if n in current]
    data = Decisions(
        names,
        data.components[:, [data.names.index(n) for n in names]],
        data.labels,
        data.groups,
        data.order,
    )
    cut = np.quantile(data.order, 1.0 - holdout_share)
    recent = data.order > cut
    train, holdout = data.take(~recent), data.take(recent)
    if why_not(train) or min(holdout.labels.sum(), len(holdout) - holdout.labels.sum()) < 1:
        train, holdout = data, data.take(np.zeros(len(data), dtype=bool))

    full = LogisticRegression(C=1e4, max_iter=2000).fit(train.components, train.labels)
    base_x = weighted_score(train.components, names, current)[:, None]
    base = LogisticRegression(C=1e4, max_iter=2000).fit(base_x, train.labels)
    statistic = max(
        0.0,
        2.0
        * (
            _log_loss_sum(base, base_x, train.labels)
            - _log_loss_sum(full, train.components, train.labels)
        ),
    )
    df = max(1, len(names) - 1)
    p_value = float(chi2.sf(statistic, df))
    shrinkage = 0.0 if p_value >= alpha else max(0.0, 1.0 - df / max(statistic, 1e-12))
    coefficients = dict(zip(names, full.coef_[0].tolist(), strict=True))
    total = float(sum(current[n] for n in names))
    learned = _bounded(coefficients, total)
    cur = {n: float(current[n]) for n in names}
    mixed = {n: cur[n] + shrinkage * (learned[n] - cur[n]) for n in names}
    weights = _bounded(mixed, total) if shrinkage > 0 else {n: round(cur[n], 4) for n in names}
    # Components the fit did not see keep their weight.
    weights |= {n: float(w) for n, w in current.items() if n not in weights}
    if shrinkage > 0:
        check_guard_rails(weights)
    notes = []
    if shrinkage == 0:
        notes.append("no_evidence")
    evaluation = holdout if len(holdout) else train
    return Proposal(
        weights=weights,
        current=dict(current),
        n_train=len(train),
        n_holdout=len(holdout),
        lr_statistic=statistic,
        p_value=p_value,
        shrinkage=shrinkage,
        coefficients=coefficients,
        holdout_current=evaluate(evaluation, current),
        holdout_learned=evaluate(evaluation, weights),
        notes=notes,
    )


def weight_change(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Largest change of a normalised weight between two sets of weights."""
    names = sorted(set(a) | set(b))
    ta, tb = sum(a.values()) or 1.0, sum(b.values()) or 1.0
    return max(abs(a.get(n, 0.0) / ta - b.get(n, 0.0) / tb) for n in names)
