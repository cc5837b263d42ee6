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

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matcher.arrays import rank_in_runs, run_starts, spans
from matcher.infer import Inferred
from matcher.normalise import LabelMatcher, fold
from matcher.taxonomy import Taxonomy
from matcher.types import OPENING_KINDS, MentorSlot, Opening, Youth

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MaskArray = npt.NDArray[np.uint64]

KEY_SHIFT = 40
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


#: Languages spoken in Denmark's partnerships get the first 64 bits (one word: the usual case);
#: every other two-letter ISO 639-1 code has a fixed bit after them.
COMMON_LANGUAGES = (
    "da", "en", "de", "sv", "no", "is", "fo", "kl", "ar", "so", "tr", "pl", "uk", "ru", "fa",
    "ps", "ur", "ro", "bg", "lt", "lv", "et", "fi", "es", "fr", "it", "pt", "nl", "ku", "ti",
    "am", "sq", "bs", "hr", "sr", "hu", "cs", "sk", "el", "vi", "th", "zh", "ta", "hi", "pa",
    "bn", "tl", "sw", "ne",
)  # fmt: skip
_COMMON_BIT = {code: i for i, code in enumerate(COMMON_LANGUAGES)}
LANG_WORDS = 1 + (26 * 26 + 63) // 64  # 64 common + 676 two-letter codes
#: Free-text concepts are hashed into this many ids (no growing dictionary: the engine stays
#: read-only after fit, and equal text gets the same id in every engine and process).
TEXT_SPACE = 1 << 38


def language_bit(code: str) -> int:
    """The fixed bit of an ISO 639-1 code ("da", "ar"...; "ar-SA" counts as "ar"); -1 if the
    code is not two letters."""
    key = code.strip().lower().split("-")[0].split("_")[0]
    if key in _COMMON_BIT:
        return _COMMON_BIT[key]
    if len(key) != 2 or not ("a" <= key[0] <= "z" and "a" <= key[1] <= "z"):
        return -1
    return 64 + (ord(key[0]) - 97) * 26 + (ord(key[1]) - 97)


