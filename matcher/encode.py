"""Encoding of youth, openings and mentor slots into column arrays.

Everything the vectorised comparisons need is turned into NumPy arrays once: postcode
indices, language bit masks, padded arrays of occupation and concept ids, dates as day
numbers. Free text goes through :mod:`matcher.normalise` in batches.

Concepts
--------
A skill text (of a youth or an opening) becomes one *concept* id:

* ``s`` (``0 <= s < n_skills``) — an ESCO skill (project Danish label or English label);
* ``n_skills + o`` — an ESCO occupation, when the text names an occupation rather than a skill
  ("lagerarbejde"): the youth has experience as ``o``, and each skill of ``o`` counts as
  half-covered (essential 0.5, optional 0.25). This is how skills typed in Danish match
  through the occupations they belong to;
* ``n_skills + n_occupations + t`` — folded free text that maps to nothing; it still matches
  the same text written by the other side (and feeds TF-IDF similarity).

A youth's concepts are stored as a sorted table of keys ``youth_index << 40 | concept`` with a
coverage value, so coverage of any block of pairs is one ``np.searchsorted``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.infer import Inferred
from matcher.normalise import LabelMatcher, fold
from matcher.taxonomy import Taxonomy
from matcher.types import OPENING_KINDS, MentorSlot, Opening, Youth

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MaskArray = npt.NDArray[np.uint64]

KEY_SHIFT = 40
LANG_WORDS = 4  # 256 language codes; ISO 639-1 has 184
NO_DATE_EARLY = 0  # "available now"
NO_DATE_LATE = 10**7  # "no start date / no end date" (day numbers are ~7.4e5)
VIA_OCCUPATION = 0.5


def check_unique_ids(kind: str, ids: Sequence[int]) -> None:
    seen: set[int] = set()
    dupes = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if dupes:
        shown = ", ".join(str(d) for d in dupes[:10])
        raise ValueError(f"duplicate {kind} ids: {shown}")


def day(value: date | None, missing: int) -> int:
    return value.toordinal() if value is not None else missing


class Vocabulary:
    """Shared, growing vocabularies of one engine: languages, free-text concepts, interests."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.languages: dict[str, int] = {}
        self.texts: dict[str, int] = {}
        self.interest_matcher: LabelMatcher | None = None
        self._masks: dict[tuple[str, ...], MaskArray] = {}

    @property
    def text_offset(self) -> int:
        return self.taxonomy.n_skills + self.taxonomy.n_occupations

    def lang_mask(self, codes: Sequence[str]) -> MaskArray:
        key = tuple(codes)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        mask = self._lang_mask(codes)
        self._masks[key] = mask
        return mask

    def _lang_mask(self, codes: Sequence[str]) -> MaskArray:
        mask = np.zeros(LANG_WORDS, dtype=np.uint64)
        for code in codes:
            key = code.strip().lower()
            if not key:
                continue
            idx = self.languages.setdefault(key, len(self.languages))
            if idx >= 64 * LANG_WORDS:
                raise ValueError(f"more than {64 * LANG_WORDS} distinct language codes")
            mask[idx // 64] |= np.uint64(1) << np.uint64(idx % 64)
        return mask

    def text_concept(self, folded: str) -> int:
        return self.text_offset + self.texts.setdefault(folded, len(self.texts))

    def skill_concepts(self, texts: Sequence[str]) -> list[int]:
        """Concept id of each skill text (ESCO skill, ESCO occupation, or free text); -1 empty."""
        tx = self.taxonomy
        out = [-1] * len(texts)
        todo: list[int] = []
        for i, text in enumerate(texts):
            if text in tx.skill_index:
                out[i] = tx.skill_index[text]
            elif text in tx.occ_index:
                out[i] = tx.n_skills + tx.occ_index[text]
            else:
                todo.append(i)
        skill_hits = tx.skill_matcher.lookup([texts[i] for i in todo])
        rest = [i for i, hit in zip(todo, skill_hits, strict=True) if hit < 0]
        for i, hit in zip(todo, skill_hits, strict=True):
            if hit >= 0:
                out[i] = hit
        occ_hits = tx.occupation_matcher.lookup([texts[i] for i in rest])
        for i, hit in zip(rest, occ_hits, strict=True):
            if hit >= 0:
                out[i] = tx.n_skills + hit
            else:
                folded = fold(texts[i])
                out[i] = self.text_concept(folded) if folded else -1
        return out

    def occupations(self, texts: Sequence[str]) -> list[int]:
        """Occupation index of each text or ESCO URI; -1 when it maps to none."""
        tx = self.taxonomy
        out = [tx.occ_index.get(t, -1) for t in texts]
        todo = [i for i, o in enumerate(out) if o < 0 and not texts[i].startswith("http")]
        for i, hit in zip(
            todo, tx.occupation_matcher.lookup([texts[i] for i in todo]), strict=True
        ):
            out[i] = hit
        return out

    def wished_occupations(self, texts: Sequence[str]) -> list[int]:
        """Occupations a youth's wishes name, flattened; an ambiguous label gives all of its
        occupations (a youth who wishes "maskinoperatør" fits each of them)."""
        return [o for hits in self.wish_hits(texts) for o in hits]

    def wish_hits(self, texts: Sequence[str]) -> list[list[int]]:
        """Occupations named by each wish text (ESCO URI: itself; unknown URI: none)."""
        tx = self.taxonomy
        free = [t for t in texts if t not in tx.occ_index and not t.startswith("http")]
        found = iter(tx.occupation_matcher.lookup_all(free))
        out: list[list[int]] = []
        for t in texts:
            if t in tx.occ_index:
                out.append([tx.occ_index[t]])
            elif t.startswith("http"):
                out.append([])
            else:
                out.append(next(found))
        return out

    def interests(self, texts: Sequence[str]) -> list[int]:
        if self.interest_matcher is None or not texts:
            return [-1] * len(texts)
        return self.interest_matcher.lookup(texts)


def _padded(rows: Sequence[Sequence[int]]) -> IntArray:
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), max(width, 1)), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def _dedupe(values: Sequence[int]) -> list[int]:
    return sorted({v for v in values if v >= 0})


