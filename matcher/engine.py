"""The matching engine: ``MatchEngine(config, taxonomy).fit(openings, slots).rank(youths, k)``.

Pipeline (recordlinkage style): **normalise** (:mod:`matcher.encode`) → **block**
(:mod:`matcher.blocking`: hard constraints, geography, retrieval) → **compare**
(:mod:`matcher.compare`: vectorised components, weighted mean) → **allocate**
(:mod:`matcher.allocate`: capacity-aware top-k) → **explain** (:mod:`matcher.explain`).

Fast paths for the web:

* ``engine.rank([youth], k)`` — one new or changed profile against all openings (exhaustive
  over the reachable openings, no retrieval cut-off);
* ``index = engine.index(youths)`` once, then
  ``engine.match_opening(opening, k, index=index)`` — the best youth for one new or changed
  opening, in milliseconds.

Single-item fast paths are not allocated against the rest of the population; the nightly run
(``rank`` over everyone) is.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp

from matcher.allocate import allocate, output_order
from matcher.arrays import run_starts
from matcher.blocking import (
    BLOCK_YOUTH,
    MENTOR_RULES,
    OPENING_RULES,
    SLOT_BLOCK_YOUTH,
    GeoIndex,
    PairContext,
    Rule,
    nearest_pairs,
    passes,
    reach_radius,
    retrieve_pairs,
)
from matcher.collector import collector_paused as _gc_paused
from matcher.compare import (
    MENTOR_COMPONENTS,
    OPENING_COMPONENTS,
    Component,
    ScoringModel,
    score_pairs,
    shared_columns,
)
from matcher.config import EngineConfig
from matcher.encode import (
    KEY_SHIFT,
    FloatArray,
    IntArray,
    OpeningArrays,
    SlotArrays,
    Vocabulary,
    YouthArrays,
    _flat_lookup,
    _padded,
    check_unique_ids,
    encode_openings,
    encode_slots,
    encode_youths,
    opening_doc_parts,
    slot_doc_parts,
    slot_interest_labels,
    splice_openings,
    splice_slots,
    splice_youths,
    youth_doc_parts,
)
from matcher.explain import mentor_reasons, opening_reasons
from matcher.normalise import fold
from matcher.parallel import glibc
from matcher.taxonomy import Taxonomy
from matcher.types import Match, MentorSlot, Opening, Reason, Youth, build_matches

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

# Folded Danish function words; everything else is left to IDF.
STOP_WORDS = (
    "og i at en et til med som paa for af er vi du der de den det har kan vil os vores jeg "
    "eller ikke skal fra om hos man hvor the and of to in a"
).split()
ISCO4_COLS = 10_000
RETRIEVAL_TEXT_WEIGHT = 0.3
RETRIEVAL_SKILL_WEIGHT = 0.3
RETRIEVAL_MAX_DF = 0.05  # skill concepts in more openings than this do not retrieve
RETRIEVAL_INFERRED_MIN = 0.05  # inferred occupations worth less than this do not retrieve


def import_dependencies() -> None:
    """Import the engine's slow, lazily imported dependencies (scikit-learn's text and
    neighbour modules, about a second) now: a long-lived process — the scheduler — pays them
    once when it starts instead of inside its first night, and a benchmark outside the run
    it times. Importing :mod:`matcher` stays cheap for processes that never fit an engine."""
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.neighbors  # noqa: F401


def _new_vectorizer(n_docs: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer  # slow import: only when fitting

    return TfidfVectorizer(
        preprocessor=fold,
        stop_words=STOP_WORDS,
        token_pattern=r"(?u)\b\w\w+\b",  # noqa: S106 (a regex, not a password)
        sublinear_tf=True,
        max_df=0.5 if n_docs >= 50 else 1.0,
        dtype=np.float64,
    )


def _vectorizer(docs: Sequence[str]) -> tuple[TfidfVectorizer | None, sp.csr_matrix | None]:
    """A TF-IDF vectoriser fitted on ``docs``, and their rows (scikit-learn's fit; the
    engine fits by phrases, :func:`_phrase_vectorizer`, which gives the same)."""
    if not docs:
        return None, None
    vec = _new_vectorizer(len(docs))
    try:
        matrix = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary: every document is blank or stop words
        return None, None
    return vec, sp.csr_matrix(matrix)


def _phrase_vectorizer(
    rows: Sequence[Sequence[str]],
) -> tuple[TfidfVectorizer | None, sp.csr_matrix | None]:
    """``_vectorizer([" ".join(row) for row in rows])``, with every distinct phrase analysed
    once (:func:`_phrase_counts`; at national scale a sixth of the text, 0.5 s of the fit).
    Only the counting is replaced: the rest of the fit — document frequencies, ``max_df``,
    the vocabulary's order, the IDF weights, the rows — is scikit-learn's own."""
    if not rows:
        return None, None
    vec = _new_vectorizer(len(rows))
    # ``fit_transform`` takes its counts from ``_count_vocab``: for this one call, the
    # phrases' counts (an attribute of the instance, deleted after: the fitted vectoriser is
    # a plain one).
    vec._count_vocab = lambda _docs, fixed: _phrase_counts(vec, rows, fixed)
    try:
        matrix = vec.fit_transform(rows)
    except ValueError:  # empty vocabulary: every document is blank or stop words
        return None, None
    finally:
        del vec._count_vocab
    return vec, sp.csr_matrix(matrix)


def _phrase_counts(
    vec: TfidfVectorizer, rows: Sequence[Sequence[str]], fixed_vocabulary: bool
) -> tuple[dict[str, int], sp.csr_matrix]:
    """What scikit-learn's ``CountVectorizer._count_vocab`` returns for the documents
    ``" ".join(row)``, with every distinct phrase analysed once (an opening's document is
    its title, description and skills; at national scale 160,000 phrases, 16,000 distinct:
    a sixth of the text). Equal to the bit: a document's tokens are its phrases' tokens in
    order (the analyser folds character by character and the phrases are split by spaces,
    as :func:`_transform_phrases` relies on too), so numbering the terms in order of first
    appearance over the distinct phrases, in order of their own first appearance, numbers
    them as the documents do; a document's counts are the sums of its phrases' (small
    integers in float64: exact), laid out as scikit-learn lays them out (float64, int32
    indices, sorted)."""
    if fixed_vocabulary:  # never here: fit with a given vocabulary is not used
        raise NotImplementedError("phrase counts learn a vocabulary")
    number, incidence = _phrase_incidence(rows)
    terms, term_of, token_phrase = _phrase_tokens(vec, number)
    if not terms:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    vocabulary = {t: j for j, t in enumerate(terms)}
    # Repeated terms of a phrase add up when the matrix is summed (duplicates, then canonical).
    per_phrase = sp.csr_matrix(
        (np.ones(len(term_of)), (token_phrase, term_of)), shape=(len(number), len(vocabulary))
    )
    per_phrase.sum_duplicates()
    counts = sp.csr_matrix(incidence @ per_phrase, dtype=np.float64)
    counts.indices = counts.indices.astype(np.int32)
    counts.indptr = counts.indptr.astype(np.int32)
    counts.sort_indices()
    return vocabulary, counts


def _phrase_incidence(rows: Sequence[Sequence[str]]) -> tuple[dict[str, int], sp.csr_matrix]:
    """The distinct phrases of ``rows``, numbered in order of first appearance, and the rows
    × phrases incidence (how often each row lists each phrase, float64). By C-level maps
    over the flattened phrases (at national scale 690,000 youth phrases)."""
    flat = list(chain.from_iterable(rows))
    number = {p: i for i, p in enumerate(dict.fromkeys(flat))}
    phrase_of = np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    incidence = sp.csr_matrix(
        (np.ones(len(flat)), (np.repeat(np.arange(len(rows)), lengths), phrase_of)),
        shape=(len(rows), len(number)),
    )
    return number, incidence


def _phrase_tokens(
    vec: TfidfVectorizer, phrases: Iterable[str]
) -> tuple[list[str], IntArray, IntArray]:
    """Every phrase analysed by ``vec``'s analyser: the distinct terms in order of first
    appearance (phrase by phrase, token by token), and each token's term and phrase (the
    phrase's position in ``phrases``).

    The engine's analyser (:func:`_new_vectorizer`: :func:`fold`, then the token pattern's
    matches, then the stop words dropped) runs over all phrases at once: the folded
    phrases joined by a separator word that no folded text holds (folded text is ASCII
    letters, digits and spaces), one ``findall`` over the whole, the separators and stop
    words then dropped by their term numbers. The same tokens as the analyser phrase by
    phrase (scikit-learn's ``_analyze``: 49,000 calls for the national youth phrases)."""
    phrases = list(phrases)
    analyze = vec.build_analyzer()  # (its checks and warnings, as the phrase-by-phrase way)
    if not _plain_word_analysis(vec):
        token_lists = list(map(analyze, phrases))
        sizes = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        tokens = list(chain.from_iterable(token_lists))
        del token_lists
        term_number = {t: j for j, t in enumerate(dict.fromkeys(tokens))}
        term_of = np.fromiter(
            map(term_number.__getitem__, tokens), dtype=np.int64, count=len(tokens)
        )
        return list(term_number), term_of, np.repeat(np.arange(len(sizes)), sizes)
    tokens = re.findall(vec.token_pattern, _PHRASE_SEPARATOR.join(map(fold, phrases)))
    every = list(dict.fromkeys(tokens))  # every distinct token, in order of first appearance
    number = {t: j for j, t in enumerate(every)}
    token_term = np.fromiter(map(number.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    del tokens
    separator = number.get(_PHRASE_SEPARATOR.strip(), -1)
    stop = vec.get_stop_words() or frozenset()
    is_term = np.fromiter((t not in stop for t in every), dtype=np.bool_, count=len(every))
    if separator >= 0:
        is_term[separator] = False
    # A term's first appearance among the kept tokens is its first appearance: renumbering
    # the kept terms in order keeps the order of first appearance.
    renumber = np.cumsum(is_term) - 1
    phrase = np.cumsum(token_term == separator) if separator >= 0 else np.zeros(len(token_term))
    kept = is_term[token_term]
    terms = [t for t, keep in zip(every, is_term.tolist(), strict=True) if keep]
    return terms, renumber[token_term[kept]], phrase[kept].astype(np.int64)


#: Joins folded phrases for one tokenisation: a word of two non-ASCII letters, which the
#: token pattern matches as a word of its own and which no folded text contains.
_PHRASE_SEPARATOR = " ææ "


def _plain_word_analysis(vec: TfidfVectorizer) -> bool:
    """Whether ``vec`` analyses as the engine's vectorisers do: fold, the token pattern (no
    group), the stop words, single words."""
    params = vec.get_params()
    return (
        params["input"] == "content"
        and params["analyzer"] == "word"
        and params["preprocessor"] is fold
        and params["tokenizer"] is None
        and params["ngram_range"] == (1, 1)
        and re.compile(params["token_pattern"]).groups == 0
        and bool(re.fullmatch(params["token_pattern"], _PHRASE_SEPARATOR.strip()))
    )


def _transform(vec: TfidfVectorizer | None, docs: Sequence[str]) -> sp.csr_matrix | None:
    if vec is None:
        return None
    if not docs:
        return sp.csr_matrix((0, len(vec.vocabulary_)), dtype=np.float64)
    return sp.csr_matrix(vec.transform(list(docs)))


def _transform_phrases(
    vec: TfidfVectorizer | None, rows: Sequence[Sequence[str]]
) -> sp.csr_matrix | None:
    """``_transform(vec, [" ".join(row) for row in rows])``, with every distinct phrase
    analysed once (:func:`_transform_phrases_many` for one vectoriser)."""
    return _transform_phrases_many([vec], rows)[0]


#: The vectoriser parameters that decide how a text is cut into terms: two vectorisers
#: equal in these analyse every phrase alike (the engine's two differ in ``max_df`` only).
_ANALYSIS_PARAMS = (
    "input",
    "encoding",
    "decode_error",
    "strip_accents",
    "lowercase",
    "preprocessor",
    "tokenizer",
    "analyzer",
    "stop_words",
    "token_pattern",
    "ngram_range",
)


def _analysis(vec: TfidfVectorizer) -> dict[str, Any]:
    params = vec.get_params()
    return {name: params[name] for name in _ANALYSIS_PARAMS}


def _transform_phrases_many(
    vecs: Sequence[TfidfVectorizer | None], rows: Sequence[Sequence[str]]
) -> list[sp.csr_matrix | None]:
    """``[_transform(vec, [" ".join(row) for row in rows]) for vec in vecs]``, with every
    distinct phrase analysed once for all of them (youth documents are a few phrases each,
    drawn from a smaller set: skill and occupation labels, interests; at national scale 690,000
    phrases, 58,000 distinct, the same for the openings' and the mentor slots' vocabulary).
    Equal to the bit: the analyser folds character by character and splits on the spaces
    between phrases, so a document's tokens are its phrases' tokens; the counts are laid out
    as scikit-learn's ``CountVectorizer`` lays them out (float64, sorted indices) and weighted
    by each vectoriser's own TF-IDF transformer. The phrases and their terms are numbered in
    order of first appearance, which decides nothing: the counts are sums (of small integers
    in float64: exact) and their layout is canonical."""
    out: list[sp.csr_matrix | None] = [None] * len(vecs)
    if not rows:
        for v, vec in enumerate(vecs):
            if vec is not None:
                out[v] = sp.csr_matrix((0, len(vec.vocabulary_)), dtype=np.float64)
        return out
    # Each distinct phrase numbered once; a row is the sum of its phrases' term counts: the
    # rows × phrases incidence times the phrases × terms counts.
    number, incidence = _phrase_incidence(rows)
    # Per way of analysing: the distinct terms, and each token's term and phrase.
    analysed: list[tuple[dict[str, Any], tuple[list[str], IntArray, IntArray]]] = []
    for v, vec in enumerate(vecs):
        if vec is None:
            continue
        params = _analysis(vec) if len(vecs) > 1 else {}  # (one vectoriser: no one to share)
        known = [tokens for p, tokens in analysed if p == params]
        if not known:
            known = [_phrase_tokens(vec, number)]
            analysed.append((params, known[0]))
        terms, term_of, token_phrase = known[0]
        vocabulary = vec.vocabulary_
        column = np.fromiter(
            map(vocabulary.get, terms, repeat(-1)), dtype=np.int64, count=len(terms)
        )[term_of]
        listed = column >= 0
        per_phrase = sp.csr_matrix(
            (np.ones(int(listed.sum())), (token_phrase[listed], column[listed])),
            shape=(len(number), len(vocabulary)),
        )
        counts = sp.csr_matrix(incidence @ per_phrase, dtype=np.float64)
        counts.indices = counts.indices.astype(np.int32)
        counts.indptr = counts.indptr.astype(np.int32)
        counts.sort_indices()
        # The fitted transformer inside the vectoriser: the weighting transform() applies.
        out[v] = sp.csr_matrix(vec._tfidf.transform(counts, copy=False))
    return out


def _youth_phrases(youth: YouthArrays) -> list[tuple[str, ...]]:
    return [youth_doc_parts(y) for y in youth.items]


#: From this many youth in an index, its TF-IDF rows are made for both target kinds at once
#: (:meth:`MatchEngine._youth_text`); fewer: for the kind ranked only (a fast path's one).
BOTH_TEXTS_FROM = 1_000

# Below this many scored pairs a call frees too little to be worth walking the heap for
# (``malloc_trim`` of a national process's heap costs milliseconds: a fast path's budget).
TRIM_ABOVE_PAIRS = 200_000


def _give_back_freed_memory(pairs: int) -> None:
    """Return the C heap's free pages to the system (glibc ``malloc_trim``) after a call
    that scored ``pairs`` pairs. The pair arrays of a national run are freed before its
    matches are built, but glibc keeps freed arrays below its (self-raising) mmap threshold
    in the heap, where the long-lived arrays between them stop it from shrinking: 300 MB of
    the peak at national scale. A no-op elsewhere, and for small calls."""
    if pairs < TRIM_ABOVE_PAIRS:
        return
    libc = glibc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


@functools.cache
def _components_dict(names: tuple[str, ...]) -> Callable[..., dict[str, float]]:
    """A function of one value per name that returns ``dict(zip(names, values))`` — the same
    dict, keys in the same order — written as a dict display (``lambda v0, v1: {"a": v0,
    "b": v1}``, the keys compiled in as constants): about twice as fast as ``dict(zip(...))``
    for the 387,000 component dicts of a national run (0.38 s -> 0.24 s with their lists).
    The names are the engine's own component names; each is written as its ``repr``, which
    reads back as the very same string whatever it holds, so nothing else can be compiled."""
    assert all(isinstance(name, str) for name in names)
    params = ", ".join(f"v{i}" for i in range(len(names)))
    items = ", ".join(f"{name!r}: v{i}" for i, name in enumerate(names))
    made: Callable[..., dict[str, float]] = eval(f"lambda {params}: {{{items}}}")  # noqa: S307
    return made


class MatchEngine:
    """Ranks openings and mentor slots for youth profiles, and youth for an opening.

    Parameters
    ----------
    config
        Weights and thresholds (:class:`EngineConfig`); defaults when ``None``.
    taxonomy
        The vocabulary (:class:`Taxonomy`), e.g. ``jobs.taxonomy.load_taxonomy()``.

    Attributes (after ``fit``)
    --------------------------
    openings_, slots_
        Encoded open, unexpired openings and open mentor slots with free places.
    unknown_postcodes_
        Sorted ids of openings/slots whose postcode is unknown (never reachable).
    """

    def __init__(self, config: EngineConfig | None = None, taxonomy: Taxonomy | None = None):
        self.config = config
        self.taxonomy = taxonomy

    # ------------------------------------------------------------------ fit
    @_gc_paused()
    def fit(
        self,
        openings: Sequence[Opening] = (),
        mentor_slots: Sequence[MentorSlot] = (),
        text_from: MatchEngine | None = None,
    ) -> MatchEngine:
        """Index openings and mentor slots; returns ``self``.

        ``text_from``: reuse that fitted engine's TF-IDF vocabularies instead of fitting new
        ones (what :meth:`with_openings` keeps; used to check incremental updates against a
        fresh fit).
        """
        if self.taxonomy is None:
            raise ValueError("MatchEngine needs a Taxonomy (e.g. jobs.taxonomy.load_taxonomy())")
        cfg = self.config or EngineConfig()
        self.config_ = cfg
        self.today_ = cfg.today or date.today()
        self.today_day_ = self.today_.toordinal()
        for o in openings:
            if not isinstance(o, Opening):
                raise ValueError(f"fit expects Opening objects, got {type(o).__name__}")
        for s in mentor_slots:
            if not isinstance(s, MentorSlot):
                raise ValueError(f"fit expects MentorSlot objects, got {type(s).__name__}")
        check_unique_ids("opening", [o.id for o in openings])
        check_unique_ids("mentor slot", [s.id for s in mentor_slots])
        self.vocab_ = Vocabulary(self.taxonomy, slot_interest_labels(mentor_slots))
        self.geo_ = GeoIndex(self.taxonomy)
        live_openings = [o for o in openings if self._opening_live(o)]
        live_slots = [s for s in mentor_slots if self._slot_live(s)]
        self.openings_ = encode_openings(
            live_openings, self.vocab_, self.today_, cfg.seat_multiplier
        )
        self.slots_ = encode_slots(live_slots, self.vocab_, cfg.seat_multiplier)
        if text_from is None:
            self.opening_vec_, self.opening_text_ = _phrase_vectorizer(
                [opening_doc_parts(o) for o in self.openings_.items]
            )
            self.slot_vec_, self.slot_text_ = _phrase_vectorizer(
                [slot_doc_parts(s) for s in self.slots_.items]
            )
        else:
            text_from._check_fitted()
            self.opening_vec_ = text_from.opening_vec_
            self.slot_vec_ = text_from.slot_vec_
            self.opening_text_ = _transform(self.opening_vec_, self.openings_.docs)
            self.slot_text_ = _transform(self.slot_vec_, self.slots_.docs)
        self._derive()
        return self

    def _derive(self) -> None:
        """Figures that follow from the indexed targets (after fit and every update)."""
        self.rare_terms_: IntArray | None = None
        if self.opening_text_ is not None:
            df = np.bincount(self.opening_text_.indices, minlength=self.opening_text_.shape[1])
            self.rare_terms_ = np.flatnonzero(df <= RETRIEVAL_MAX_DF * len(self.openings_))
        self.unknown_postcodes_ = sorted(
            [int(i) for i in self.openings_.ids[self.openings_.pc < 0]]
            + [int(i) for i in self.slots_.ids[self.slots_.pc < 0]]
        )

    @property
    def interest_labels_(self) -> tuple[str, ...]:
        return self.vocab_.interest_labels

    def _opening_live(self, o: Opening) -> bool:
        return o.status == "open" and (o.expires is None or o.expires >= self.today_)

    def _slot_live(self, s: MentorSlot) -> bool:
        return (
            s.status == "open"
            and s.capacity > 0
            and (s.available_until is None or s.available_until >= self.today_)
        )

    def _check_fitted(self) -> None:
        if not hasattr(self, "openings_"):
            raise ValueError("MatchEngine is not fitted: call fit(openings, mentor_slots) first")

    # ------------------------------------------------------------------ rank
    def rank(self, youths: Sequence[Youth] | YouthArrays, k: int = 10) -> dict[int, list[Match]]:
        """Up to ``k`` openings per youth id (every id given appears, maybe with []).

        ``youths``: profiles, or a youth index from :meth:`index` (the nightly run indexes the
        population once for ``rank`` and ``rank_mentors``); inactive youth get ``[]``.
        """
        return self._rank(youths, k, "opening")

    def rank_mentors(
        self, youths: Sequence[Youth] | YouthArrays, k: int = 3
    ) -> dict[int, list[Match]]:
        """Up to ``k`` mentor slots per youth id (every id given appears, maybe with [])."""
        return self._rank(youths, k, "mentor_slot")

    @_gc_paused()
    def index(self, youths: Sequence[Youth]) -> YouthArrays:
        """The active youth encoded for this engine's vocabulary: a value to pass to
        :meth:`rank`, :meth:`rank_mentors` and :meth:`match_opening` and to update with
        :meth:`with_youths`. The engine is not changed."""
        self._check_fitted()
        for y in youths:
            if not isinstance(y, Youth):
                raise ValueError(f"rank expects Youth objects, got {type(y).__name__}")
        check_unique_ids("youth", [y.id for y in youths])
        return encode_youths([y for y in youths if y.status == "active"], self.vocab_)

    @_gc_paused()
    def _rank(
        self, youths: Sequence[Youth] | YouthArrays, k: int, kind: Literal["opening", "mentor_slot"]
    ) -> dict[int, list[Match]]:
        self._check_fitted()
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an int >= 1, got {k!r}")
        if isinstance(youths, YouthArrays):
            youth = self._current(youths)
            result: dict[int, list[Match]] = {int(i): [] for i in youth.ids.tolist()}
        else:
            youth = self.index(youths)
            result = {y.id: [] for y in sorted(youths, key=lambda y: y.id)}
        target: OpeningArrays | SlotArrays = self.openings_ if kind == "opening" else self.slots_
        if not len(youth) or not len(target):
            return result
        yi, tj = self._candidates(youth, target, k)
        if not len(yi):
            return result
        ctx = self._context(youth, target, yi, tj)
        model = self._model(youth, target)
        if len(yi) >= TRIM_ABOVE_PAIRS:  # not for a fast path's few pairs (milliseconds)
            model.target_text = shared_columns(model.target_text, model.youth_text)
        registry, weights = self._registry(kind)
        score, comps = score_pairs(ctx, model, registry, weights)
        pairs = len(yi)
        _give_back_freed_memory(pairs)  # what retrieval and scoring freed, before the allocation
        keep = allocate(yi, tj, score, youth.ids, target.ids, k, target.cap, len(youth))
        # Each youth's suggestions by score, then target id (rows are in id order).
        sel = np.flatnonzero(keep)
        sel = sel[output_order(yi[sel], tj[sel], score[sel], len(youth), len(target))]
        sub = PairContext(
            youth, target, ctx.yi[sel], ctx.tj[sel], ctx.dist[sel], ctx.today, ctx.tolerance
        )
        sub_comps = {name: values[sel] for name, values in comps.items()}
        sub_score = score[sel]
        # The arrays of every scored pair go before the matches are built (peak memory).
        del ctx, comps, score, keep, sel, yi, tj
        _give_back_freed_memory(pairs)
        self._emit(result, youth, target, sub, model, sub_score, sub_comps, kind)
        del sub, sub_comps, sub_score
        _give_back_freed_memory(pairs)
        return result

    def _emit(
        self,
        result: dict[int, list[Match]],
        youth: YouthArrays,
        target: OpeningArrays | SlotArrays,
        sub: PairContext,
        model: ScoringModel,
        score: FloatArray,
        sub_comps: dict[str, FloatArray],
        kind: Literal["opening", "mentor_slot"],
    ) -> None:
        """One Match per pair of ``sub`` (the allocated pairs, in output order)."""
        reasons: list[tuple[Reason, ...]]
        if kind == "opening":
            reasons = opening_reasons(sub, model, sub_comps, self.vocab_)
        else:
            reasons = mentor_reasons(sub, sub_comps, self.vocab_, self.interest_labels_)
        names = tuple(sub_comps)
        comp_columns = [sub_comps[n].tolist() for n in names]
        matches = build_matches(
            kind,
            target.ids[sub.tj].tolist(),
            score.tolist(),
            map(_components_dict(names), *comp_columns),
            reasons,
            sub.dist.tolist(),
        )
        del comp_columns, reasons
        # One slice of the matches per youth: the pairs come in youth order (one run each).
        yi = sub.yi
        starts = run_starts(yi)
        ends = np.r_[starts[1:], len(yi)]
        result.update(
            zip(
                youth.ids[yi[starts]].tolist(),
                map(matches.__getitem__, map(slice, starts.tolist(), ends.tolist())),
                strict=True,
            )
        )

    @_gc_paused()
    def allowed_pairs(
        self, youths: Sequence[Youth], kind: Literal["opening", "mentor_slot"] = "opening"
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Youth ids, target ids and km of every pair the hard constraints allow (no scores)."""
        self._check_fitted()
        check_unique_ids("youth", [y.id for y in youths])
        target: OpeningArrays | SlotArrays = self.openings_ if kind == "opening" else self.slots_
        youth = encode_youths([y for y in youths if y.status == "active"], self.vocab_)
        yi, tj = nearest_pairs(
            self.geo_,
            youth,
            target,
            np.arange(len(youth), dtype=np.int64),
            self._rules(target),
            self.today_day_,
            self.config_.start_tolerance_days,
            None,
        )
        return youth.ids[yi], target.ids[tj], self.geo_.distance(youth.pc[yi], target.pc[tj])

    @_gc_paused()
    def score_all(
        self, youths: Sequence[Youth], kind: Literal["opening", "mentor_slot"] = "opening"
    ) -> tuple[IntArray, IntArray, FloatArray, dict[str, FloatArray]]:
        """Every allowed (youth, target) pair, scored: no retrieval cut-off, no allocation.

        Returns youth ids, target ids, scores and components (arrays of equal length). For
        audits, tests and small populations; the pair count grows with the product of sizes.
        """
        self._check_fitted()
        target: OpeningArrays | SlotArrays = self.openings_ if kind == "opening" else self.slots_
        youth = self.index(youths)
        rows = np.arange(len(youth), dtype=np.int64)
        yi, tj = nearest_pairs(
            self.geo_,
            youth,
            target,
            rows,
            self._rules(target),
            self.today_day_,
            self.config_.start_tolerance_days,
            None,
        )
        ctx = self._context(youth, target, yi, tj)
        registry, weights = self._registry(kind)
        score, comps = score_pairs(ctx, self._model(youth, target), registry, weights)
        return youth.ids[yi], target.ids[tj], score, comps

    # ------------------------------------------------------------ internals
    def _current(self, youth: YouthArrays) -> YouthArrays:
        """An index whose interests were encoded with fewer slot interests than this engine
        has (slots added since) gets its interest ids anew (a new value; the index given is
        not changed)."""
        if youth.interest_labels == self.vocab_.interest_labels:
            return youth
        ids = _flat_lookup([y.interests for y in youth.items], self.vocab_.interests)
        return dataclasses.replace(
            youth,
            interest_ids=_padded(ids),
            interest_labels=self.vocab_.interest_labels,
            text_cache=dict(youth.text_cache),
        )

    def _registry(
        self, kind: Literal["opening", "mentor_slot"]
    ) -> tuple[dict[str, Component], dict[str, float]]:
        cfg = self.config_
        if kind == "opening":
            return dict(OPENING_COMPONENTS), dict(cfg.opening_weights)
        return dict(MENTOR_COMPONENTS), dict(cfg.mentor_weights)

    def _rules(self, target: OpeningArrays | SlotArrays) -> dict[str, Rule]:
        return dict(OPENING_RULES if isinstance(target, OpeningArrays) else MENTOR_RULES)

    def _context(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays, yi: IntArray, tj: IntArray
    ) -> PairContext:
        return PairContext(
            youth,
            target,
            yi,
            tj,
            self.geo_.distance(youth.pc[yi], target.pc[tj]),
            self.today_day_,
            self.config_.start_tolerance_days,
        )

    def _youth_text(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays
    ) -> sp.csr_matrix | None:
        kind = "opening" if isinstance(target, OpeningArrays) else "mentor_slot"
        vec = self.opening_vec_ if kind == "opening" else self.slot_vec_
        cached = youth.text_cache.get(kind)
        if cached is not None and cached[0] is vec:
            out: sp.csr_matrix | None = cached[1]
            return out
        # A large index: the rows for both target kinds at once (their vectorisers analyse
        # every phrase alike, so the phrases are numbered and analysed once; a night ranks
        # both kinds). A fast path's few youth: the kind asked for only.
        vecs = {"opening": self.opening_vec_, "mentor_slot": self.slot_vec_}
        both = len(youth) >= BOTH_TEXTS_FROM
        todo = [
            k
            for k, v in vecs.items()
            if k == kind
            or (both and (k not in youth.text_cache or youth.text_cache[k][0] is not v))
        ]
        made = _transform_phrases_many([vecs[k] for k in todo], _youth_phrases(youth))
        for k, rows in zip(todo, made, strict=True):
            # A memo: the same vectoriser gives the same rows.
            youth.text_cache[k] = (vecs[k], rows)
        return youth.text_cache[kind][1]

    def _model(
        self,
        youth: YouthArrays,
        target: OpeningArrays | SlotArrays,
        youth_text: sp.csr_matrix | None = None,
        target_text: sp.csr_matrix | None = None,
    ) -> ScoringModel:
        cfg = self.config_
        weights = cfg.opening_weights if isinstance(target, OpeningArrays) else cfg.mentor_weights
        if youth_text is None and weights.get("text", 0.0) > 0:
            youth_text = self._youth_text(youth, target)
        if target_text is None:
            target_text = (
                self.opening_text_ if isinstance(target, OpeningArrays) else self.slot_text_
            )
        return ScoringModel(
            occ_isco4=self.vocab_.taxonomy.occ_isco4,
            levels=cfg.occupation_levels,
            youth_text=youth_text,
            target_text=target_text,
            nice_vacuous=cfg.nice_vacuous,
            required_vacuous=cfg.required_vacuous,
            interests_vacuous=cfg.interests_vacuous,
            occupation_model=self.vocab_.taxonomy.occupation_model,
            inferred_with_wish=cfg.inferred_with_wish,
        )

    def reachable_pairs_estimate(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays
    ) -> int:
        """Number of geo-reachable pairs, from postcode counts (no pair is materialised)."""
        n_pc = self.geo_.n
        ok_y = youth.pc >= 0
        ok_t = target.pc >= 0
        if not ok_y.any() or not ok_t.any():
            return 0
        radius = np.zeros(n_pc)
        np.maximum.at(radius, youth.pc[ok_y], reach_radius(youth, target)[ok_y])
        hy = np.bincount(youth.pc[ok_y], minlength=n_pc)
        ht = np.bincount(target.pc[ok_t], minlength=n_pc).astype(np.float64)
        rows = np.flatnonzero(hy)
        within = self.geo_.table[np.ix_(rows, np.arange(n_pc))] <= radius[rows, None]
        return int(hy[rows] @ (within @ ht))

    def _candidates(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays, k: int
    ) -> tuple[IntArray, IntArray]:
        """Pairs to score: all reachable ones when few, else retrieval + fallbacks."""
        cfg = self.config_
        rules = self._rules(target)
        all_rows = np.arange(len(youth), dtype=np.int64)
        today, tol = self.today_day_, cfg.start_tolerance_days
        if self.reachable_pairs_estimate(youth, target) <= cfg.exhaustive_max_pairs:
            return nearest_pairs(self.geo_, youth, target, all_rows, rules, today, tol, None)
        parts_y: list[IntArray] = []
        parts_t: list[IntArray] = []
        rows = all_rows
        for broad in (False, True):
            if broad and not isinstance(target, OpeningArrays):
                break
            fy, ft = self._retrieval_features(youth, target, broad)
            yi, tj = retrieve_pairs(
                self.geo_,
                youth,
                target,
                fy,
                ft,
                rules,
                today,
                tol,
                cfg.candidates_per_youth,
                rows,
                block_youth=SLOT_BLOCK_YOUTH if isinstance(target, SlotArrays) else BLOCK_YOUTH,
            )
            parts_y.append(yi)
            parts_t.append(tj)
            found = np.bincount(np.concatenate(parts_y), minlength=len(youth))
            rows = np.flatnonzero(found < k)
            if not len(rows):
                break
        if len(rows) and cfg.fallback_candidates:
            yi, tj = nearest_pairs(
                self.geo_, youth, target, rows, rules, today, tol, cfg.fallback_candidates
            )
            parts_y.append(yi)
            parts_t.append(tj)
        key = np.sort((np.concatenate(parts_y) << KEY_SHIFT) | np.concatenate(parts_t))
        if len(key):
            key = key[np.r_[True, key[1:] != key[:-1]]]
        return key >> KEY_SHIFT, key & ((1 << KEY_SHIFT) - 1)

    def _retrieval_features(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays, broad: bool = False
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Sparse youth and target feature matrices whose product ranks plausible pairs.

        Openings: same occupation (1.0), same ISCO-4 group (0.5), shared skill concepts (0.3;
        concepts in more than 5 % of openings do not retrieve), shared rare words (0.3, TF-IDF
        terms in at most 5 % of openings). ``broad=True`` (the second pass, for youth with
        fewer than k plausible openings) uses the ISCO-3 group instead. Mentor slots: shared
        interests.
        """
        tx = self.vocab_.taxonomy
        if isinstance(target, SlotArrays):
            width = len(self.interest_labels_)
            t_rows, t_cols = np.nonzero(target.interest_ids >= 0)
            t_cols = target.interest_ids[t_rows, t_cols]
            y_rows, y_cols = np.nonzero(youth.interest_ids >= 0)
            y_cols = youth.interest_ids[y_rows, y_cols]
            fy = sp.csr_matrix((np.ones(len(y_rows)), (y_rows, y_cols)), shape=(len(youth), width))
            ft = sp.csr_matrix((np.ones(len(t_rows)), (t_rows, t_cols)), shape=(len(target), width))
            return fy, ft
        isco = tx.occ_isco4
        n_occ = tx.n_occupations
        if broad:
            t_rows, t_cols, t_vals = _group_cells(target.occ[:, None], isco, 10, n_occ)
            w_rows, w_cols, w_vals = _group_cells(youth.wish_occ, isco, 10, n_occ)
            i_rows, i_cols, i_vals = self._inferred_cells(youth, isco, 10, n_occ)
            y_rows, y_cols = np.r_[w_rows, i_rows], np.r_[w_cols, i_cols]
            y_vals = np.r_[w_vals, i_vals] * 0.25
            width = n_occ + ISCO4_COLS
        else:
            base = n_occ + ISCO4_COLS
            o_rows, o_cols, o_vals = _occ_cells(target.occ[:, None])
            g_rows, g_cols, g_vals = _group_cells(target.occ[:, None], isco, 1, n_occ)
            req_r, req_c = np.nonzero(target.req >= 0)
            nice_r, nice_c = np.nonzero(target.nice >= 0)
            concepts = np.r_[target.req[req_r, req_c], target.nice[nice_r, nice_c]]
            c_rows = np.r_[req_r, nice_r]
            # Concept columns: the concepts openings list, numbered compactly (free-text
            # concepts are hashed into a large id space).
            known, column = np.unique(concepts, return_inverse=True)
            df = np.bincount(column, minlength=len(known))
            ok = ~(df > RETRIEVAL_MAX_DF * max(len(target), 1))[column]
            width = base + len(known)
            t_rows = np.r_[o_rows, g_rows, c_rows[ok]]
            t_cols = np.r_[o_cols, g_cols, base + column[ok]]
            t_vals = np.r_[o_vals, g_vals, np.ones(int(ok.sum()))]
            wo_rows, wo_cols, wo_vals = _occ_cells(youth.wish_occ)
            wg_rows, wg_cols, wg_vals = _group_cells(youth.wish_occ, isco, 1, n_occ)
            io_rows, io_cols, io_vals = self._inferred_cells(youth, isco, 0, 0)
            ig_rows, ig_cols, ig_vals = self._inferred_cells(youth, isco, 1, n_occ)
            yk = youth.skill_keys[youth.skill_vals >= 1.0]
            yc = yk & ((1 << KEY_SHIFT) - 1)
            pos = np.minimum(np.searchsorted(known, yc), max(len(known) - 1, 0))
            listed = (known[pos] == yc) if len(known) else np.zeros(len(yc), dtype=np.bool_)
            yk, pos = yk[listed], pos[listed]
            y_rows = np.r_[wo_rows, wg_rows, io_rows, ig_rows, yk >> KEY_SHIFT]
            y_cols = np.r_[wo_cols, wg_cols, io_cols, ig_cols, base + pos]
            y_vals = np.r_[
                wo_vals,
                0.5 * wg_vals,
                io_vals,
                0.5 * ig_vals,
                np.full(len(yk), RETRIEVAL_SKILL_WEIGHT),
            ]
        fy = sp.csr_matrix((y_vals, (y_rows, y_cols)), shape=(len(youth), width))
        ft = sp.csr_matrix((t_vals, (t_rows, t_cols)), shape=(len(target), width))
        y_text = self._youth_text(youth, target)
        t_text = self.opening_text_
        if not broad and y_text is not None and t_text is not None and self.rare_terms_ is not None:
            fy = sp.hstack([fy, RETRIEVAL_TEXT_WEIGHT * y_text[:, self.rare_terms_]], format="csr")
            ft = sp.hstack([ft, t_text[:, self.rare_terms_]], format="csr")
        return fy, ft

    def _inferred_cells(
        self, youth: YouthArrays, isco: IntArray, divisor: int, offset: int
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Retrieval cells for the occupations inferred from skills: the occupation itself
        (``divisor=0``) or its ISCO group (4-digit code // divisor), valued by its expected
        gain relative to the youth's best (times ``inferred_with_wish`` for a youth with a
        wish)."""
        inf = youth.inferred
        best = np.maximum(inf.best_gain, 1e-12)[:, None]
        rel = np.where(inf.occ >= 0, inf.gain / best, 0.0)
        has_wish = youth.wish_occ[:, 0] >= 0
        rel = np.where(has_wish[:, None], self.config_.inferred_with_wish * rel, rel)
        rows, cols = np.nonzero((inf.occ >= 0) & (rel >= RETRIEVAL_INFERRED_MIN))
        occ = inf.occ[rows, cols]
        vals = rel[rows, cols]
        if divisor == 0:
            return rows.astype(np.int64), occ.astype(np.int64), vals
        group = isco[occ]
        has = group >= 0
        return (
            rows[has].astype(np.int64),
            (offset + group[has] // divisor).astype(np.int64),
            vals[has],
        )

    # -------------------------------------------------------------- fast paths
    @_gc_paused()
    def match_opening(
        self, opening: Opening, k: int = 10, index: YouthArrays | None = None
    ) -> list[Match]:
        """The best ``k`` youth of ``index`` (:meth:`index`) for one new or changed opening (no
        allocation)."""
        self._check_fitted()
        youth = index
        if youth is None:
            raise ValueError("give a youth index (engine.index(youths)) to match_opening")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an int >= 1, got {k!r}")
        if not self._opening_live(opening):
            return []
        target = encode_openings([opening], self.vocab_, self.today_, self.config_.seat_multiplier)
        yi = np.arange(len(youth), dtype=np.int64)
        yi = yi[self.geo_.distance(youth.pc, np.full(len(youth), target.pc[0])) <= youth.commute]
        ctx = self._context(youth, target, yi, np.zeros(len(yi), dtype=np.int64))
        keep = passes(ctx, OPENING_RULES)
        ctx = self._context(youth, target, yi[keep], ctx.tj[keep])
        if not len(ctx.yi):
            return []
        model = self._model(
            youth,
            target,
            self._youth_text(youth, self.openings_),
            _transform(self.opening_vec_, target.docs),
        )
        score, comps = score_pairs(
            ctx, model, OPENING_COMPONENTS, dict(self.config_.opening_weights)
        )
        order = np.lexsort((youth.ids[ctx.yi], -score))[:k]
        sub = PairContext(
            youth, target, ctx.yi[order], ctx.tj[order], ctx.dist[order], ctx.today, ctx.tolerance
        )
        sub_comps = {name: v[order] for name, v in comps.items()}
        reasons = opening_reasons(sub, model, sub_comps, self.vocab_)
        return [
            Match(
                target_id=int(youth.ids[sub.yi[p]]),
                target_kind="youth",
                score=float(score[order[p]]),
                components={name: float(v[p]) for name, v in sub_comps.items()},
                reasons=reasons[p],
                distance_km=float(sub.dist[p]),
            )
            for p in range(len(order))
        ]

    # ------------------------------------------------------------ incremental updates
    def with_openings(
        self, upserts: Sequence[Opening] = (), removed: Sequence[int] = ()
    ) -> MatchEngine:
        """A new engine with ``upserts`` added or changed and the ids ``removed`` gone (an
        opening that is no longer open counts as removed). This engine is not changed; the
        two share everything else (vocabularies, geography, TF-IDF vocabulary). The result
        ranks exactly as ``fit`` on the resulting openings with ``text_from=self``."""
        self._check_fitted()
        check_unique_ids("opening", [o.id for o in upserts])
        new = copy.copy(self)
        live = [o for o in upserts if self._opening_live(o)]
        enc = encode_openings(live, self.vocab_, self.today_, self.config_.seat_multiplier)
        gone = np.array([*removed, *(o.id for o in upserts)], dtype=np.int64)
        new.openings_, new.opening_text_ = splice_openings(
            self.openings_,
            gone,
            enc,
            self.opening_text_,
            _transform(self.opening_vec_, enc.docs),
        )
        new._derive()
        return new

    def with_slots(
        self, upserts: Sequence[MentorSlot] = (), removed: Sequence[int] = ()
    ) -> MatchEngine:
        """Like :meth:`with_openings`, for mentor slots. New interests of the slots are
        appended to the vocabulary (earlier interest ids stay valid; a youth index made
        before gets its interest ids anew when ranked)."""
        self._check_fitted()
        check_unique_ids("mentor slot", [s.id for s in upserts])
        new = copy.copy(self)
        new.vocab_ = self.vocab_.with_interests([t for s in upserts for t in s.interests])
        live = [s for s in upserts if self._slot_live(s)]
        enc = encode_slots(live, new.vocab_, self.config_.seat_multiplier)
        gone = np.array([*removed, *(s.id for s in upserts)], dtype=np.int64)
        new.slots_, new.slot_text_ = splice_slots(
            self.slots_, gone, enc, self.slot_text_, _transform(self.slot_vec_, enc.docs)
        )
        new._derive()
        return new

    def with_youths(
        self, index: YouthArrays, upserts: Sequence[Youth] = (), removed: Sequence[int] = ()
    ) -> YouthArrays:
        """``index`` with ``upserts`` added or changed and the ids ``removed`` gone (a youth
        who is no longer active counts as removed): equal to ``index`` of the resulting
        population. Neither the index given nor the engine is changed."""
        self._check_fitted()
        index = self._current(index)
        check_unique_ids("youth", [y.id for y in upserts])
        enc = encode_youths([y for y in upserts if y.status == "active"], self.vocab_)
        kinds = list(index.text_cache)
        made = _transform_phrases_many(
            [index.text_cache[kind][0] for kind in kinds], _youth_phrases(enc)
        )
        texts: dict[str, Any] = dict(zip(kinds, made, strict=True))
        gone = np.array([*removed, *(y.id for y in upserts)], dtype=np.int64)
        return splice_youths(index, gone, enc, texts)


def _occ_cells(occ: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """Sparse cells (row, occupation column, 1.0) of a padded occupation array."""
    rows, cols = np.nonzero(occ >= 0)
    return rows.astype(np.int64), occ[rows, cols].astype(np.int64), np.ones(len(rows))


def _group_cells(
    occ: IntArray, isco: IntArray, divisor: int, offset: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Sparse cells for the ISCO group (4-digit code // divisor) of each occupation."""
    rows, cols = np.nonzero(occ >= 0)
    group = isco[occ[rows, cols]]
    has = group >= 0
    return (
        rows[has].astype(np.int64),
        (offset + group[has] // divisor).astype(np.int64),
        np.ones(int(has.sum())),
    )