@lru_cache(maxsize=4096)
def lang_mask(codes: tuple[str, ...]) -> MaskArray:
    """Bit mask of language codes (see :func:`language_bit`); read-only array."""
    mask = np.zeros(LANG_WORDS, dtype=np.uint64)
    for code in codes:
        bit = language_bit(code)
        if bit >= 0:
            mask[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    mask.flags.writeable = False
    return mask


def text_concept_id(folded: str, offset: int) -> int:
    """Concept id of free text that maps to no ESCO skill or occupation (stable hash)."""
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest()
    return offset + int.from_bytes(digest, "big") % TEXT_SPACE


class Vocabulary:
    """What an engine maps text onto: the taxonomy and the interests its mentor slots offer.

    Read-only once made (ranking never changes it): languages have fixed bits, free-text
    concepts hashed ids; ``interest_labels`` are the folded interests of the slots, in id order
    (a new slot's new interests are appended, so earlier ids stay valid).
    """

    def __init__(
        self, taxonomy: Taxonomy, interest_labels: Sequence[str] = (), cutoff: float | None = None
    ) -> None:
        self.taxonomy = taxonomy
        self.interest_labels: tuple[str, ...] = tuple(interest_labels)
        self.interest_matcher: LabelMatcher | None = (
            LabelMatcher(
                list(self.interest_labels),
                list(range(len(self.interest_labels))),
                taxonomy.skill_cutoff if cutoff is None else cutoff,
            )
            if self.interest_labels
            else None
        )

    def with_interests(self, texts: Sequence[str]) -> Vocabulary:
        """This vocabulary with the new folded interests among ``texts`` appended (or itself)."""
        known = set(self.interest_labels)
        new = sorted({fold(t) for t in texts} - known - {""})
        if not new:
            return self
        return Vocabulary(self.taxonomy, (*self.interest_labels, *new))

    @property
    def text_offset(self) -> int:
        return self.taxonomy.n_skills + self.taxonomy.n_occupations

    def lang_mask(self, codes: Sequence[str]) -> MaskArray:
        return lang_mask(tuple(codes))

    def text_concept(self, folded: str) -> int:
        return text_concept_id(folded, self.text_offset)

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
    """Ragged integer rows as one array, each row padded with -1 (at least one column)."""
    row, values = _ragged(rows)
    lengths = np.bincount(row, minlength=len(rows))
    width = int(lengths.max()) if len(rows) else 0
    out = np.full((len(rows), max(width, 1)), -1, dtype=np.int64)
    out[row, rank_in_runs(row)] = values
    return out


def _dedupe(values: Sequence[int]) -> list[int]:
    return sorted({v for v in values if v >= 0})


def _flat_lookup(per_row: Sequence[Sequence[str]], fn: object) -> list[list[int]]:
    """Apply a batch lookup ``fn(list[str]) -> list[int]`` to ragged rows in one call, once
    per distinct text (the look-ups are per text: a batch only shares the work); each row's
    hits deduplicated and sorted, misses dropped (as :func:`_dedupe`)."""
    flat = [t for row in per_row for t in row]
    distinct = list(dict.fromkeys(flat))
    found: list[int] = fn(distinct)  # type: ignore[operator]
    hit = dict(zip(distinct, found, strict=True))
    lengths = np.fromiter(map(len, per_row), dtype=np.int64, count=len(per_row))
    values = np.fromiter(map(hit.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(per_row), dtype=np.int64), lengths)
    return _sorted_sets(rows, values, len(per_row))


def _sorted_sets(rows: IntArray, values: IntArray, n: int) -> list[list[int]]:
    """For each of ``n`` rows, its distinct values >= 0 in ascending order (what
    :func:`_dedupe` gives row by row), from (row, value) entries."""
    ok = values >= 0
    # np.unique by a sort and the runs' starts: NumPy's np.unique hashes integers first
    # (national youth skills: 26 ms a call against 4 ms; the same sorted distinct keys).
    key = np.sort((rows[ok] << KEY_SHIFT) | values[ok])
    key = key[run_starts(key)]
    flat: list[int] = (key & ((1 << KEY_SHIFT) - 1)).tolist()
    bounds: list[int] = np.searchsorted(key >> KEY_SHIFT, np.arange(n + 1)).tolist()
    return [flat[bounds[i] : bounds[i + 1]] for i in range(n)]


def _ragged(rows: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    """(row index, value) of every entry of ragged integer rows."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    values = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    return np.repeat(np.arange(len(rows), dtype=np.int64), lengths), values


@dataclass(frozen=True)
class WishCells:
    """:attr:`YouthArrays.wish_cells`: youth ``i``'s wishes are cells ``first[i]`` to
    ``first[i] + count[i]`` of ``occ`` (the occupation) and ``weight`` (its weight)."""

    count: IntArray
    first: IntArray
    occ: IntArray
    weight: FloatArray


class _Languages:
    """The language masks of one side of the pairs (youth, openings, mentor slots)."""

    langs: MaskArray
    lang_width: int

    def __post_init__(self) -> None:
        used = np.flatnonzero(self.langs.any(axis=0))
        self.lang_width = int(used.max()) + 1 if len(used) else 1

    @cached_property
    def lang_word(self) -> MaskArray:
        """The first 64-bit word of the masks, contiguous: all there is while fewer than 64
        language codes are in use (``lang_width == 1``), and the language rules gather it per
        pair (a gather from the column of a 2-D array is about three times slower)."""
        return np.ascontiguousarray(self.langs[:, 0])


@dataclass
class YouthArrays(_Languages):
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
    # The interest labels interest_ids refer to (the vocabulary's, when encoded).
    interest_labels: tuple[str, ...] = ()
    lang_width: int = 1
    # TF-IDF rows per target kind ("opening" / "mentor_slot"): (vectoriser, rows), filled by
    # the engine on first use (idempotent: the same vectoriser always gives the same rows).
    text_cache: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def wish_cells(self) -> WishCells:
        """The wishes that exist, as cells in youth order (most youth have one or two wishes;
        the padded width is that of the youth with the most). Computed once per index, so a
        fast path does not walk every youth's wishes on each call."""
        rows, cols = np.nonzero(self.wish_occ >= 0)
        count = np.bincount(rows, minlength=len(self.wish_occ))
        return WishCells(
            count=count,
            first=np.cumsum(count) - count,
            occ=self.wish_occ[rows, cols],
            weight=self.wish_weight[rows, cols],
        )


def youth_doc_parts(y: Youth) -> tuple[str, ...]:
    """The phrases of a youth's text document (joined by spaces: ``YouthArrays.docs``)."""
    return (*y.wished_occupations, *y.former_jobs, *y.skills, *y.interests)


def opening_doc_parts(o: Opening) -> tuple[str, ...]:
    """The phrases of an opening's text document (joined by spaces: ``OpeningArrays.docs``)."""
    return (o.title, o.description, *o.required_skills, *o.nice_skills)


def slot_doc_parts(s: MentorSlot) -> tuple[str, ...]:
    """The phrases of a mentor slot's text document (joined by spaces: ``SlotArrays.docs``)."""
    return (s.title, s.description, *s.interests)


def encode_youths(youths: Sequence[Youth], vocab: Vocabulary) -> YouthArrays:
    """Encode active youth, sorted by id (inactive ones must be filtered by the caller)."""
    items = sorted(youths, key=lambda y: y.id)
    tx = vocab.taxonomy
    n = len(items)
    skills = _flat_lookup([y.skills for y in items], vocab.skill_concepts)
    texts = list(dict.fromkeys(t for y in items for t in y.wished_occupations))
    hits = dict(zip(texts, vocab.wish_hits(texts), strict=True))  # one batch, once per text
    wish_groups = [[hits[t] for t in y.wished_occupations] for y in items]
    wishes = _sorted_sets(
        np.array([i for i, gs in enumerate(wish_groups) for g in gs for _ in g], dtype=np.int64),
        np.array([o for gs in wish_groups for g in gs for o in g], dtype=np.int64),
        n,
    )
    interests = _flat_lookup([y.interests for y in items], vocab.interests)
    n_sk, n_text = tx.n_skills, vocab.text_offset  # (properties: read once, not per entry)
    esco = [[c for c in row if c < n_sk] for row in skills]
    former = _flat_lookup([y.former_jobs for y in items], vocab.occupations)
    experience = [
        sorted({c - n_sk for c in row if n_sk <= c < n_text} | set(jobs))
        for row, jobs in zip(skills, former, strict=True)
    ]
    inferred = tx.occupation_model.infer(esco, experience, [y.interests for y in items])
    wish_occ = _padded(wishes)

    keys, vals = _skill_table(skills, experience, tx.occ_skills)
    langs = _lang_masks(vocab, [tuple(y.languages) for y in items])
    first = _lang_masks(vocab, [tuple(y.languages[:1]) for y in items])
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
        docs=[" ".join(youth_doc_parts(y)) for y in items],
        inferred=inferred,
        wish_weight=_wish_weights(wish_occ, wish_groups, inferred),
        esco_skills=_padded(esco),
        kind_pref=np.array([_kind_bits(y.preferred_kinds) for y in items], dtype=np.int64),
        interest_labels=vocab.interest_labels,
    )


#: A reading of an ambiguous wish that the youth's skills do not support counts this much.
AMBIGUOUS_WISH_FLOOR = 0.85


def _wish_weights(
    wish_occ: IntArray, groups: Sequence[Sequence[Sequence[int]]], inferred: Inferred
) -> FloatArray:
    """Disambiguate wishes that name several occupations ("maskinoperatør") by the skills:
    the reading the skills support most keeps 1, the others fall towards the floor.

    A wished occupation's weight is 1 when some wish names it alone, else the largest over
    the wishes naming it of ``floor + (1 - floor) * p / best`` (``p`` its inferred
    probability, ``best`` the largest among the wish's readings; 1 when none is supported).
    Computed over the (youth, wish, occupation) cells at once (national: 12,700 youth with
    an ambiguous wish, 0.16 s as a loop per youth)."""
    out = np.ones(wish_occ.shape)
    flat = list(chain.from_iterable(groups))  # every wish of every youth, youth by youth
    if not flat:
        return out
    n_wishes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    size = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
    occ = np.fromiter(chain.from_iterable(flat), dtype=np.int64, count=int(size.sum()))
    row = np.repeat(np.repeat(np.arange(len(groups), dtype=np.int64), n_wishes), size)
    first = np.zeros(len(occ), dtype=np.bool_)  # the first cell of each wish
    first[(np.cumsum(size) - size)[size > 0]] = True
    size = np.repeat(size, size)  # per cell: the size of its wish
    multi = np.flatnonzero(size > 1)
    if not len(multi):
        return out
    # Each cell of an ambiguous wish: its occupation's probability in the youth's top list
    # (0 when not listed; the last entry, as a dict of the row would keep).
    top = inferred.occ[row[multi]]
    hit = top == occ[multi][:, None]
    last = top.shape[1] - 1 - np.argmax(hit[:, ::-1], axis=1)
    p = np.where(hit.any(axis=1), inferred.prob[row[multi], last], 0.0)
    # The wish's best: its cells are consecutive, so one maximum per wish.
    starts = np.flatnonzero(first[multi])
    best = np.repeat(np.maximum.reduceat(p, starts), np.diff(np.r_[starts, len(multi)]))
    rel = np.ones(len(multi))
    np.divide(p, best, out=rel, where=best > 0)
    w = AMBIGUOUS_WISH_FLOOR + (1.0 - AMBIGUOUS_WISH_FLOOR) * rel
    # Onto the youth's wished occupations (sorted within each row: one key search).
    rows_w, cols_w = np.nonzero(wish_occ >= 0)
    keys = (rows_w << KEY_SHIFT) | wish_occ[rows_w, cols_w]
    at = np.searchsorted(keys, (row << KEY_SHIFT) | occ)
    found = keys[np.minimum(at, len(keys) - 1)] == (row << KEY_SHIFT) | occ
    weight = np.zeros(len(keys))
    np.maximum.at(weight, at[multi][found[multi]], w[found[multi]])
    alone = np.zeros(len(keys), dtype=np.bool_)
    single = np.flatnonzero((size == 1) & found)
    alone[at[single]] = True
    named = np.zeros(len(keys), dtype=np.bool_)
    named[at[multi][found[multi]]] = True
    out[rows_w, cols_w] = np.where(alone | ~named, 1.0, weight)
    return out


def _kind_bits(kinds: Sequence[str]) -> int:
    bits = 0
    for kind in kinds:
        if kind in OPENING_KINDS:
            bits |= 1 << OPENING_KINDS.index(kind)
    return bits


def _no_langs(n: int) -> MaskArray:
    return np.zeros((n, LANG_WORDS), dtype=np.uint64)


def _lang_masks(vocab: Vocabulary, rows: Sequence[tuple[str, ...]]) -> MaskArray:
    """The language mask of each row: each distinct combination made once and gathered (a
    national population speaks a few hundred combinations; one mask per youth stacked one by
    one was a tenth of a second)."""
    if not rows:
        return _no_langs(0)
    number: dict[tuple[str, ...], int] = {}
    which = np.fromiter(
        (number.setdefault(r, len(number)) for r in rows), dtype=np.int64, count=len(rows)
    )
    out: MaskArray = np.stack([vocab.lang_mask(r) for r in number])[which]
    return out


def _skill_table(
    skills: Sequence[Sequence[int]], experience: Sequence[Sequence[int]], occ_skills: sp.csr_matrix
) -> tuple[IntArray, FloatArray]:
    """The sorted (youth << KEY_SHIFT | concept) keys with their coverage: 1 for an own
    concept, ``VIA_OCCUPATION`` times the relation weight for a skill of an occupation worked
    in; the largest value per key."""
    rows, concepts = _ragged(skills)
    e_rows, occ = _ragged(experience)
    lo = occ_skills.indptr[occ].astype(np.int64)
    count = occ_skills.indptr[occ + 1].astype(np.int64) - lo
    at = spans(lo, count)  # every relation of every occupation worked in: one ragged gather
    keys = [
        (rows << KEY_SHIFT) | concepts,
        (np.repeat(e_rows, count) << KEY_SHIFT) | occ_skills.indices[at].astype(np.int64),
    ]
    vals = [np.ones(len(concepts)), occ_skills.data[at] * VIA_OCCUPATION]
    return _reduce_max(keys, vals)


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
class OpeningArrays(_Languages):
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

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def latest_birth_year(self) -> IntArray:
        """The latest birth year old enough for each opening (start year minus minimum age):
        the minimum-age rule then gathers one value per side of a pair instead of three (the
        openings' gathers are random accesses: most of the rule's cost at national scale)."""
        out: IntArray = self.start_year - self.min_age
        return out


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
        langs=_lang_masks(vocab, [tuple(o.languages) for o in items]),
        mentor=np.array([o.mentor_at_workplace for o in items], dtype=np.bool_),
        cap=np.array([int(np.ceil(seat_multiplier * o.seats)) for o in items], dtype=np.int64),
        docs=[" ".join(opening_doc_parts(o)) for o in items],
        kind=np.array([OPENING_KINDS.index(o.kind) for o in items], dtype=np.int64),
    )