def _flat_lookup(per_row: Sequence[Sequence[str]], fn: object) -> list[list[int]]:
    """Apply a batch lookup ``fn(list[str]) -> list[int]`` to ragged rows in one call."""
    flat = [t for row in per_row for t in row]
    hits: list[int] = fn(flat)  # type: ignore[operator]
    out: list[list[int]] = []
    pos = 0
    for row in per_row:
        out.append(_dedupe(hits[pos : pos + len(row)]))
        pos += len(row)
    return out


@dataclass
class YouthArrays:
    items: list[Youth]
    ids: IntArray
    pc: IntArray
    commute: FloatArray
    birth_year: IntArray
    hours_min: FloatArray
    hours_max: FloatArray
    langs: MaskArray
    first_lang: MaskArray
    licence: BoolArray
    needs_mentor: BoolArray
    avail: IntArray
    wish_occ: IntArray
    skill_keys: IntArray
    skill_vals: FloatArray
    interest_ids: IntArray
    docs: list[str]
    # Occupations inferred from skills, former jobs and interests (matcher.infer).
    inferred: Inferred = field(default_factory=lambda: Inferred.empty(0))
    # Weight of each wished occupation (aligned with wish_occ): 1, or lower for the readings
    # of an ambiguous wish that the youth's skills support less.
    wish_weight: FloatArray = field(default_factory=lambda: np.ones((0, 1)))
    # ESCO skills of each youth (padded), for reasons ("4 of 6").
    esco_skills: IntArray = field(default_factory=lambda: np.full((0, 1), -1, dtype=np.int64))
    # Bit i set when the youth prefers OPENING_KINDS[i]; 0 = no preference.
    kind_pref: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lang_width: int = 1
    # TF-IDF rows per vectoriser ("opening" / "mentor_slot"), filled by the engine.
    text_cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        used = np.flatnonzero(self.langs.any(axis=0))
        self.lang_width = int(used.max()) + 1 if len(used) else 1

    def __len__(self) -> int:
        return len(self.items)


