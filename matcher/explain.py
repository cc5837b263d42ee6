"""Reasons a caseworker understands, in Danish and English.

Each reason is a :class:`matcher.types.Reason` with a stable ``code``, both texts and the
numbers behind them (``params``). Reasons are built from templates and cached, since a
national run produces hundreds of thousands of matches but few distinct reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from matcher.blocking import PairContext, _openings, _slots
from matcher.compare import ScoringModel, concept_hits
from matcher.encode import KEY_SHIFT, FloatArray, IntArray, Vocabulary
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
        "{km:g} km fra hjemmet, maks. {max_km:g}",
        "{km:g} km from home, max {max_km:g}",
    ),
    "hours_fit": (
        ("min", "max"),
        "Timetallet passer ({min:g}–{max:g} t/uge)",
        "Hours fit ({min:g}–{max:g} h/week)",
    ),
    "hours_partial": (
        ("min", "max"),
        "Timetallet passer delvist ({min:g}–{max:g} t/uge)",
        "Hours partly fit ({min:g}–{max:g} h/week)",
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
        "{km:g} km mellem den unge og mentoren",
        "{km:g} km between the young person and the mentor",
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
    names, da, en = TEMPLATES[code]
    params = dict(zip(names, values, strict=True))
    return Reason(code, da.format(**params), en.format(**params), tuple(params.items()))


def shown_km(km: FloatArray) -> list[float]:
    """Whole km from 10 km, one decimal below (templates print 3.0 as 3)."""
    out: list[float] = np.where(km >= 10, np.round(km), np.round(km, 1)).tolist()
    return out


def opening_reasons(
    ctx: PairContext, model: ScoringModel, comps: dict[str, FloatArray], vocab: Vocabulary
) -> list[tuple[Reason, ...]]:
    """Reasons for each pair of ``ctx`` (only called for the final, allocated pairs)."""
    tx = vocab.taxonomy
    o, y = _openings(ctx), ctx.youth
    n = len(ctx.yi)
    zero = np.zeros(n)
    occ_c = comps.get("occupation", zero)
    best_wish = _best_wish(ctx, model)
    req_hits = concept_hits(ctx, o.req[ctx.tj])
    full = (req_hits >= 1.0).sum(axis=1)
    partial = ((req_hits > 0) & (req_hits < 1.0)).sum(axis=1)
    nice_full = (concept_hits(ctx, o.nice[ctx.tj]) >= 1.0).sum(axis=1)
    text_c = comps.get("text", zero)
    inf_c = comps.get("inferred", zero)
    inferred = _inferred_reasons(ctx, vocab, occ_c, inf_c)
    kind_l = o.kind.tolist()
    pref_l = y.kind_pref.tolist()
    start_late = np.maximum(y.avail[ctx.yi], ctx.today) - np.maximum(o.start[ctx.tj], ctx.today)
    levels = model.levels
    # Plain lists: indexing NumPy scalars one by one is several times slower.
    tj_l, yi_l = ctx.tj.tolist(), ctx.yi.tolist()
    occ_l, wish_l, text_l = occ_c.tolist(), best_wish.tolist(), text_c.tolist()
    full_l, partial_l, nice_l = full.tolist(), partial.tolist(), nice_full.tolist()
    dist_l, late_l = shown_km(ctx.dist), start_late.tolist()
    hours_l = comps.get("hours", zero).tolist()
    n_req_l, n_nice_l, o_mentor = o.n_req.tolist(), o.n_nice.tolist(), o.mentor.tolist()
    o_lo, o_hi = o.hours_min.tolist(), o.hours_max.tolist()
    y_lo, y_hi, y_commute = y.hours_min.tolist(), y.hours_max.tolist(), shown_km(y.commute)
    y_needs = y.needs_mentor.tolist()
    isco = tx.occ_isco4.tolist()
    out: list[tuple[Reason, ...]] = []
    for p in range(n):
        t, yy = tj_l[p], yi_l[p]
        rs: list[Reason] = []
        level = occ_l[p]
        wish = wish_l[p]
        if level >= levels[0] and level > 0:
            rs.append(reason("occupation_same", tx.occ_label_da[wish], tx.occ_label_en[wish]))
        elif level >= levels[1] and level > 0:
            group_da, group_en = tx.isco_label.get(isco[wish], (str(isco[wish]),) * 2)
            rs.append(
                reason(
                    "occupation_group",
                    tx.occ_label_da[wish],
                    tx.occ_label_en[wish],
                    group_da,
                    group_en,
                )
            )
        elif level > 0:
            rs.append(reason("occupation_field", tx.occ_label_da[wish], tx.occ_label_en[wish]))
        if inferred[p] is not None:
            rs.append(inferred[p])  # type: ignore[arg-type]
        n_req = n_req_l[t]
        if n_req:
            rs.append(reason("skills_required", full_l[p], n_req))
            if partial_l[p]:
                rs.append(reason("skills_partial", partial_l[p]))
        else:
            rs.append(reason("skills_none_required"))
        if n_nice_l[t] and nice_l[p]:
            rs.append(reason("skills_nice", nice_l[p], n_nice_l[t]))
        if text_l[p] >= 0.2:
            rs.append(reason("text_similar"))
        if (
            level == 0
            and inferred[p] is None
            and full_l[p] == 0
            and partial_l[p] == 0
            and text_l[p] < 0.05
        ):
            rs.append(reason("nearby_only"))
        if pref_l[yy]:
            kind = OPENING_KINDS[kind_l[t]]
            code = "kind_preferred" if (pref_l[yy] >> kind_l[t]) & 1 else "kind_other"
            rs.append(reason(code, *KIND_WORDS[kind]))
        rs.append(reason("distance", dist_l[p], y_commute[yy]))
        lo = max(y_lo[yy], o_lo[t])
        hi = min(y_hi[yy], o_hi[t])
        code = "hours_fit" if hours_l[p] >= 1.0 else "hours_partial"
        rs.append(reason(code, lo, hi))
        if late_l[p] > 0:
            rs.append(reason("start_late", late_l[p]))
        if y_needs[yy]:
            rs.append(reason("mentor_at_work" if o_mentor[t] else "mentor_missing"))
        out.append(tuple(rs))
    return out


def _inferred_reasons(
    ctx: PairContext, vocab: Vocabulary, occ_c: FloatArray, inf_c: FloatArray
) -> list[Reason | None]:
    """Why an opening fits what the youth's skills point to (only when no wish explains it
    and the inferred fit is high): the skills it uses ("4 of 6"), a former job, or a related
    occupation."""
    tx = vocab.taxonomy
    o, y = _openings(ctx), ctx.youth
    out: list[Reason | None] = [None] * len(ctx.yi)
    occ = o.occ[ctx.tj]
    todo = np.flatnonzero((occ >= 0) & (occ_c <= 0) & (inf_c >= INFERRED_REASON_MIN))
    if not len(todo):
        return out
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
    for p, o_, u, n, listed, near in zip(
        todo.tolist(),
        t_occ.tolist(),
        used.tolist(),
        n_skills.tolist(),
        in_top.tolist(),
        nearest.tolist(),
        strict=True,
    ):
        if u:
            out[p] = reason("inferred_skills", tx.occ_label_da[o_], tx.occ_label_en[o_], u, n)
        elif listed:
            out[p] = reason("inferred_experience", tx.occ_label_da[o_], tx.occ_label_en[o_])
        else:
            out[p] = reason("inferred_group", tx.occ_label_da[near], tx.occ_label_en[near])
    return out


def _best_wish(ctx: PairContext, model: ScoringModel) -> IntArray:
    """The wished occupation that gave the occupation component (first on ties)."""
    occ = _openings(ctx).occ[ctx.tj]
    wish = ctx.youth.wish_occ[ctx.yi]
    isco = model.occ_isco4
    t4 = np.where(occ >= 0, isco[np.maximum(occ, 0)], -1)[:, None]
    w4 = np.where(wish >= 0, isco[np.maximum(wish, 0)], -2)
    ok = (wish >= 0) & (t4 >= 0)
    closeness = np.where(wish == occ[:, None], 4, 0)
    closeness = np.maximum(closeness, np.where(ok & (w4 == t4), 3, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 10 == t4 // 10), 2, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 100 == t4 // 100), 1, 0))
    col = closeness.argmax(axis=1)
    out: IntArray = np.maximum(wish[np.arange(len(col)), col], 0)
    return out


def mentor_reasons(
    ctx: PairContext,
    comps: dict[str, FloatArray],
    vocab: Vocabulary,
    interest_labels: Sequence[str],
) -> list[tuple[Reason, ...]]:
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
