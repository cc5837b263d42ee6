"""Engine configuration: weights, thresholds and sizes, with documented defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

#: Weights of the opening components (see matcher/README.md). Normalised by their sum.
DEFAULT_OPENING_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        # What the youth wishes (IPS: first) and what their skills, former jobs and interests
        # point to (matcher/infer.py; a youth with a wish counts it inferred_with_wish as much).
        "occupation": 0.35,
        "inferred": 0.35,
        # The rest orders openings of equal occupational fit.
        "skills_required": 0.10,
        "skills_nice": 0.05,
        "text": 0.05,
        "distance": 0.10,
        "hours": 0.05,
        "start": 0.05,
        "mentor": 0.05,
        "kind": 0.05,
    }
)

#: Weights of the mentor-slot components. Normalised by their sum.
DEFAULT_MENTOR_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "interests": 0.45,
        # Slot texts are mostly their interests; TF-IDF adds little and costs a pass over
        # every profile, so it is off by default. Give it a weight when slots carry more text.
        "text": 0.0,
        "language": 0.15,
        "distance": 0.25,
        "capacity": 0.05,
        "availability": 0.10,
    }
)


@dataclass(frozen=True)
class EngineConfig:
    """Parameters of :class:`matcher.MatchEngine` (scikit-learn style: stored, not learnt).

    Attributes
    ----------
    opening_weights, mentor_weights
        Component name -> weight (>= 0). A score is the weighted mean of its components, so
        it stays in [0, 1] whatever the weights. Unknown names raise ``ValueError``.
    occupation_levels
        Occupation fit for: same ESCO occupation, same ISCO 4-digit group, 3-digit, 2-digit.
    seat_multiplier
        An opening with n seats is proposed to at most ``ceil(seat_multiplier * n)`` youth per
        run; a mentor slot with c free places to at most ``ceil(seat_multiplier * c)``.
    start_tolerance_days
        A youth available up to this many days after an opening's start date (or a mentor
        slot's availability) is still proposed, with a lower start component.
    candidates_per_youth
        Retrieval keeps this many best plausible targets per youth for full scoring.
    fallback_candidates
        Youth with fewer than k plausible targets also get this many nearest reachable ones
        (IPS: zero exclusion).
    exhaustive_max_pairs
        Below this many geo-reachable pairs every reachable pair is scored (no retrieval):
        exact for small runs, the single-profile fast path, and tests.
    inferred_with_wish
        Share of the ``inferred`` component (occupations inferred from skills) that counts
        for a youth who has a wish (IPS: the wish first; 1.0 for a youth without one).
    required_vacuous, nice_vacuous, interests_vacuous
        Component value when the opening lists no required skills / no nice-to-have skills /
        the youth or slot lists
        no interests (neutral, neither rewarded nor punished).
    today
        Reference date for expiry, age and availability; ``None`` = ``date.today()`` at fit.
    random_state
        Seed for anything random (only tie-free synthetic data uses it; the engine itself is
        deterministic and breaks ties by id).
    """

    opening_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_OPENING_WEIGHTS)
    mentor_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_MENTOR_WEIGHTS)
    occupation_levels: tuple[float, float, float, float] = (1.0, 0.75, 0.5, 0.25)
    seat_multiplier: float = 5.0
    start_tolerance_days: int = 30
    candidates_per_youth: int = 30
    fallback_candidates: int = 30
    exhaustive_max_pairs: int = 2_000_000
    required_vacuous: float = 0.5
    nice_vacuous: float = 0.5
    interests_vacuous: float = 0.5
    inferred_with_wish: float = 0.3
    today: date | None = None
    random_state: int = 0

    def __post_init__(self) -> None:
        from matcher.compare import MENTOR_COMPONENTS, OPENING_COMPONENTS

        for label, weights, registry in (
            ("opening_weights", self.opening_weights, OPENING_COMPONENTS),
            ("mentor_weights", self.mentor_weights, MENTOR_COMPONENTS),
        ):
            unknown = sorted(set(weights) - set(registry))
            if unknown:
                raise ValueError(
                    f"{label}: unknown components {unknown}; known: {sorted(registry)}"
                )
            if any(not (w >= 0) for w in weights.values()):
                raise ValueError(f"{label}: weights must be >= 0")
            if sum(weights.values()) <= 0:
                raise ValueError(f"{label}: at least one weight must be > 0")
        if not all(0.0 <= v <= 1.0 for v in self.occupation_levels):
            raise ValueError("occupation_levels must lie in [0, 1]")
        if not self.seat_multiplier > 0:
            raise ValueError(f"seat_multiplier must be > 0, got {self.seat_multiplier}")
        for name in ("start_tolerance_days", "fallback_candidates", "exhaustive_max_pairs"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.candidates_per_youth < 1:
            raise ValueError("candidates_per_youth must be >= 1")
        if not 0 <= self.inferred_with_wish <= 1:
            raise ValueError("inferred_with_wish must lie in [0, 1]")
        vacuous = (self.required_vacuous, self.nice_vacuous, self.interests_vacuous)
        if not all(0 <= v <= 1 for v in vacuous):
            raise ValueError(
                "required_vacuous, nice_vacuous and interests_vacuous must lie in [0, 1]"
            )
