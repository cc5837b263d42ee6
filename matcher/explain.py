"""Reasons a caseworker understands, in Danish and English.

Each reason is a :class:`matcher.types.Reason` with a stable ``code``, both texts and the
numbers behind them (``params``). Reasons are built from templates and cached, since a
national run produces hundreds of thousands of matches but few distinct reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from babel.numbers import format_decimal

from matcher.blocking import PairContext, _openings, _slots
from matcher.compare import ScoringModel, concept_hits, pair_wish_cells
from matcher.encode import KEY_SHIFT, BoolArray, FloatArray, IntArray, Vocabulary
from matcher.types import OPENING_KINDS, Reason

#: code -> (parameter names, Danish template, English template)
TEMPLATES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "occupation_same": (
        ("occupation_da", "occupation_en"),
        "Ønsker at arbejde som {occupation_da}",
        "Wishes to work as {occupation_en}",
    ),
    "occupation_group": (
        ("wish_da", "wish_en", "group_da", "group_en"),
        "Beslægtet med ønsket om {wish_da} (samme faggruppe: {group_da})",
        "Related to the wish to work as {wish_en} (same group: {group_en})",
    ),
    "occupation_field": (
        ("wish_da", "wish_en"),
        "Inden for samme fagområde som ønsket om {wish_da}",
        "In the same occupational field as the wish to work as {wish_en}",
    ),
    "inferred_skills": (
        ("occupation_da", "occupation_en", "matched", "total"),
        "Kompetencerne bruges som {occupation_da} ({matched} af {total})",
        "The skills are used as {occupation_en} ({matched} of {total})",
    ),
    "inferred_experience": (
        ("occupation_da", "occupation_en"),
        "Erfaring fra et tidligere job peger på {occupation_da}",
        "Experience from a former job points to {occupation_en}",
    ),
    "inferred_group": (
        ("occupation_da", "occupation_en"),
        "Beslægtet med det, kompetencerne peger på ({occupation_da})",
        "Related to what the skills point to ({occupation_en})",
    ),
    "kind_preferred": (
        ("kind_da", "kind_en"),
        "Den slags, den unge foretrækker ({kind_da})",
        "The kind the young person prefers ({kind_en})",
    ),
    "kind_other": (
        ("kind_da", "kind_en"),
        "Ikke den slags, den unge foretrækker ({kind_da})",
        "Not the kind the young person prefers ({kind_en})",
    ),
    "skills_required": (
        ("covered", "total"),
        "{covered} af {total} krævede kompetencer",
        "{covered} of {total} required skills",
    ),
    "skills_partial": (
        ("partial",),
        "{partial} krævede kompetencer delvist via erhvervserfaring",
        "{partial} required skills partly through work experience",
    ),
    "skills_none_required": (
        (),
        "Ingen krav om bestemte kompetencer",
        "No specific skills required",
    ),
    "skills_nice": (
        ("covered", "total"),
        "{covered} af {total} ønskede kompetencer",
        "{covered} of {total} nice-to-have skills",
    ),
    "text_similar": (
        (),
        "Stillingsteksten ligner den unges ønsker og kompetencer",
        "The job text resembles the young person's wishes and skills",
    ),
    "distance": (
        ("km", "max_km"),
        "{km} km fra hjemmet, maks. {max_km}",
        "{km} km from home, max {max_km}",
    ),
    "hours_fit": (
        ("min", "max"),
        "Timetallet passer ({min}–{max} t/uge)",
        "Hours fit ({min}–{max} h/week)",
    ),
    "hours_partial": (
        ("min", "max"),
        "Timetallet passer delvist ({min}–{max} t/uge)",
        "Hours partly fit ({min}–{max} h/week)",
    ),
    "start_late": (
        ("days",),
        "Kan starte {days} dage efter startdatoen",
        "Can start {days} days after the start date",
    ),
    "mentor_at_work": ((), "Mentor på arbejdspladsen", "Mentor at the workplace"),
    "mentor_missing": (
        (),
        "Ingen mentor på arbejdspladsen, selv om den unge ønsker en",
        "No mentor at the workplace although the young person wants one",
    ),
    "nearby_only": (
        (),
        "Foreslået fordi det er tæt på (intet fagligt overlap fundet)",
        "Suggested because it is close by (no occupational overlap found)",
    ),
    "interests_shared": (
        ("interests",),
        "Fælles interesser: {interests}",
        "Shared interests: {interests}",
    ),
    "language_first": (
        ("language",),
        "Mentoren taler den unges førstesprog ({language})",
        "The mentor speaks the young person's first language ({language})",
    ),
    "language_common": ((), "Fælles sprog", "A language in common"),
    "mentor_distance": (
        ("km",),
        "{km} km mellem den unge og mentoren",
        "{km} km between the young person and the mentor",
    ),
    "capacity": (
        ("free",),
        "Ledige pladser hos mentoren: {free}",
        "Free places with the mentor: {free}",
    ),
    "available_later": (
        ("days",),
        "Mentoren er ledig om {days} dage",
        "The mentor is available in {days} days",
    ),
}


#: Opening kinds in the reasons' words (matcher.types.OPENING_KINDS).
KIND_WORDS: dict[str, tuple[str, str]] = {
    "job": ("job", "job"),
    "apprenticeship": ("læreplads", "apprenticeship"),
    "internship": ("praktik", "internship"),
    "wage_subsidy": ("løntilskud", "wage subsidy"),
    "small_job": ("småjob", "small job"),
    "education": ("uddannelsesplads", "education place"),
}
#: The inferred component from which an inferred occupation is named as a reason.
INFERRED_REASON_MIN = 0.5


@lru_cache(maxsize=100_000)
def reason(code: str, *values: object) -> Reason:
    names, _, _ = TEMPLATES[code]
    # Plain Python values (JSON-ready: the nightly run stores code and parameters).
    plain = (v.item() if isinstance(v, np.generic) else v for v in values)
    params = tuple(zip(names, plain, strict=True))
    return Reason(code, _text(code, params, "da"), _text(code, params, "en"), params)


def reason_text(code: str, params: Mapping[str, object], locale: str) -> str:
    """The reason ``code`` with ``params`` in ``locale``: Danish words for a Danish locale,
    English for any other, and the numbers as that locale writes them (6,7 km in Danish,
    6.7 km in English; Babel's CLDR patterns). The engine's own texts (:func:`reason`) and
    what the service shows of a stored reason (its code and parameters) are both made here.
    KeyError for a code or parameter this engine does not know."""
    return _text(code, tuple(params.items()), locale)


@lru_cache(maxsize=65_536)
def _text(code: str, params: tuple[tuple[str, object], ...], locale: str) -> str:
    _, da, en = TEMPLATES[code]
    template = da if locale.split("_")[0] == "da" else en
    return template.format(**{name: _shown(value, locale) for name, value in params})


def _shown(value: object, locale: str) -> object:
    """A number in ``locale``'s format; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return value
    return _number(float(value), locale)


@lru_cache(maxsize=16_384)
def _number(value: float, locale: str) -> str:
    """Few distinct numbers are shown (distances to a tenth, hours, counts): each is
    formatted by Babel once per locale."""
    return str(format_decimal(value, locale=locale))


def shown_km(km: FloatArray) -> list[float]:
    """Whole km from 10 km, one decimal below (templates print 3.0 as 3)."""
    out: list[float] = np.where(km >= 10, np.round(km), np.round(km, 1)).tolist()
    return out


def _shown_km_array(km: FloatArray) -> FloatArray:
    out: FloatArray = np.where(km >= 10, np.round(km), np.round(km, 1))
    return out


def _groups(keys: Sequence[npt.NDArray[np.generic]]) -> tuple[IntArray, IntArray]:
    """Distinct rows of the key columns (compared as float64): the first position of each
    and each position's group number, as ``np.unique(stacked, axis=0, return_index=True,
    return_inverse=True)`` gives them (up to the numbering of the groups). Each column is
    coded by its rank among its values (integers: by offset) and the codes are combined into
    one integer, so no row-wise sort of a float matrix (the slowest part of the reasons)."""
    n = len(keys[0])
    code = np.zeros(n, dtype=np.int64)
    size = 1
    for k in keys:
        c: IntArray
        if k.dtype.kind in "biu" and n:
            c = k.astype(np.int64)
            c -= c.min()
            m = int(c.max()) + 1
        else:
            distinct, inverse = np.unique(k.astype(np.float64), return_inverse=True)
            c, m = inverse.astype(np.int64), len(distinct)
        if size * m >= 2**62:  # too many combinations for one integer: sort the rows
            stacked = np.stack([x.astype(np.float64) for x in keys], axis=1)
            _, first, inverse = np.unique(stacked, axis=0, return_index=True, return_inverse=True)
            return first, inverse.reshape(-1)
        code = code * m + c.reshape(-1)
        size *= m
    if size > 4 * n + 1024:
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        return first, inverse
    first_of = np.full(size, n, dtype=np.int64)
    np.minimum.at(first_of, code, np.arange(n))
    used = np.flatnonzero(first_of < n)
    number = np.empty(size, dtype=np.int64)
    number[used] = np.arange(len(used))
    return first_of[used], number[code]


class _Columns:
    """Reasons column by column: each kind of reason is decided for all pairs at once and
    built once per distinct wording; a pair's reasons are its entries, column by column."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.values: list[npt.NDArray[np.object_]] = []
        self.present: list[BoolArray] = []

    def column(self) -> int:
        """A new, empty column (a number to :meth:`fill`)."""
        self.values.append(np.full(self.n, None, dtype=object))
        self.present.append(np.zeros(self.n, dtype=np.bool_))
        return len(self.values) - 1

    def fill(
        self,
        present: BoolArray,
        keys: Sequence[npt.NDArray[np.generic]],
        make: Callable[..., Reason],
        column: int | None = None,
    ) -> None:
        """Per pair, the reason ``make(*key values)`` where ``present``, in a new column (or
        in ``column``, for reasons that exclude each other): ``make`` is called once per
        distinct combination of key values (as Python scalars, from ``tolist``, exactly what
        a loop over ``tolist()`` lists would pass)."""
        col = self.column() if column is None else column
        idx = np.flatnonzero(present)
        if not len(idx):
            return
        if keys:
            sub = [np.asarray(k)[idx] for k in keys]
            first, inverse = _groups(sub)
            values = list(zip(*[k[first].tolist() for k in sub], strict=True))
        else:
            values, inverse = [()], np.zeros(len(idx), dtype=np.int64)
        table: npt.NDArray[np.object_] = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            table[i] = make(*v)
        self.values[col][idx] = table[inverse]
        self.present[col][idx] = True

    def rows(self) -> list[tuple[Reason, ...]]:
        """Each pair's reasons: its present entries in column order. Pairs with the same
        columns present are built together (one ``zip`` of the gathered columns)."""
        if not self.values:
            return [() for _ in range(self.n)]
        pattern = np.zeros(self.n, dtype=np.int64)
        for c, present in enumerate(self.present):
            pattern |= present.astype(np.int64) << c
        kinds, inverse = np.unique(pattern, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.r_[0, np.cumsum(np.bincount(inverse, minlength=len(kinds)))]
        out: npt.NDArray[np.object_] = np.empty(self.n, dtype=object)
        for i, kind in enumerate(kinds.tolist()):
            idx = order[bounds[i] : bounds[i + 1]]
            cols = [v[idx] for c, v in enumerate(self.values) if kind >> c & 1]
            if cols:
                out[idx] = np.fromiter(zip(*cols, strict=True), dtype=object, count=len(idx))
            else:
                out[idx] = np.fromiter((() for _ in range(len(idx))), dtype=object, count=len(idx))
        return out.tolist()  # type: ignore[no-any-return]


def opening_reasons(
    ctx: PairContext, model: ScoringModel, comps: dict[str, FloatArray], vocab: Vocabulary
) -> list[tuple[Reason, ...]]:
    """Reasons for each pair of ``ctx`` (only called for the final, allocated pairs).

    Column by column: each kind of reason is decided for all pairs at once and built once
    per distinct wording; a pair's reasons are its column entries in this order."""
    tx = vocab.taxonomy
    o, y = _openings(ctx), ctx.youth
    n = len(ctx.yi)
    zero = np.zeros(n)
    yi, tj = ctx.yi, ctx.tj
    level = comps.get("occupation", zero)
    wish = _best_wish(ctx, model)
    req_hits = concept_hits(ctx, o.req[tj])
    full = (req_hits >= 1.0).sum(axis=1)
    partial = ((req_hits > 0) & (req_hits < 1.0)).sum(axis=1)
    nice_full = (concept_hits(ctx, o.nice[tj]) >= 1.0).sum(axis=1)
    text_c = comps.get("text", zero)
    inf_c = comps.get("inferred", zero)
    l1, l2 = model.levels[0], model.levels[1]
    positive = level > 0
    same = positive & (level >= l1)
    group = positive & ~same & (level >= l2)
    field = positive & ~same & ~group
    isco = tx.occ_isco4

    def occupation_group(w: int) -> Reason:
        code = int(isco[w])
        group_da, group_en = tx.isco_label.get(code, (str(code),) * 2)
        return reason(
            "occupation_group", tx.occ_label_da[w], tx.occ_label_en[w], group_da, group_en
        )

    n_req, n_nice = o.n_req[tj], o.n_nice[tj]
    pref, kind = y.kind_pref[yi], o.kind[tj]
    start_late = np.maximum(y.avail[yi], ctx.today) - np.maximum(o.start[tj], ctx.today)
    hours = comps.get("hours", zero)
    lo = np.maximum(y.hours_min[yi], o.hours_min[tj])
    hi = np.minimum(y.hours_max[yi], o.hours_max[tj])
    cols = _Columns(n)
    occupation = cols.column()  # one column: the wish's closeness, or else the inference
    cols.fill(
        same,
        [wish],
        lambda w: reason("occupation_same", tx.occ_label_da[w], tx.occ_label_en[w]),
        occupation,
    )
    cols.fill(group, [wish], occupation_group, occupation)
    cols.fill(
        field,
        [wish],
        lambda w: reason("occupation_field", tx.occ_label_da[w], tx.occ_label_en[w]),
        occupation,
    )
    any_inferred = _inferred_reasons(ctx, vocab, level, inf_c, cols, occupation)
    skills = cols.column()
    cols.fill(n_req > 0, [full, n_req], lambda f, r: reason("skills_required", f, r), skills)
    cols.fill(n_req == 0, [], lambda: reason("skills_none_required"), skills)
    cols.fill((n_req > 0) & (partial > 0), [partial], lambda p: reason("skills_partial", p))
    cols.fill(
        (n_nice > 0) & (nice_full > 0),
        [nice_full, n_nice],
        lambda f, m: reason("skills_nice", f, m),
    )
    cols.fill(text_c >= 0.2, [], lambda: reason("text_similar"))
    cols.fill(
        (level == 0) & ~any_inferred & (full == 0) & (partial == 0) & (text_c < 0.05),
        [],
        lambda: reason("nearby_only"),
    )
    cols.fill(pref != 0, [kind, (pref >> kind) & 1], _kind_reason)
    cols.fill(
        np.ones(n, dtype=np.bool_),
        [_shown_km_array(ctx.dist), _shown_km_array(y.commute)[yi]],
        lambda km, limit: reason("distance", km, limit),
    )
    fits = hours >= 1.0
    hours_col = cols.column()
    cols.fill(fits, [lo, hi], lambda a, b: reason("hours_fit", a, b), hours_col)
    cols.fill(~fits, [lo, hi], lambda a, b: reason("hours_partial", a, b), hours_col)
    cols.fill(start_late > 0, [start_late], lambda d: reason("start_late", d))
    cols.fill(
        y.needs_mentor[yi],
        [o.mentor[tj]],
        lambda m: reason("mentor_at_work" if m else "mentor_missing"),
    )
    return cols.rows()


def _kind_reason(kind: int, preferred: int) -> Reason:
    words = KIND_WORDS[OPENING_KINDS[kind]]
    return reason("kind_preferred" if preferred else "kind_other", *words)


def _inferred_reasons(
    ctx: PairContext,
    vocab: Vocabulary,
    occ_c: FloatArray,
    inf_c: FloatArray,
    cols: _Columns,
    column: int,
) -> BoolArray:
    """Why an opening fits what the youth's skills point to (only when no wish explains it
    and the inferred fit is high): the skills it uses ("4 of 6"), a former job, or a related
    occupation. Filled into ``column``; returns the mask of pairs given such a reason."""
    tx = vocab.taxonomy
    o, y = _openings(ctx), ctx.youth
    n = len(ctx.yi)
    occ = o.occ[ctx.tj]
    todo = np.flatnonzero((occ >= 0) & (occ_c <= 0) & (inf_c >= INFERRED_REASON_MIN))
    given = np.zeros(n, dtype=np.bool_)
    if not len(todo):
        return given
    given[todo] = True
    yi, t_occ = ctx.yi[todo], occ[todo]
    skills = y.esco_skills[yi]
    n_skills = (skills >= 0).sum(axis=1)
    # How many of the youth's skills the occupation uses: one sorted-key look-up per cell.
    keys = tx.occupation_model.relation_keys
    query = (t_occ[:, None] << KEY_SHIFT) | np.maximum(skills, 0)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    used = ((keys[pos] == query) & (skills >= 0)).sum(axis=1)
    top = y.inferred.occ[yi]
    in_top = (top == t_occ[:, None]).any(axis=1)
    nearest = np.where(top[:, 0] >= 0, top[:, 0], t_occ)

    def spread(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        out = np.zeros(n, dtype=values.dtype)
        out[todo] = values
        return out

    has_used = np.zeros(n, dtype=np.bool_)
    has_used[todo] = used > 0
    listed = np.zeros(n, dtype=np.bool_)
    listed[todo] = in_top
    cols.fill(
        has_used,
        [spread(t_occ), spread(used), spread(n_skills)],
        lambda o_, u, m: reason("inferred_skills", tx.occ_label_da[o_], tx.occ_label_en[o_], u, m),
        column,
    )
    cols.fill(
        given & ~has_used & listed,
        [spread(t_occ)],
        lambda o_: reason("inferred_experience", tx.occ_label_da[o_], tx.occ_label_en[o_]),
        column,
    )
    cols.fill(
        given & ~has_used & ~listed,
        [spread(nearest)],
        lambda o_: reason("inferred_group", tx.occ_label_da[o_], tx.occ_label_en[o_]),
        column,
    )
    return given


def _best_wish(ctx: PairContext, model: ScoringModel) -> IntArray:
    """The wished occupation that gave the occupation component (first on ties); 0 for a
    pair whose occupation component is 0 (the value is not used then)."""
    occ = _openings(ctx).occ[ctx.tj]
    isco = model.occ_isco4
    y = ctx.youth
    pair, cell, n_cells = pair_wish_cells(ctx)
    offset = np.cumsum(n_cells) - n_cells
    w_occ = y.wish_cells.occ
    wish, t_occ = w_occ[cell], occ[pair]
    w4 = isco[wish]
    t4 = np.where(t_occ >= 0, isco[np.maximum(t_occ, 0)], -1)
    ok = t4 >= 0
    closeness = np.where(wish == t_occ, 4, 0)
    closeness = np.maximum(closeness, np.where(ok & (w4 == t4), 3, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 10 == t4 // 10), 2, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 100 == t4 // 100), 1, 0))
    out: IntArray = np.zeros(len(ctx.yi), dtype=np.int64)
    has = np.flatnonzero(n_cells)
    if len(has):
        best = np.zeros(len(ctx.yi), dtype=closeness.dtype)
        best[has] = np.maximum.reduceat(closeness, offset[has])
        top = np.flatnonzero((closeness == best[pair]) & (closeness > 0))
        first_pair, first = np.unique(pair[top], return_index=True)
        out[first_pair] = wish[top[first]]
    return out


def mentor_reasons(
    ctx: PairContext,
    comps: dict[str, FloatArray],
    vocab: Vocabulary,
    interest_labels: Sequence[str],
) -> list[tuple[Reason, ...]]:
    """Reasons for each pair of ``ctx`` (the allocated mentor pairs): the interests shared,
    the language, the distance, the places, a later start. Column by column, as
    :func:`opening_reasons`, when every interest id fits a bit of one integer (fewer than
    63 interests: the shared interests of a pair are one AND of two masks); else pair by
    pair (:func:`_mentor_reasons_by_pair`, the same reasons)."""
    s, y = _slots(ctx), ctx.youth
    if len(interest_labels) >= 63:
        return _mentor_reasons_by_pair(ctx, vocab, interest_labels)
    n = len(ctx.yi)
    yi, tj = ctx.yi, ctx.tj
    w = max(s.lang_width, y.lang_width)
    first = np.any(s.langs[tj, :w] & y.first_lang[yi, :w], axis=1)
    wait = np.maximum(s.from_day[tj], ctx.today) - np.maximum(y.avail[yi], ctx.today)
    shared = _interest_bits(y.interest_ids)[yi] & _interest_bits(s.interest_ids)[tj]

    def interests(mask: int) -> Reason:
        ids = [i for i in range(63) if mask >> i & 1]  # ascending: sorted(set(...))
        names = sorted(interest_labels[i] for i in ids)[:3]
        return reason("interests_shared", ", ".join(names))

    # The first language of each youth whose first language the slot speaks, coded by
    # its place among the distinct ones (a string key for each pair).
    spoken = np.flatnonzero(first)
    codes = [y.items[r].languages[0] for r in yi[spoken].tolist()]
    distinct = list(dict.fromkeys(codes))
    code_of = {c: i for i, c in enumerate(distinct)}
    language_code = np.zeros(n, dtype=np.int64)
    language_code[spoken] = np.fromiter(map(code_of.__getitem__, codes), np.int64, len(codes))
    cols = _Columns(n)
    cols.fill(shared != 0, [shared], interests)
    language = cols.column()
    cols.fill(first, [language_code], lambda c: reason("language_first", distinct[c]), language)
    cols.fill(~first, [], lambda: reason("language_common"), language)
    cols.fill(
        np.ones(n, dtype=np.bool_),
        [_shown_km_array(ctx.dist)],
        lambda km: reason("mentor_distance", km),
    )
    cols.fill(np.ones(n, dtype=np.bool_), [s.capacity[tj]], lambda c: reason("capacity", c))
    cols.fill(wait > 0, [wait], lambda d: reason("available_later", d))
    return cols.rows()


def _interest_bits(ids: IntArray) -> IntArray:
    """Each row's interest ids (padded with -1, every id below 63) as the bits of one
    integer."""
    bits = np.where(ids >= 0, np.left_shift(1, np.maximum(ids, 0)), 0)
    out: IntArray = np.bitwise_or.reduce(bits, axis=1).astype(np.int64)
    return out


def _mentor_reasons_by_pair(
    ctx: PairContext, vocab: Vocabulary, interest_labels: Sequence[str]
) -> list[tuple[Reason, ...]]:
    """:func:`mentor_reasons`, pair by pair (any number of interests)."""
    s, y = _slots(ctx), ctx.youth
    n = len(ctx.yi)
    w = max(s.lang_width, y.lang_width)
    first: list[bool] = np.any(s.langs[ctx.tj, :w] & y.first_lang[ctx.yi, :w], axis=1).tolist()
    wait = np.maximum(s.from_day[ctx.tj], ctx.today) - np.maximum(y.avail[ctx.yi], ctx.today)
    tj_l, yi_l, wait_l, dist_l = ctx.tj.tolist(), ctx.yi.tolist(), wait.tolist(), shown_km(ctx.dist)
    y_int, s_int = y.interest_ids.tolist(), s.interest_ids.tolist()
    capacity = s.capacity.tolist()
    out: list[tuple[Reason, ...]] = []
    for p in range(n):
        t, yy = tj_l[p], yi_l[p]
        rs: list[Reason] = []
        shared = sorted(set(y_int[yy]) & set(s_int[t]) - {-1})
        if shared:
            names = sorted(interest_labels[i] for i in shared)[:3]
            rs.append(reason("interests_shared", ", ".join(names)))
        if first[p]:
            rs.append(reason("language_first", y.items[yy].languages[0]))
        else:
            rs.append(reason("language_common"))
        rs.append(reason("mentor_distance", dist_l[p]))
        rs.append(reason("capacity", capacity[t]))
        if wait_l[p] > 0:
            rs.append(reason("available_later", wait_l[p]))
        out.append(tuple(rs))
    return out