def encode_youths(youths: Sequence[Youth], vocab: Vocabulary) -> YouthArrays:
    """Encode active youth, sorted by id (inactive ones must be filtered by the caller)."""
    items = sorted(youths, key=lambda y: y.id)
    tx = vocab.taxonomy
    n = len(items)
    skills = _flat_lookup([y.skills for y in items], vocab.skill_concepts)
    hits = iter(vocab.wish_hits([t for y in items for t in y.wished_occupations]))  # one batch
    wish_groups = [[next(hits) for _ in y.wished_occupations] for y in items]
    wishes = [_dedupe([o for group in groups for o in group]) for groups in wish_groups]
    interests = _flat_lookup([y.interests for y in items], vocab.interests)
    n_sk = tx.n_skills
    esco = [[c for c in row if c < n_sk] for row in skills]
    former = _flat_lookup([y.former_jobs for y in items], vocab.occupations)
    experience = [
        sorted({c - n_sk for c in row if n_sk <= c < vocab.text_offset} | set(jobs))
        for row, jobs in zip(skills, former, strict=True)
    ]
    inferred = tx.occupation_model.infer(esco, experience, [y.interests for y in items])
    wish_occ = _padded(wishes)

    key_parts: list[IntArray] = []
    val_parts: list[FloatArray] = []
    occ_skills = tx.occ_skills
    for i, concepts in enumerate(skills):
        if concepts:
            arr = np.asarray(concepts, dtype=np.int64)
            key_parts.append((np.int64(i) << KEY_SHIFT) | arr)
            val_parts.append(np.ones(len(arr)))
        for o in experience[i]:
            lo, hi = occ_skills.indptr[o], occ_skills.indptr[o + 1]
            key_parts.append(
                (np.int64(i) << KEY_SHIFT) | occ_skills.indices[lo:hi].astype(np.int64)
            )
            val_parts.append(occ_skills.data[lo:hi] * VIA_OCCUPATION)
    keys, vals = _reduce_max(key_parts, val_parts)
    langs = np.stack([vocab.lang_mask(y.languages) for y in items]) if n else _no_langs(0)
    first = np.stack([vocab.lang_mask(y.languages[:1]) for y in items]) if n else _no_langs(0)
    return YouthArrays(
        items=items,
        ids=np.array([y.id for y in items], dtype=np.int64),
        pc=np.array([tx.postcode_index.get(y.postcode.strip(), -1) for y in items], dtype=np.int64),
        commute=np.array([float(y.max_commute_km) for y in items], dtype=np.float64),
        birth_year=np.array([y.birth_year for y in items], dtype=np.int64),
        hours_min=np.array([float(y.hours_min) for y in items], dtype=np.float64),
        hours_max=np.array([float(y.hours_max) for y in items], dtype=np.float64),
        langs=langs,
        first_lang=first,
        licence=np.array([y.driving_licence for y in items], dtype=np.bool_),
        needs_mentor=np.array([y.needs_mentor for y in items], dtype=np.bool_),
        avail=np.array([day(y.available_from, NO_DATE_EARLY) for y in items], dtype=np.int64),
        wish_occ=wish_occ,
        skill_keys=keys,
        skill_vals=vals,
        interest_ids=_padded(interests),
        docs=[
            " ".join((*y.wished_occupations, *y.former_jobs, *y.skills, *y.interests))
            for y in items
        ],
        inferred=inferred,
        wish_weight=_wish_weights(wish_occ, wish_groups, inferred),
        esco_skills=_padded(esco),
        kind_pref=np.array([_kind_bits(y.preferred_kinds) for y in items], dtype=np.int64),
    )


#: A reading of an ambiguous wish that the youth's skills do not support counts this much.
AMBIGUOUS_WISH_FLOOR = 0.85


def _wish_weights(
    wish_occ: IntArray, groups: Sequence[Sequence[Sequence[int]]], inferred: Inferred
) -> FloatArray:
    """Disambiguate wishes that name several occupations ("maskinoperatør") by the skills:
    the reading the skills support most keeps 1, the others fall towards the floor."""
    out = np.ones(wish_occ.shape)
    for i, row in enumerate(groups):
        if not any(len(g) > 1 for g in row):
            continue
        support = dict(zip(inferred.occ[i].tolist(), inferred.prob[i].tolist(), strict=True))
        weight: dict[int, float] = {}
        for g in row:
            if len(g) < 2:
                for o in g:
                    weight[o] = 1.0
                continue
            p = np.array([support.get(o, 0.0) for o in g])
            rel = p / p.max() if p.max() > 0 else np.ones(len(g))
            for o, r in zip(g, rel.tolist(), strict=True):
                w = AMBIGUOUS_WISH_FLOOR + (1.0 - AMBIGUOUS_WISH_FLOOR) * r
                weight[o] = max(weight.get(o, 0.0), w)
        cols = wish_occ[i]
        out[i] = [weight.get(int(o), 1.0) if o >= 0 else 1.0 for o in cols.tolist()]
    return out


def _kind_bits(kinds: Sequence[str]) -> int:
    bits = 0
    for kind in kinds:
        if kind in OPENING_KINDS:
            bits |= 1 << OPENING_KINDS.index(kind)
    return bits


def _no_langs(n: int) -> MaskArray:
    return np.zeros((n, LANG_WORDS), dtype=np.uint64)


def _reduce_max(keys: list[IntArray], vals: list[FloatArray]) -> tuple[IntArray, FloatArray]:
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    k = np.concatenate(keys)
    v = np.concatenate(vals)
    order = np.lexsort((-v, k))  # per key, the largest value first
    k, v = k[order], v[order]
    first = np.ones(len(k), dtype=np.bool_)
    first[1:] = k[1:] != k[:-1]
    return k[first], v[first]


