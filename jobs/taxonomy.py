"""The engine's taxonomy from the shipped reference files, built once per process.

The readers are the models' (:mod:`models.reference`: plain CSV, no database); the engine's
:class:`matcher.Taxonomy` is built here, in the layer that may import both.
"""

from __future__ import annotations

from functools import lru_cache

from matcher.taxonomy import Taxonomy
from models.reference import (
    read_isco_groups,
    read_occupation_skills,
    read_occupations,
    read_postcodes,
    read_skills,
    read_star_mapping,
)


@lru_cache(maxsize=2)
def load_taxonomy(with_star_mapping: bool = True) -> Taxonomy:
    """The engine's taxonomy from the shipped files, built once per process."""
    return Taxonomy(
        occupations=read_occupations(),
        skills=read_skills(),
        occupation_skills=read_occupation_skills(),
        postcodes=read_postcodes(),
        isco_groups=read_isco_groups(),
        star_mapping=read_star_mapping() if with_star_mapping else (),
    )