@dataclass
class SlotArrays(_Languages):
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

    def __len__(self) -> int:
        return len(self.items)


def encode_slots(
    slots: Sequence[MentorSlot], vocab: Vocabulary, seat_multiplier: float
) -> SlotArrays:
    items = sorted(slots, key=lambda s: s.id)
    tx = vocab.taxonomy
    interests = _flat_lookup([s.interests for s in items], vocab.interests)
    return SlotArrays(
        items=items,
        ids=np.array([s.id for s in items], dtype=np.int64),
        pc=np.array([tx.postcode_index.get(s.postcode.strip(), -1) for s in items], dtype=np.int64),
        max_dist=np.array([float(s.max_distance_km) for s in items], dtype=np.float64),
        capacity=np.array([s.capacity for s in items], dtype=np.int64),
        cap=np.array([int(np.ceil(seat_multiplier * s.capacity)) for s in items], dtype=np.int64),
        from_day=np.array([day(s.available_from, NO_DATE_EARLY) for s in items], dtype=np.int64),
        until_day=np.array([day(s.available_until, NO_DATE_LATE) for s in items], dtype=np.int64),
        langs=_lang_masks(vocab, [tuple(s.languages) for s in items]),
        interest_ids=_padded(interests),
        n_interests=np.array([len(r) for r in interests], dtype=np.int64),
        docs=[" ".join(slot_doc_parts(s)) for s in items],
    )


