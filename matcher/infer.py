"""Occupations from skills and experience: what a youth's profile says they could work as.

Many young people this service is for have no clear wish yet: the caseworker records what
they can do (skills, former jobs, interests), not a job title. This module turns that into a
ranked distribution over ESCO occupations, using the shipped ESCO occupation–skill relations,
so that such a youth is retrieved and scored through *inferred* occupations (see
``matcher/README.md``, "Occupations from skills").

Model (``weighting="bayes"``, the default)
    A multinomial naive-Bayes model of how a profile's skills arise from an occupation. The
    skills of occupation ``o`` are drawn from

        θ_o(s) = (1 − α) · w_os / W_o + α · bg(s)

    where ``w_os`` is 1 for an essential and 0.5 for an optional skill of ``o`` (ESCO),
    ``W_o = Σ_s w_os`` and ``bg(s)`` is the skill's share of all relations (how common it is
    across occupations). ``α`` (``smoothing``) is the share of a profile's skills that come
    from elsewhere: typos that matched the wrong skill, a neighbouring occupation's skills,
    hobbies. The log-likelihood of a profile's skills ``S`` is then, up to a constant that is
    the same for every occupation,

        LL(o) = Σ_{s ∈ S ∩ o} log(1 + (1 − α) · w_os / (W_o · α · bg(s)))

    — a sparse product. It has the properties the issue asks for without tuning: essential
    counts more than optional (``w_os``), rare skills more than common ones (``1/bg(s)``,
    an IDF of the relations), and an occupation with a long skill list is not favoured just
    because it covers more (``1/W_o``). A former job (a skill text that names an occupation,
    or the dedicated field) adds ``experience_nats`` to that occupation and half of it to the
    others of its ISCO 4-digit group; interests add ``interest_nats`` to the occupation groups
    of :data:`INTEREST_GROUPS` (a weak signal, never above skills or wishes). The posterior
    over *all* occupations (those without evidence keep the flat prior) is exact, so a
    profile with one common skill gives a flat, uncertain distribution.

Alternative (``weighting="idf"``)
    Cosine of TF-IDF vectors: the profile's skills weighted by IDF against each occupation's
    skills weighted by ``w_os · IDF``. Kept for the benchmark's comparison
    (``bench/quality_bench.py``); it lost to the Bayes model there (see the README).

Roll-up
    ``expected_gain`` turns a distribution into what a target occupation is worth to the
    youth: its own probability plus a share of the probability of the occupations in its ISCO
    4-digit (``0.5``) and 3-digit (``0.25``) groups — so near occupations count.

Everything here is pure NumPy/SciPy over the taxonomy (no I/O), deterministic, and read-only
after construction: one :class:`OccupationModel` per taxonomy, shared by every engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matcher.arrays import rank_in_runs, spans
from matcher.normalise import LabelMatcher
from matcher.parallel import ordered_map

#: Log-odds this far below a row's best (after the temperature) are under 0.1 % as likely:
#: nothing they add to an expected gain or to the top list matters.
PRUNE_NATS = 7.0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Common Danish (and English) interest words -> ISCO groups (2-, 3- or 4-digit codes, as
#: strings). Project-made, documented in matcher/README.md: a weak signal only. Each group is a
#: prefix of the ISCO 4-digit code of the occupations it lifts.
INTEREST_GROUPS: dict[str, tuple[str, ...]] = {
    "biler": ("7231", "7213", "8322", "8332", "9122"),
    "cars": ("7231", "7213", "8322", "8332", "9122"),
    "knallerter": ("7231", "7234"),
    "motorcykler": ("7231",),
    "mekanik": ("723", "7233"),
    "madlavning": ("512", "9411", "9412", "7512"),
    "bagning": ("7512", "512"),
    "cooking": ("512", "9411", "9412"),
    "mad": ("512", "9412", "5131"),
    "dyr": ("5164", "6121", "6122", "9212", "3240"),
    "heste": ("5164", "6121"),
    "animals": ("5164", "6121", "9212", "3240"),
    "natur": ("6113", "6210", "9214", "6111"),
    "friluftsliv": ("6113", "6210", "9214"),
    "havearbejde": ("6113", "9214"),
    "fiskeri": ("622", "9216"),
    "computere": ("351", "2512", "2513", "7422"),
    "computer": ("351", "2512", "7422"),
    "gaming": ("351", "2512"),
    "e sport": ("351",),
    "it": ("351", "2512", "7422"),
    "mode": ("5221", "7531", "5223"),
    "toej": ("5223", "7531"),
    "fitness": ("3423", "5142"),
    "sport": ("3422", "3423"),
    "fodbold": ("3422",),
    "haandbold": ("3422",),
    "svoemning": ("3422", "5419"),
    "tegning": ("2166", "7316", "3432"),
    "foto": ("3431",),
    "musik": ("2652", "3435"),
    "boern": ("5311", "5312", "2342"),
    "omsorg": ("5321", "5322", "5311"),
    "byggeri": ("711", "712", "9313"),
    "traearbejde": ("7115", "7522"),
    "el": ("7411", "7412"),
    "rengoering": ("9112", "5151"),
    "kunder": ("5223", "5230", "4225"),
    "cykling": ("9331", "7234"),
    "frivilligt arbejde": ("5322", "3412"),
    "hjaelpe andre": ("5321", "5322", "3412"),
    "teater": ("3435", "2655"),
    "dans": ("2653",),
    "sang": ("2652",),
    "laesning": ("4411", "3433"),
}


@dataclass(frozen=True)
class InferenceSettings:
    """Parameters of the occupation inference (see the module docstring)."""

    weighting: str = "bayes"  # "bayes" or "idf"
    smoothing: float = 0.15  # α: share of a profile's skills from elsewhere
    experience_nats: float = 4.0  # a former job in the occupation
    interest_nats: float = 0.4  # an interest pointing at the occupation's group
    temperature: float = 2.0  # log-likelihoods are divided by it (naive Bayes is overconfident)
    top: int = 12  # occupations kept per youth
    group4_share: float = 0.5
    group3_share: float = 0.25

    def __post_init__(self) -> None:
        if self.weighting not in ("bayes", "idf"):
            raise ValueError(f"weighting must be 'bayes' or 'idf', got {self.weighting!r}")
        if not 0.0 < self.smoothing < 1.0:
            raise ValueError("smoothing must lie in (0, 1)")
        if self.top < 1:
            raise ValueError("top must be >= 1")
        if not self.temperature > 0:
            raise ValueError("temperature must be > 0")


@dataclass(frozen=True)
class Inferred:
    """Top occupations per youth row: padded arrays (``-1`` / ``0.0`` beyond each row's end).

    ``occ[i, r]`` is the r-th most likely occupation of row i, ``prob[i, r]`` its posterior
    probability and ``group[i, r]`` its ISCO 4-digit code; ``gain`` holds the rolled-up
    expected gain of the same occupation (its value as a target); ``best_gain[i]`` the row's
    largest expected gain, the scale the engine normalises by.
    """

    occ: IntArray
    prob: FloatArray
    gain: FloatArray
    best_gain: FloatArray
    group: IntArray

    @staticmethod
    def empty(n: int, width: int = 1) -> Inferred:
        return Inferred(
            np.full((n, width), -1, dtype=np.int64),
            np.zeros((n, width)),
            np.zeros((n, width)),
            np.zeros(n),
            np.full((n, width), -1, dtype=np.int64),
        )

    @cached_property
    def tables(self) -> tuple[tuple[IntArray, FloatArray], ...]:
        """Sorted ``row << 40 | code`` keys with summed probability: per occupation, per ISCO
        4-digit and per 3-digit group (so the expected gain of any pair is three look-ups)."""
        rows = np.repeat(np.arange(self.occ.shape[0], dtype=np.int64), self.occ.shape[1])
        out: list[tuple[IntArray, FloatArray]] = []
        for code in (self.occ, self.group, np.where(self.group >= 0, self.group // 10, -1)):
            flat = code.reshape(-1).astype(np.int64)
            ok = flat >= 0
            keys = (rows[ok] << _SHIFT) | flat[ok]
            uniq, inverse = np.unique(keys, return_inverse=True)
            sums: FloatArray = np.bincount(inverse, weights=self.prob.reshape(-1)[ok]).astype(
                np.float64
            )
            out.append((uniq.astype(np.int64), sums))
        return tuple(out)


_SHIFT = 40


def _small(values: IntArray) -> npt.NDArray[np.signedinteger]:
    """``values`` (non-negative) in int16 when they fit: a stable sort of them is a radix sort."""
    if not len(values) or int(values.max()) <= np.iinfo(np.int16).max:
        return values.astype(np.int16)
    return values


def _look_up(table: tuple[IntArray, FloatArray], rows: IntArray, code: IntArray) -> FloatArray:
    keys, vals = table
    if not len(keys):
        return np.zeros(len(rows))
    query = (rows << _SHIFT) | np.maximum(code, 0)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    out: FloatArray = np.where((keys[pos] == query) & (code >= 0), vals[pos], 0.0)
    return out


class OccupationModel:
    """The occupation–skill model of one taxonomy (built once, read-only afterwards).

    Parameters
    ----------
    occ_skills
        CSR occupations × skills, 1.0 essential / 0.5 optional.
    occ_isco4
        ISCO 4-digit code of each occupation (``-1`` unknown).
    settings
        :class:`InferenceSettings`.
    """

    def __init__(
        self,
        occ_skills: sp.csr_matrix,
        occ_isco4: IntArray,
        settings: InferenceSettings | None = None,
    ) -> None:
        self.settings = settings or InferenceSettings()
        st = self.settings
        w = sp.csr_matrix(occ_skills, dtype=np.float64)
        self.n_occ, self.n_skills = w.shape
        self.occ_isco4 = np.asarray(occ_isco4, dtype=np.int64)
        col_mass = np.asarray(w.sum(axis=0)).ravel()
        total = float(col_mass.sum()) or 1.0
        bg = np.maximum(col_mass / total, 1.0 / total)
        row_mass = np.maximum(np.asarray(w.sum(axis=1)).ravel(), 1e-9)
        df = np.bincount(w.indices, minlength=self.n_skills).astype(np.float64)
        self.idf = np.log((1.0 + self.n_occ) / (1.0 + df)) + 1.0
        if st.weighting == "bayes":
            rows = np.repeat(np.arange(self.n_occ), np.diff(w.indptr))
            ratio = (1.0 - st.smoothing) * w.data / (row_mass[rows] * st.smoothing * bg[w.indices])
            evidence = sp.csr_matrix((np.log1p(ratio), w.indices, w.indptr), shape=w.shape)
        else:
            weighted = w.multiply(self.idf[None, :]).tocsr()
            norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
            evidence = sp.csr_matrix(
                sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted, dtype=np.float64
            )
        # skills × occupations, so a youth × skills matrix times it gives youth × occupations.
        self.evidence_t: sp.csr_matrix = sp.csr_matrix(evidence.T)
        self.skill_sets: sp.csr_matrix = sp.csr_matrix(
            (np.ones(len(w.data)), w.indices, w.indptr), shape=w.shape
        )
        rows = np.repeat(np.arange(self.n_occ, dtype=np.int64), np.diff(w.indptr))
        #: Sorted ``occupation << 40 | skill`` keys of every relation (vectorised membership).
        self.relation_keys: IntArray = (rows << _SHIFT) | w.indices.astype(np.int64)
        self.group4 = self._group_index(self.occ_isco4)
        self.group3 = self._group_index(np.where(self.occ_isco4 >= 0, self.occ_isco4 // 10, -1))
        self.interests = self._interest_matcher()

    # ------------------------------------------------------------------ build
    def _group_index(self, codes: IntArray) -> sp.csr_matrix:
        """Occupations × occupations: 1 where both are in the same group (0 for unknown)."""
        known = codes >= 0
        _, inverse = np.unique(np.where(known, codes, -1), return_inverse=True)
        rows = np.flatnonzero(known)
        member = sp.csr_matrix(
            (np.ones(len(rows)), (rows, inverse[rows])), shape=(self.n_occ, int(inverse.max()) + 1)
        )
        return sp.csr_matrix(member @ member.T)

    def _interest_matcher(self) -> LabelMatcher:
        words = sorted(INTEREST_GROUPS)
        self._interest_occ: list[IntArray] = []
        isco = self.occ_isco4
        text = np.array([str(c) if c >= 0 else "" for c in isco.tolist()])
        for word in words:
            hit = np.zeros(self.n_occ, dtype=bool)
            for prefix in INTEREST_GROUPS[word]:
                hit |= np.char.startswith(text, prefix)
            self._interest_occ.append(np.flatnonzero(hit))
        return LabelMatcher(words, list(range(len(words))), 90.0)

    # ------------------------------------------------------------------ infer
    def log_evidence(
        self,
        skills: Sequence[Sequence[int]],
        experience: Sequence[Sequence[int]] = (),
        interests: Sequence[Sequence[str]] = (),
    ) -> sp.csr_matrix:
        """Rows × occupations: the log-likelihood ratio of each occupation (0 = no evidence).

        ``skills`` are ESCO skill indices per row, ``experience`` occupation indices of former
        jobs, ``interests`` free-text interests.
        """
        n = len(skills)
        st = self.settings
        rows = np.repeat(np.arange(n), [len(s) for s in skills])
        cols = np.fromiter((c for s in skills for c in s), dtype=np.int64, count=len(rows))
        vals = np.ones(len(rows))
        if st.weighting == "idf":
            vals = self.idf[cols]
        youth = sp.csr_matrix((vals, (rows, cols)), shape=(n, self.n_skills))
        youth.sum_duplicates()
        youth.data = np.minimum(youth.data, self.idf.max() if st.weighting == "idf" else 1.0)
        if st.weighting == "idf":
            norms = np.sqrt(np.asarray(youth.multiply(youth).sum(axis=1)).ravel())
            youth = sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ youth)
            # Cosine in [0, 1] on the same nat scale as the Bayes model's evidence.
            out = sp.csr_matrix(youth @ self.evidence_t) * 8.0
        else:
            out = sp.csr_matrix(youth @ self.evidence_t)
        extra_r, extra_c, extra_v = self._experience_cells(experience)
        if interests:
            r, c = self._interest_cells(interests)
            extra_r = np.r_[extra_r, r]
            extra_c = np.r_[extra_c, c]
            extra_v = np.r_[extra_v, np.full(len(r), st.interest_nats)]
        if len(extra_r):
            extra = sp.csr_matrix((extra_v, (extra_r, extra_c)), shape=out.shape)
            extra.sum_duplicates()
            out = sp.csr_matrix(out + extra)
        return out

    def _experience_cells(
        self, experience: Sequence[Sequence[int]]
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """(row, occupation, nats) of every former job's evidence, row by row: the job's
        occupation gets ``experience_nats``, the others of its ISCO 4-digit group half of it
        (an occupation without a group: itself only). One ragged gather over the group index,
        in the order a loop over rows, jobs and group members would give."""
        nats = self.settings.experience_nats
        lengths = np.fromiter((len(o) for o in experience), dtype=np.int64, count=len(experience))
        occ = np.fromiter(
            (o for row in experience for o in row), dtype=np.int64, count=int(lengths.sum())
        )
        rows = np.repeat(np.arange(len(experience), dtype=np.int64), lengths)
        known = occ >= 0
        rows, occ = rows[known], occ[known]
        indptr, indices = self.group4.indptr.astype(np.int64), self.group4.indices
        size = indptr[occ + 1] - indptr[occ]
        width = np.maximum(size, 1)  # an occupation without a group: one cell, itself
        owner = np.repeat(np.arange(len(occ), dtype=np.int64), width)
        at = np.minimum(spans(indptr[occ], width), max(len(indices) - 1, 0))
        member = indices[at].astype(np.int64) if len(indices) else np.zeros(len(at), np.int64)
        col = np.where(size[owner] > 0, member, occ[owner])
        val = np.where(col == occ[owner], nats, nats / 2)
        return rows[owner], col, val

    def _interest_cells(self, interests: Sequence[Sequence[str]]) -> tuple[IntArray, IntArray]:
        """(row, occupation) of every recognised interest's occupation groups, row by row."""
        flat = [t for row in interests for t in row]
        if not flat:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        hits = np.asarray(self.interests.lookup(flat), dtype=np.int64)
        lengths = np.fromiter((len(r) for r in interests), dtype=np.int64, count=len(interests))
        rows = np.repeat(np.arange(len(interests), dtype=np.int64), lengths)
        rows, hits = rows[hits >= 0], hits[hits >= 0]
        indptr, indices = self._interest_table
        width = indptr[hits + 1] - indptr[hits]
        owner = np.repeat(np.arange(len(hits), dtype=np.int64), width)
        at = spans(indptr[hits], width)
        return rows[owner], indices[at]

    @cached_property
    def _interest_table(self) -> tuple[IntArray, IntArray]:
        """The interest groups' occupations as one ragged table (indptr, indices)."""
        sizes = [len(o) for o in self._interest_occ]
        indptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        indices = (
            np.concatenate(self._interest_occ).astype(np.int64)
            if sizes
            else np.zeros(0, dtype=np.int64)
        )
        return indptr, indices

    def infer(
        self,
        skills: Sequence[Sequence[int]],
        experience: Sequence[Sequence[int]] = (),
        interests: Sequence[Sequence[str]] = (),
        chunk: int = 4096,
    ) -> Inferred:
        """The ``top`` most likely occupations of each row with posterior and expected gain."""
        n = len(skills)
        top = self.settings.top
        if n == 0:
            return Inferred.empty(0, top)
        if interests:
            # One batch over every row first: the chunks below then only read its cache.
            self.interests.lookup([t for row in interests for t in row])
        temperature = self.settings.temperature

        def part(start: int) -> Inferred:
            stop = min(n, start + chunk)
            ll = self.log_evidence(
                skills[start:stop],
                experience[start:stop] if experience else (),
                interests[start:stop] if interests else (),
            )
            if temperature != 1.0:
                ll = ll / temperature
            return self._posterior(sp.csr_matrix(ll))

        # Chunks are independent: on the engine's threads, in order (matcher/parallel.py).
        parts = ordered_map(part, range(0, n, chunk))
        return Inferred(
            np.vstack([p.occ for p in parts]),
            np.vstack([p.prob for p in parts]),
            np.vstack([p.gain for p in parts]),
            np.concatenate([p.best_gain for p in parts]),
            np.vstack([p.group for p in parts]),
        )

    def _posterior(self, ll: sp.csr_matrix) -> Inferred:
        """Exact posterior over all occupations, top ``top`` kept; rows without evidence
        stay empty."""
        n = ll.shape[0]
        top = self.settings.top
        out = Inferred.empty(n, top)
        ll.eliminate_zeros()
        counts = np.diff(ll.indptr)
        if not counts.any():
            return out
        # Stable softmax per row: occupations without evidence have log-odds 0 (flat prior).
        row_of = np.repeat(np.arange(n), counts)
        # Each row's peak (at least 0) by one reduction over its run of the CSR data instead
        # of ``np.maximum.at`` (a fifth of the time; a maximum is exact in any order).
        peak = np.zeros(n)
        filled = np.flatnonzero(counts)
        peak[filled] = np.maximum(np.maximum.reduceat(ll.data, ll.indptr[filled]), 0.0)
        peak_of = peak[row_of]
        expo = np.exp(ll.data - peak_of)
        norm = np.bincount(row_of, weights=expo, minlength=n)
        norm += (self.n_occ - counts) * np.exp(-peak)
        # Only occupations within reach of a row's best can be in its top: sort just those,
        # and only their probabilities are needed (about 6 % of the entries at national
        # scale; the same division per entry).
        near = np.flatnonzero(ll.data >= peak_of - PRUNE_NATS)
        del peak_of
        near_row = row_of[near]
        prob = expo[near] / norm[near_row]
        # Per row, most likely first, ties by occupation: exactly ``lexsort((occupation,
        # -prob, row))`` as three stable sorts, the two on integers in a small type (NumPy
        # sorts 16-bit integers by radix, in linear time). Positions among ``near``.
        order = np.argsort(_small(ll.indices[near]), kind="stable")
        order = order[np.argsort(-prob[order], kind="stable")]
        order = order[np.argsort(_small(near_row[order]), kind="stable")]
        rank = rank_in_runs(near_row[order])
        keep = order[rank < top]
        r, c = near_row[keep], rank[rank < top]
        occ = ll.indices[near[keep]]
        out.occ[r, c] = occ
        out.prob[r, c] = prob[keep]
        out.group[r, c] = self.occ_isco4[occ]
        rows = np.repeat(np.arange(n), top)
        out.gain[:] = self.expected_gain(out, rows, out.occ.reshape(-1)).reshape(n, top)
        out.best_gain[:] = out.gain.max(axis=1)
        return out

    def expected_gain(self, inferred: Inferred, rows: IntArray, occ: IntArray) -> FloatArray:
        """Expected gain of target occupation ``occ[p]`` for youth row ``rows[p]``.

        From the row's top occupations (the rest of the posterior is spread thin): the
        probability of ``occ`` itself, plus ``group4_share`` of the others in its ISCO 4-digit
        group and ``group3_share`` of the others in its 3-digit group —
        ``(1 − s4)·p(occ) + (s4 − s3)·P(group4) + s3·P(group3)``.
        """
        st = self.settings
        known = occ >= 0
        safe = np.maximum(occ, 0)
        g4 = np.where(known, self.occ_isco4[safe], -1)
        g3 = np.where(g4 >= 0, g4 // 10, -1)
        t_occ, t_g4, t_g3 = inferred.tables
        own = _look_up(t_occ, rows, np.where(known, occ, -1))
        out: FloatArray = (
            (1.0 - st.group4_share) * own
            + (st.group4_share - st.group3_share) * _look_up(t_g4, rows, g4)
            + st.group3_share * _look_up(t_g3, rows, g3)
        )
        return out

    def supporting_skills(self, skills: Sequence[int], occ: int) -> list[int]:
        """The youth's skills (ESCO indices) that belong to occupation ``occ``, in input order."""
        lo, hi = self.skill_sets.indptr[occ], self.skill_sets.indptr[occ + 1]
        own = set(self.skill_sets.indices[lo:hi].tolist())
        return [s for s in dict.fromkeys(skills) if s in own]