@dataclass
class OpeningArrays:
    items: list[Opening]
    ids: IntArray
    pc: IntArray
    occ: IntArray
    req: IntArray
    n_req: IntArray
    nice: IntArray
    n_nice: IntArray
    hours_min: FloatArray
    hours_max: FloatArray
    min_age: IntArray
    start_year: IntArray
    start: IntArray
    licence: BoolArray
    langs: MaskArray
    mentor: BoolArray
    cap: IntArray
    docs: list[str]
    kind: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lang_width: int = 1

    def __post_init__(self) -> None:
        used = np.flatnonzero(self.langs.any(axis=0))
        self.lang_width = int(used.max()) + 1 if len(used) else 1

    def __len__(self) -> int:
        return len(self.items)


def encode_openings(
    openings: Sequence[Opening], vocab: Vocabulary, today: date, seat_multiplier: float
) -> OpeningArrays:
    items = sorted(openings, key=lambda o: o.id)
    tx = vocab.taxonomy
    occ = np.array(
        vocab.occupations([o.occupation_uri or o.title for o in items]), dtype=np.int64
    ).reshape(-1)
    req = _flat_lookup([o.required_skills for o in items], vocab.skill_concepts)
    nice = _flat_lookup([o.nice_skills for o in items], vocab.skill_concepts)
    n = len(items)
    return OpeningArrays(
        items=items,
        ids=np.array([o.id for o in items], dtype=np.int64),
        pc=np.array([tx.postcode_index.get(o.postcode.strip(), -1) for o in items], dtype=np.int64),
        occ=occ,
        req=_padded(req),
        n_req=np.array([len(r) for r in req], dtype=np.int64),
        nice=_padded(nice),
        n_nice=np.array([len(r) for r in nice], dtype=np.int64),
        hours_min=np.array([float(o.hours_min) for o in items], dtype=np.float64),
        hours_max=np.array([float(o.hours_max) for o in items], dtype=np.float64),
        min_age=np.array([o.min_age for o in items], dtype=np.int64),
        start_year=np.array([(o.start_date or today).year for o in items], dtype=np.int64),
        start=np.array([day(o.start_date, NO_DATE_LATE) for o in items], dtype=np.int64),
        licence=np.array([o.driving_licence_required for o in items], dtype=np.bool_),
        langs=np.stack([vocab.lang_mask(o.languages) for o in items]) if n else _no_langs(0),
        mentor=np.array([o.mentor_at_workplace for o in items], dtype=np.bool_),
        cap=np.array([int(np.ceil(seat_multiplier * o.seats)) for o in items], dtype=np.int64),
        docs=[
            " ".join((o.title, o.description, *o.required_skills, *o.nice_skills)) for o in items
        ],
        kind=np.array([OPENING_KINDS.index(o.kind) for o in items], dtype=np.int64),
    )


@dataclass
class SlotArrays:
    items: list[MentorSlot]
    ids: IntArray
    pc: IntArray
    max_dist: FloatArray
    capacity: IntArray
    cap: IntArray
    from_day: IntArray
    until_day: IntArray
    langs: MaskArray
    interest_ids: IntArray
    n_interests: IntArray
    docs: list[str]
    lang_width: int = 1

    def __post_init__(self) -> None:
        used = np.flatnonzero(self.langs.any(axis=0))
        self.lang_width = int(used.max()) + 1 if len(used) else 1

    def __len__(self) -> int:
        return len(self.items)


def encode_slots(
    slots: Sequence[MentorSlot], vocab: Vocabulary, seat_multiplier: float
) -> SlotArrays:
    items = sorted(slots, key=lambda s: s.id)
    tx = vocab.taxonomy
    interests = _flat_lookup([s.interests for s in items], vocab.interests)
    n = len(items)
    return SlotArrays(
        items=items,
        ids=np.array([s.id for s in items], dtype=np.int64),
        pc=np.array([tx.postcode_index.get(s.postcode.strip(), -1) for s in items], dtype=np.int64),
        max_dist=np.array([float(s.max_distance_km) for s in items], dtype=np.float64),
        capacity=np.array([s.capacity for s in items], dtype=np.int64),
        cap=np.array([int(np.ceil(seat_multiplier * s.capacity)) for s in items], dtype=np.int64),
        from_day=np.array([day(s.available_from, NO_DATE_EARLY) for s in items], dtype=np.int64),
        until_day=np.array([day(s.available_until, NO_DATE_LATE) for s in items], dtype=np.int64),
        langs=np.stack([vocab.lang_mask(s.languages) for s in items]) if n else _no_langs(0),
        interest_ids=_padded(interests),
        n_interests=np.array([len(r) for r in interests], dtype=np.int64),
        docs=[" ".join((s.title, s.description, *s.interests)) for s in items],
    )


def interest_matcher(slots: Sequence[MentorSlot], cutoff: float) -> LabelMatcher:
    """Fuzzy matcher onto the folded interests that mentor slots offer (ids by sorted text)."""
    labels = sorted({fold(t) for s in slots for t in s.interests} - {""})
    return LabelMatcher(labels, list(range(len(labels))), cutoff)
