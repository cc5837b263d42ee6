"""The vocabulary the engine matches on: ESCO occupations and skills, ISCO groups, postcodes.

A :class:`Taxonomy` is built from plain records (``csv.DictReader`` rows or any mappings with
the same keys as the shipped CSVs); the matcher itself reads no files. Use
``jobs.taxonomy.load_taxonomy()`` for the shipped reference data.

Expected keys
-------------
occupations
    ``esco_uri, isco_code, preferred_label_da, alt_labels_da ('|'-separated),
    preferred_label_en``
isco_groups
    ``isco_code, label_da, label_en``
skills
    ``skill_uri, preferred_label_en``
occupation_skills
    ``occupation_uri, skill_uri, relation_type ('essential' | 'optional')``
postcodes
    ``postcode, lat, lon`` (``name, municipality_code`` optional)
star_mapping (optional)
    ``star_title_da, esco_uri, esco_concept_type, relation``: Danish job titles used on
    Jobnet, added as extra occupation labels (exact and close matches only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matcher.infer import OccupationModel
from matcher.normalise import LabelMatcher
from matcher.skill_labels_da import PROJECT_SKILL_LABELS_DA

Record = Mapping[str, str]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5


def _isco(value: str | None) -> int:
    text = (value or "").strip()
    return int(text) if text.isdigit() else -1


class Taxonomy:
    """Occupations, skills and postcodes, indexed for vectorised lookups.

    Attributes
    ----------
    occ_uris, occ_label_da, occ_label_en, occ_isco4
        One entry per occupation (index = occupation id inside the engine).
    skill_uris, skill_label_en, skill_label_da
        One entry per skill; ``skill_label_da`` is the project's own translation or "".
    occ_skills
        CSR matrix occupations × skills: 1.0 essential, 0.5 optional.
    postcodes, pc_lat, pc_lon
        Postcode strings and their coordinates in degrees.
    """

    def __init__(
        self,
        occupations: Iterable[Record],
        skills: Iterable[Record],
        occupation_skills: Iterable[Record],
        postcodes: Iterable[Record],
        isco_groups: Iterable[Record] = (),
        star_mapping: Iterable[Record] = (),
        skill_labels_da: Mapping[str, tuple[str, ...]] | None = None,
        occupation_cutoff: float = 86.0,
        skill_cutoff: float = 88.0,
    ) -> None:
        occ_rows = sorted(occupations, key=lambda r: r["esco_uri"])
        self.occ_uris: list[str] = [r["esco_uri"] for r in occ_rows]
        if len(set(self.occ_uris)) != len(self.occ_uris):
            raise ValueError("duplicate esco_uri in occupations")
        self.occ_index: dict[str, int] = {u: i for i, u in enumerate(self.occ_uris)}
        self.occ_label_da: list[str] = [
            r.get("preferred_label_da") or r.get("preferred_label_en") or "" for r in occ_rows
        ]
        self.occ_label_en: list[str] = [
            r.get("preferred_label_en") or r.get("preferred_label_da") or "" for r in occ_rows
        ]
        self.occ_isco4: IntArray = np.array(
            [_isco(r.get("isco_code")) for r in occ_rows], dtype=np.int64
        )
        self.occ_alt_labels: list[list[str]] = [
            [a for a in (r.get("alt_labels_da") or "").split("|") if a] for r in occ_rows
        ]
        self._star: list[tuple[str, int]] = []
        for r in star_mapping:
            idx = self.occ_index.get(r.get("esco_uri", ""), -1)
            if idx >= 0 and r.get("relation") in ("exactMatch", "closeMatch"):
                self._star.append((r["star_title_da"], idx))

        skill_rows = sorted(skills, key=lambda r: r["skill_uri"])
        self.skill_uris: list[str] = [r["skill_uri"] for r in skill_rows]
        if len(set(self.skill_uris)) != len(self.skill_uris):
            raise ValueError("duplicate skill_uri in skills")
        self.skill_index: dict[str, int] = {u: i for i, u in enumerate(self.skill_uris)}
        self.skill_label_en: list[str] = [r.get("preferred_label_en", "") for r in skill_rows]
        by_label = {label: i for i, label in enumerate(self.skill_label_en)}
        labels_da = PROJECT_SKILL_LABELS_DA if skill_labels_da is None else skill_labels_da
        self._skill_da: list[tuple[str, int]] = []
        self.skill_label_da: list[str] = [""] * len(self.skill_uris)
        for en_label, da_labels in labels_da.items():
            sidx = by_label.get(en_label, -1)
            if sidx >= 0 and da_labels:
                self.skill_label_da[sidx] = da_labels[0]
                self._skill_da.extend((label, sidx) for label in da_labels)

        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r in occupation_skills:
            o = self.occ_index.get(r["occupation_uri"], -1)
            s = self.skill_index.get(r["skill_uri"], -1)
            if o < 0 or s < 0:
                continue
            rows.append(o)
            cols.append(s)
            vals.append(
                ESSENTIAL_WEIGHT if r.get("relation_type") == "essential" else OPTIONAL_WEIGHT
            )
        mat = sp.coo_matrix(
            (np.array(vals, dtype=np.float64), (np.array(rows, dtype=np.int64), cols)),
            shape=(len(self.occ_uris), len(self.skill_uris)),
        ).tocsr()
        # Duplicates (a pair both essential and optional) keep the stronger relation.
        mat.sum_duplicates()
        mat.data = np.minimum(mat.data, ESSENTIAL_WEIGHT)
        self.occ_skills: sp.csr_matrix = mat

        self.isco_label: dict[int, tuple[str, str]] = {
            _isco(r["isco_code"]): (r.get("label_da", ""), r.get("label_en", ""))
            for r in isco_groups
        }

        pc_rows = sorted(postcodes, key=lambda r: str(r["postcode"]))
        self.postcodes: list[str] = [str(r["postcode"]).strip() for r in pc_rows]
        self.postcode_index: dict[str, int] = {p: i for i, p in enumerate(self.postcodes)}
        self.pc_lat: FloatArray = np.array([float(r["lat"]) for r in pc_rows], dtype=np.float64)
        self.pc_lon: FloatArray = np.array([float(r["lon"]) for r in pc_rows], dtype=np.float64)
        self.pc_municipality: list[str] = [str(r.get("municipality_code", "")) for r in pc_rows]
        self.occupation_cutoff = occupation_cutoff
        self.skill_cutoff = skill_cutoff

    @property
    def n_occupations(self) -> int:
        return len(self.occ_uris)

    @property
    def n_skills(self) -> int:
        return len(self.skill_uris)

    @cached_property
    def occupation_matcher(self) -> LabelMatcher:
        """Danish preferred + alternative labels, English labels, Jobnet titles."""
        labels: list[str] = []
        targets: list[int] = []
        for i, label in enumerate(self.occ_label_da):
            labels.append(label)
            targets.append(i)
        for i, alts in enumerate(self.occ_alt_labels):
            labels.extend(alts)
            targets.extend([i] * len(alts))
        for title, i in self._star:
            labels.append(title)
            targets.append(i)
        for i, label in enumerate(self.occ_label_en):
            labels.append(label)
            targets.append(i)
        return LabelMatcher(labels, targets, self.occupation_cutoff)

    @cached_property
    def skill_matcher(self) -> LabelMatcher:
        """Project Danish labels first (they are what people type), then ESCO English."""
        labels = [label for label, _ in self._skill_da] + self.skill_label_en
        targets = [i for _, i in self._skill_da] + list(range(len(self.skill_label_en)))
        return LabelMatcher(labels, targets, self.skill_cutoff)

    @cached_property
    def occupation_model(self) -> OccupationModel:
        """The occupation–skill model that infers occupations from skills (built once)."""
        return OccupationModel(self.occ_skills, self.occ_isco4)

    def occupation_label(self, idx: int, locale: str) -> str:
        return self.occ_label_en[idx] if locale == "en" else self.occ_label_da[idx]

    def skill_label(self, idx: int, locale: str) -> str:
        if locale == "da" and self.skill_label_da[idx]:
            return self.skill_label_da[idx]
        return self.skill_label_en[idx]
