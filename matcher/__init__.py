"""Ungeløftet Match scoring engine: pure Python/NumPy, no Flask, no database, no I/O.

>>> from matcher import MatchEngine, EngineConfig, Youth, Opening
>>> from jobs.taxonomy import load_taxonomy                        # doctest: +SKIP
>>> engine = MatchEngine(EngineConfig(), load_taxonomy()).fit(openings, slots)  # doctest: +SKIP
>>> engine.rank(youths, k=10)       # {youth_id: [Match, ...]}      # doctest: +SKIP

See matcher/README.md for the pipeline, the scores and the allocation.
"""

from matcher.config import EngineConfig
from matcher.engine import MatchEngine
from matcher.taxonomy import Taxonomy
from matcher.types import Match, MentorSlot, Opening, Reason, Youth

__all__ = [
    "EngineConfig",
    "Match",
    "MatchEngine",
    "MentorSlot",
    "Opening",
    "Reason",
    "Taxonomy",
    "Youth",
]
ENGINE_VERSION = "0.1.0"