def slot_interest_labels(slots: Sequence[MentorSlot]) -> list[str]:
    """The folded interests mentor slots offer, sorted (the ids of a freshly fitted engine)."""
    return sorted({fold(t) for s in slots for t in s.interests} - {""})


# --------------------------------------------------------------------------- incremental


@dataclass(frozen=True)
class _Splice:
    """Where the rows of ``old`` (minus removed ids) and ``new`` go, in id order."""

    keep: BoolArray
    order: IntArray  # combined row (kept old rows, then new rows) of each final row
    old_to_final: IntArray  # final row of each old row (-1: removed)
    new_to_final: IntArray
    # The common save: the same ids removed and added again (changed rows). The order then
    # stays the old one and each new row replaces the old row at ``in_place`` — one copy of
    # each array instead of a concatenation and a gather.
    in_place: IntArray | None = None

    @staticmethod
    def make(old_ids: IntArray, removed: IntArray, new_ids: IntArray) -> _Splice:
        keep = ~np.isin(old_ids, removed)
        ids = np.concatenate([old_ids[keep], new_ids])
        order = np.argsort(ids, kind="stable")
        final = np.empty(len(order), dtype=np.int64)
        final[order] = np.arange(len(order), dtype=np.int64)
        n_keep = int(keep.sum())
        old_to_final = np.full(len(old_ids), -1, dtype=np.int64)
        old_to_final[keep] = final[:n_keep]
        in_place = None
        if len(ids) == len(old_ids) and np.array_equal(ids[order], old_ids):
            in_place = final[n_keep:]  # the old (= final) row each new row replaces
        return _Splice(keep, order, old_to_final, final[n_keep:], in_place)

    def rows(self, old: Any, new: Any, fill: float = -1) -> Any:
        """Rows of ``old`` kept and ``new`` added, in id order (2-D: padded to one width)."""
        if isinstance(old, list):
            if self.in_place is not None:
                out = list(old)
                for row, item in zip(self.in_place.tolist(), new, strict=True):
                    out[row] = item
                return out
            both = [x for x, k in zip(old, self.keep.tolist(), strict=True) if k] + list(new)
            return [both[i] for i in self.order.tolist()]
        if old.ndim == 2 and old.shape[1] != new.shape[1]:
            width = max(old.shape[1], new.shape[1])
            if self.in_place is not None and old.shape[1] == width:
                new = _pad(new, width, fill)  # only the few new rows are widened
            else:
                old, new = _pad(old, width, fill), _pad(new, width, fill)
        if self.in_place is not None:
            if old.dtype == new.dtype and np.array_equal(old[self.in_place], new):
                return old  # unchanged rows: shared (an index's arrays are never written to)
            out = old.copy()
            out[self.in_place] = new
            return out
        return np.concatenate([old[self.keep], new])[self.order]

    def padded(self, old: IntArray, new: IntArray) -> IntArray:
        """Rows of a ``-1``-padded array, as narrow as its longest row (as encoding makes it)."""
        out: IntArray = self.rows(old, new, -1)
        used = np.flatnonzero((out >= 0).any(axis=0))
        width = int(used.max()) + 1 if len(used) else 1
        return out[:, :width]

    def matrix(self, old: sp.csr_matrix | None, new: sp.csr_matrix | None) -> Any:
        if old is None or new is None:
            return None
        return sp.csr_matrix(sp.vstack([old[self.keep], new], format="csr")[self.order])


