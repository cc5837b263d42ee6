"""The matching engine: ``MatchEngine(config, taxonomy).fit(openings, slots).rank(youths, k)``.

Pipeline (recordlinkage style): **normalise** (:mod:`matcher.encode`) → **block**
(:mod:`matcher.blocking`: hard constraints, geography, retrieval) → **compare**
(:mod:`matcher.compare`: vectorised components, weighted mean) → **allocate**
(:mod:`matcher.allocate`: capacity-aware top-k) → **explain** (:mod:`matcher.explain`).

Fast paths for the web:

* ``engine.rank([youth], k)`` — one new or changed profile against all openings (exhaustive
  over the reachable openings, no retrieval cut-off);
* ``engine.index_youths(youths)`` once, then ``engine.match_opening(opening, k)`` — the best
  youth for one new or changed opening, in milliseconds.

Single-item fast paths are not allocated against the rest of the population; the nightly run
(``rank`` over everyone) is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.allocate import allocate
from matcher.blocking import (
    MENTOR_RULES,
    OPENING_RULES,
    GeoIndex,
    PairContext,
    Rule,
    nearest_pairs,
    passes,
    reach_radius,
    retrieve_pairs,
)
from matcher.compare import (
    MENTOR_COMPONENTS,
    OPENING_COMPONENTS,
    Component,
    ScoringModel,
    score_pairs,
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
    check_unique_ids,
    encode_openings,
    encode_slots,
    encode_youths,
    interest_matcher,
)
from matcher.explain import mentor_reasons, opening_reasons
from matcher.normalise import fold
from matcher.taxonomy import Taxonomy
from matcher.types import Match, MentorSlot, Opening, Reason, Youth

# Folded Danish function words; everything else is left to IDF.
STOP_WORDS = (
    "og i at en et til med som paa for af er vi du der de den det har kan vil os vores jeg "
    "eller ikke skal fra om hos man hvor the and of to in a"
).split()
ISCO4_COLS = 10_000
ISCO3_COLS = 1_000
RETRIEVAL_TEXT_WEIGHT = 0.3
RETRIEVAL_SKILL_WEIGHT = 0.3
RETRIEVAL_MAX_DF = 0.05  # skill concepts in more openings than this do not retrieve


def _vectorizer(docs: Sequence[str]) -> tuple[TfidfVectorizer | None, sp.csr_matrix | None]:
    if not docs:
        return None, None
    vec = TfidfVectorizer(
        preprocessor=fold,
        stop_words=STOP_WORDS,
        token_pattern=r"(?u)\b\w\w+\b",
        sublinear_tf=True,
        max_df=0.5 if len(docs) >= 50 else 1.0,
        dtype=np.float64,
    )
    try:
        matrix = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary: every document is blank or stop words
        return None, None
    return vec, sp.csr_matrix(matrix)


def _transform(vec: TfidfVectorizer | None, docs: Sequence[str]) -> sp.csr_matrix | None:
    if vec is None:
        return None
    return sp.csr_matrix(vec.transform(list(docs)))


class MatchEngine:
    """Ranks openings and mentor slots for youth profiles, and youth for an opening.

    Parameters
    ----------
    config
        Weights and thresholds (:class:`EngineConfig`); defaults when ``None``.
    taxonomy
        The vocabulary (:class:`Taxonomy`), e.g. ``models.reference.load_taxonomy()``.

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
    def fit(
        self, openings: Sequence[Opening] = (), mentor_slots: Sequence[MentorSlot] = ()
    ) -> MatchEngine:
        """Index openings and mentor slots; returns ``self``."""
        if self.taxonomy is None:
            raise ValueError("MatchEngine needs a Taxonomy (e.g. models.reference.load_taxonomy())")
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
        self.vocab_ = Vocabulary(self.taxonomy)
        self.interest_labels_ = sorted({fold(t) for s in mentor_slots for t in s.interests} - {""})
        self.vocab_.interest_matcher = interest_matcher(mentor_slots, self.taxonomy.skill_cutoff)
        self.geo_ = GeoIndex(self.taxonomy)
        live_openings = [o for o in openings if self._opening_live(o)]
        live_slots = [s for s in mentor_slots if self._slot_live(s)]
        self.openings_ = encode_openings(live_openings, self.vocab_, self.today_, cfg.seat_multiplier)
        self.slots_ = encode_slots(live_slots, self.vocab_, cfg.seat_multiplier)
        self.opening_vec_, self.opening_text_ = _vectorizer(self.openings_.docs)
        self.slot_vec_, self.slot_text_ = _vectorizer(self.slots_.docs)
        self.unknown_postcodes_ = sorted(
            [int(i) for i in self.openings_.ids[self.openings_.pc < 0]]
            + [int(i) for i in self.slots_.ids[self.slots_.pc < 0]]
        )
        self.youth_index_: YouthArrays | None = None
        return self

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
    def rank(self, youths: Sequence[Youth], k: int = 10) -> dict[int, list[Match]]:
        """Up to ``k`` openings per youth id (every id given appears, maybe with [])."""
        return self._rank(youths, k, "opening")

    def rank_mentors(self, youths: Sequence[Youth], k: int = 3) -> dict[int, list[Match]]:
        """Up to ``k`` mentor slots per youth id (every id given appears, maybe with [])."""
        return self._rank(youths, k, "mentor_slot")

    def _rank(
        self, youths: Sequence[Youth], k: int, kind: Literal["opening", "mentor_slot"]
    ) -> dict[int, list[Match]]:
        self._check_fitted()
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an int >= 1, got {k!r}")
        for y in youths:
            if not isinstance(y, Youth):
                raise ValueError(f"rank expects Youth objects, got {type(y).__name__}")
        check_unique_ids("youth", [y.id for y in youths])
        result: dict[int, list[Match]] = {y.id: [] for y in sorted(youths, key=lambda y: y.id)}
        active = [y for y in youths if y.status == "active"]
        target: OpeningArrays | SlotArrays = self.openings_ if kind == "opening" else self.slots_
        if not active or not len(target):
            return result
        youth = encode_youths(active, self.vocab_)
        yi, tj = self._candidates(youth, target, k)
        if not len(yi):
            return result
        ctx = self._context(youth, target, yi, tj)
        model = self._model(youth, target)
        registry, weights = self._registry(kind)
        score, comps = score_pairs(ctx, model, registry, weights)
        keep = allocate(yi, tj, score, youth.ids, target.ids, k, target.cap, len(youth))
        order = np.lexsort((target.ids[tj[keep]], -score[keep], yi[keep]))
        sel = np.flatnonzero(keep)[order]
        self._emit(result, youth, target, ctx, model, score, comps, sel, kind)
        return result

    def _emit(
        self,
        result: dict[int, list[Match]],
        youth: YouthArrays,
        target: OpeningArrays | SlotArrays,
        ctx: PairContext,
        model: ScoringModel,
        score: FloatArray,
        comps: dict[str, FloatArray],
        sel: IntArray,
        kind: Literal["opening", "mentor_slot"],
    ) -> None:
        sub = PairContext(youth, target, ctx.yi[sel], ctx.tj[sel], ctx.dist[sel], ctx.today,
                          ctx.tolerance)
        sub_comps = {name: values[sel] for name, values in comps.items()}
        reasons: list[tuple[Reason, ...]]
        if kind == "opening":
            reasons = opening_reasons(sub, model, sub_comps, self.vocab_)
        else:
            reasons = mentor_reasons(sub, sub_comps, self.vocab_, self.interest_labels_)
        names = list(sub_comps)
        comp_rows = np.column_stack([sub_comps[n] for n in names]).tolist()
        youth_ids = youth.ids[sub.yi].tolist()
        target_ids = target.ids[sub.tj].tolist()
        scores = score[sel].tolist()
        dists = sub.dist.tolist()
        for p in range(len(sel)):
            result[youth_ids[p]].append(
                Match(
                    target_id=target_ids[p],
                    target_kind=kind,
                    score=scores[p],
                    components=dict(zip(names, comp_rows[p], strict=True)),
                    reasons=reasons[p],
                    distance_km=dists[p],
                )
            )

    # ------------------------------------------------------------ internals
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
            youth, target, yi, tj, self.geo_.distance(youth.pc[yi], target.pc[tj]),
            self.today_day_, self.config_.start_tolerance_days,
        )

    def _youth_text(self, youth: YouthArrays, target: OpeningArrays | SlotArrays) -> sp.csr_matrix | None:
        vec = self.opening_vec_ if isinstance(target, OpeningArrays) else self.slot_vec_
        return _transform(vec, youth.docs)

    def _model(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays,
        youth_text: sp.csr_matrix | None = None, target_text: sp.csr_matrix | None = None,
    ) -> ScoringModel:
        cfg = self.config_
        if youth_text is None:
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
            interests_vacuous=cfg.interests_vacuous,
        )

    def reachable_pairs_estimate(self, youth: YouthArrays, target: OpeningArrays | SlotArrays) -> int:
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
        cfg = self.config_
        rules = self._rules(target)
        all_rows = np.arange(len(youth), dtype=np.int64)
        today, tol = self.today_day_, cfg.start_tolerance_days
        if self.reachable_pairs_estimate(youth, target) <= cfg.exhaustive_max_pairs:
            return nearest_pairs(self.geo_, youth, target, all_rows, rules, today, tol, None)
        fy, ft = self._retrieval_features(youth, target)
        yi, tj = retrieve_pairs(
            self.geo_, youth, target, fy, ft, rules, today, tol, cfg.candidates_per_youth
        )
        short = np.flatnonzero(np.bincount(yi, minlength=len(youth)) < k)
        if len(short) and cfg.fallback_candidates:
            fy_i, ft_j = nearest_pairs(
                self.geo_, youth, target, short, rules, today, tol, cfg.fallback_candidates
            )
            yi = np.concatenate([yi, fy_i])
            tj = np.concatenate([tj, ft_j])
            key = np.unique((yi << KEY_SHIFT) | tj)
            yi, tj = key >> KEY_SHIFT, key & ((1 << KEY_SHIFT) - 1)
        return yi, tj

    def _retrieval_features(
        self, youth: YouthArrays, target: OpeningArrays | SlotArrays
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        tx = self.vocab_.taxonomy
        y_text = self._youth_text(youth, target)
        t_text = self.opening_text_ if isinstance(target, OpeningArrays) else self.slot_text_
        if isinstance(target, OpeningArrays):
            base = tx.n_occupations + ISCO4_COLS + ISCO3_COLS
            width = base + self.vocab_.text_offset + len(self.vocab_.texts)
            isco = tx.occ_isco4
            # Openings: occupation, its ISCO-4 and ISCO-3 groups, skill concepts.
            t_rows, t_cols, t_vals = _occupation_cells(target.occ[:, None], isco, tx.n_occupations)
            wr, wc, wv = _occupation_cells(youth.wish_occ, isco, tx.n_occupations)
            wv = wv * np.select([wc < tx.n_occupations, wc < tx.n_occupations + ISCO4_COLS],
                                [1.0, 0.5], 0.25)
            req_r, req_c = np.nonzero(target.req >= 0)
            nice_r, nice_c = np.nonzero(target.nice >= 0)
            concepts = np.r_[target.req[req_r, req_c], target.nice[nice_r, nice_c]]
            c_rows = np.r_[req_r, nice_r]
            df = np.bincount(concepts, minlength=width - base)
            common = df > RETRIEVAL_MAX_DF * max(len(target), 1)
            ok = ~common[concepts]
            t_rows = np.r_[t_rows, c_rows[ok]]
            t_cols = np.r_[t_cols, base + concepts[ok]]
            t_vals = np.r_[t_vals, np.ones(int(ok.sum()))]
            yk = youth.skill_keys[youth.skill_vals >= 1.0]
            y_rows = np.r_[wr, yk >> KEY_SHIFT]
            y_cols = np.r_[wc, base + (yk & ((1 << KEY_SHIFT) - 1))]
            y_vals = np.r_[wv, np.full(len(yk), RETRIEVAL_SKILL_WEIGHT)]
        else:
            width = len(self.interest_labels_)
            t_rows, t_cols = np.nonzero(target.interest_ids >= 0)
            t_cols = target.interest_ids[t_rows, t_cols]
            t_vals = np.ones(len(t_rows))
            y_rows, y_cols = np.nonzero(youth.interest_ids >= 0)
            y_cols = youth.interest_ids[y_rows, y_cols]
            y_vals = np.ones(len(y_rows))
        fy = sp.csr_matrix((y_vals, (y_rows, y_cols)), shape=(len(youth), width))
        ft = sp.csr_matrix((t_vals, (t_rows, t_cols)), shape=(len(target), width))
        if y_text is not None and t_text is not None:
            fy = sp.hstack([fy, RETRIEVAL_TEXT_WEIGHT * y_text], format="csr")
            ft = sp.hstack([ft, t_text], format="csr")
        return fy, ft

    # -------------------------------------------------------------- fast paths
    def index_youths(self, youths: Sequence[Youth]) -> MatchEngine:
        """Encode the youth population once for :meth:`match_opening`; returns ``self``."""
        self._check_fitted()
        check_unique_ids("youth", [y.id for y in youths])
        active = [y for y in youths if y.status == "active"]
        self.youth_index_ = encode_youths(active, self.vocab_)
        self.youth_index_text_ = _transform(self.opening_vec_, self.youth_index_.docs)
        return self

    def match_opening(self, opening: Opening, k: int = 10) -> list[Match]:
        """The best ``k`` indexed youth for one new or changed opening (no allocation)."""
        self._check_fitted()
        if self.youth_index_ is None:
            raise ValueError("call index_youths(youths) before match_opening")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an int >= 1, got {k!r}")
        if not self._opening_live(opening):
            return []
        youth = self.youth_index_
        target = encode_openings([opening], self.vocab_, self.today_, self.config_.seat_multiplier)
        yi = np.arange(len(youth), dtype=np.int64)
        yi = yi[self.geo_.distance(youth.pc, np.full(len(youth), target.pc[0])) <= youth.commute]
        ctx = self._context(youth, target, yi, np.zeros(len(yi), dtype=np.int64))
        keep = passes(ctx, OPENING_RULES)
        ctx = self._context(youth, target, yi[keep], ctx.tj[keep])
        if not len(ctx.yi):
            return []
        model = self._model(youth, target, self.youth_index_text_,
                            _transform(self.opening_vec_, target.docs))
        score, comps = score_pairs(ctx, model, OPENING_COMPONENTS, dict(self.config_.opening_weights))
        order = np.lexsort((youth.ids[ctx.yi], -score))[:k]
        sub = PairContext(youth, target, ctx.yi[order], ctx.tj[order], ctx.dist[order], ctx.today,
                          ctx.tolerance)
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


def _occupation_cells(
    occ: IntArray, isco: IntArray, n_occ: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Sparse cells (row, column, 1.0) for occupation, ISCO-4 and ISCO-3 group columns."""
    rows, cols = np.nonzero(occ >= 0)
    o = occ[rows, cols]
    g4 = isco[o]
    has = g4 >= 0
    r = np.r_[rows, rows[has], rows[has]]
    c = np.r_[o, n_occ + g4[has], n_occ + ISCO4_COLS + g4[has] // 10]
    return r.astype(np.int64), c.astype(np.int64), np.ones(len(r))