def _pad(a: Any, width: int, fill: float) -> Any:
    out = np.full((a.shape[0], width), fill, dtype=a.dtype)
    out[:, : a.shape[1]] = a
    return out


def _inferred_rows(sp_: _Splice, old: Inferred, new: Inferred) -> Inferred:
    return Inferred(
        sp_.rows(old.occ, new.occ, -1),
        sp_.rows(old.prob, new.prob, 0.0),
        sp_.rows(old.gain, new.gain, 0.0),
        sp_.rows(old.best_gain, new.best_gain),
        sp_.rows(old.group, new.group, -1),
    )


def splice_youths(
    old: YouthArrays, removed: IntArray, new: YouthArrays, texts: dict[str, Any]
) -> YouthArrays:
    """``old`` without the youth ``removed`` and with ``new`` (encoded with the same
    vocabulary), in id order — what :func:`encode_youths` gives for the resulting population.
    ``texts`` maps each cached text kind of ``old`` to the new rows' TF-IDF matrix."""
    if old.interest_labels != new.interest_labels:
        raise ValueError("youth encoded with different interest vocabularies")
    at = _Splice.make(old.ids, removed, new.ids)
    mask = (1 << KEY_SHIFT) - 1
    new_keys = (at.new_to_final[new.skill_keys >> KEY_SHIFT] << KEY_SHIFT) | (new.skill_keys & mask)
    if at.in_place is not None:
        # Kept rows keep their numbers: drop the replaced rows' keys and insert the new
        # ones where they sort (no key is in both: they are other rows'), no full sort.
        alive = at.keep[old.skill_keys >> KEY_SHIFT]
        by_new = np.argsort(new_keys, kind="stable")
        kept = old.skill_keys[alive]
        at_pos = np.searchsorted(kept, new_keys[by_new])
        skill_keys = np.insert(kept, at_pos, new_keys[by_new])
        skill_vals = np.insert(old.skill_vals[alive], at_pos, new.skill_vals[by_new])
    else:
        # Rows renumbered; both parts stay sorted, so a stable sort only merges runs.
        old_rows = at.old_to_final[old.skill_keys >> KEY_SHIFT]
        alive = old_rows >= 0
        keys = np.concatenate(
            [(old_rows[alive] << KEY_SHIFT) | (old.skill_keys[alive] & mask), new_keys]
        )
        vals = np.concatenate([old.skill_vals[alive], new.skill_vals])
        by_key = np.argsort(keys, kind="stable")
        skill_keys, skill_vals = keys[by_key], vals[by_key]
    wish_occ = at.padded(old.wish_occ, new.wish_occ)
    wish_weight = at.rows(old.wish_weight, new.wish_weight, 1.0)[:, : wish_occ.shape[1]]
    text_cache: dict[str, Any] = {}
    for kind, (vec, rows) in old.text_cache.items():
        if kind in texts:
            text_cache[kind] = (vec, at.matrix(rows, texts[kind]))
    return YouthArrays(
        items=at.rows(old.items, new.items),
        ids=at.rows(old.ids, new.ids),
        pc=at.rows(old.pc, new.pc),
        commute=at.rows(old.commute, new.commute),
        birth_year=at.rows(old.birth_year, new.birth_year),
        hours_min=at.rows(old.hours_min, new.hours_min),
        hours_max=at.rows(old.hours_max, new.hours_max),
        langs=at.rows(old.langs, new.langs),
        first_lang=at.rows(old.first_lang, new.first_lang),
        licence=at.rows(old.licence, new.licence),
        needs_mentor=at.rows(old.needs_mentor, new.needs_mentor),
        avail=at.rows(old.avail, new.avail),
        wish_occ=wish_occ,
        skill_keys=skill_keys,
        skill_vals=skill_vals,
        interest_ids=at.padded(old.interest_ids, new.interest_ids),
        docs=at.rows(old.docs, new.docs),
        inferred=_inferred_rows(at, old.inferred, new.inferred),
        wish_weight=wish_weight,
        esco_skills=at.padded(old.esco_skills, new.esco_skills),
        kind_pref=at.rows(old.kind_pref, new.kind_pref),
        interest_labels=old.interest_labels,
        text_cache=text_cache,
    )


def splice_openings(
    old: OpeningArrays,
    removed: IntArray,
    new: OpeningArrays,
    old_text: sp.csr_matrix | None,
    new_text: sp.csr_matrix | None,
) -> tuple[OpeningArrays, sp.csr_matrix | None]:
    """``old`` without ``removed`` ids and with ``new``, in id order, and the TF-IDF rows."""
    at = _Splice.make(old.ids, removed, new.ids)
    out = OpeningArrays(
        items=at.rows(old.items, new.items),
        ids=at.rows(old.ids, new.ids),
        pc=at.rows(old.pc, new.pc),
        occ=at.rows(old.occ, new.occ),
        req=at.padded(old.req, new.req),
        n_req=at.rows(old.n_req, new.n_req),
        nice=at.padded(old.nice, new.nice),
        n_nice=at.rows(old.n_nice, new.n_nice),
        hours_min=at.rows(old.hours_min, new.hours_min),
        hours_max=at.rows(old.hours_max, new.hours_max),
        min_age=at.rows(old.min_age, new.min_age),
        start_year=at.rows(old.start_year, new.start_year),
        start=at.rows(old.start, new.start),
        licence=at.rows(old.licence, new.licence),
        langs=at.rows(old.langs, new.langs),
        mentor=at.rows(old.mentor, new.mentor),
        cap=at.rows(old.cap, new.cap),
        docs=at.rows(old.docs, new.docs),
        kind=at.rows(old.kind, new.kind),
    )
    return out, at.matrix(old_text, new_text)


def splice_slots(
    old: SlotArrays,
    removed: IntArray,
    new: SlotArrays,
    old_text: sp.csr_matrix | None,
    new_text: sp.csr_matrix | None,
) -> tuple[SlotArrays, sp.csr_matrix | None]:
    """``old`` without ``removed`` ids and with ``new``, in id order, and the TF-IDF rows."""
    at = _Splice.make(old.ids, removed, new.ids)
    out = SlotArrays(
        items=at.rows(old.items, new.items),
        ids=at.rows(old.ids, new.ids),
        pc=at.rows(old.pc, new.pc),
        max_dist=at.rows(old.max_dist, new.max_dist),
        capacity=at.rows(old.capacity, new.capacity),
        cap=at.rows(old.cap, new.cap),
        from_day=at.rows(old.from_day, new.from_day),
        until_day=at.rows(old.until_day, new.until_day),
        langs=at.rows(old.langs, new.langs),
        interest_ids=at.padded(old.interest_ids, new.interest_ids),
        n_interests=at.rows(old.n_interests, new.n_interests),
        docs=at.rows(old.docs, new.docs),
    )
    return out, at.matrix(old_text, new_text)
