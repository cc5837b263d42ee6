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
from matcher.encode import FloatArray, IntArray, Vocabulary
from matcher.types import Reason

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
    "skills_none_required": ((), "Ingen krav om bestemte kompetencer", "No specific skills required"),
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
    "capacity": (("free",), "Ledige pladser hos mentoren: {free}", "Free places with the mentor: {free}"),
    "available_later": (
        ("days",),
        "Mentoren er ledig om {days} dage",
        "The mentor is available in {days} days",
    ),
}


@lru_cache(maxsize=100_000)
def reason(code: str, *values: object) -> Reason:
    names, da, en = TEMPLATES[code]
    params = dict(zip(names, values, strict=True))
    return Reason(code, da.format(**params), en.format(**params), tuple(params.items()))


def _km(value: float) -> int | float:
    """Whole km from 10 km, one decimal below; 3.0 is shown as 3."""
    shown = round(value) if value >= 10 else round(value, 1)
    return int(shown) if float(shown).is_integer() else shown


def _fmt_hours(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


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
    start_late = np.maximum(y.avail[ctx.yi], ctx.today) - np.maximum(o.start[ctx.tj], ctx.today)
    levels = model.levels
    out: list[tuple[Reason, ...]] = []
    for p in range(n):
        t, yy = int(ctx.tj[p]), int(ctx.yi[p])
        rs: list[Reason] = []
        level = float(occ_c[p])
        wish = int(best_wish[p])
        if level >= levels[0] and level > 0:
            rs.append(reason("occupation_same", tx.occ_label_da[wish], tx.occ_label_en[wish]))
        elif level >= levels[1] and level > 0:
            isco = int(tx.occ_isco4[wish])
            group_da, group_en = tx.isco_label.get(isco, (str(isco), str(isco)))
            rs.append(reason("occupation_group", tx.occ_label_da[wish], tx.occ_label_en[wish],
                             group_da, group_en))
        elif level > 0:
            rs.append(reason("occupation_field", tx.occ_label_da[wish], tx.occ_label_en[wish]))
        n_req = int(o.n_req[t])
        if n_req:
            rs.append(reason("skills_required", int(full[p]), n_req))
            if partial[p]:
                rs.append(reason("skills_partial", int(partial[p])))
        else:
            rs.append(reason("skills_none_required"))
        if o.n_nice[t] and nice_full[p]:
            rs.append(reason("skills_nice", int(nice_full[p]), int(o.n_nice[t])))
        if text_c[p] >= 0.2:
            rs.append(reason("text_similar"))
        if level == 0 and full[p] == 0 and partial[p] == 0 and text_c[p] < 0.05:
            rs.append(reason("nearby_only"))
        rs.append(reason("distance", _km(float(ctx.dist[p])), _km(float(y.commute[yy]))))
        lo = max(float(y.hours_min[yy]), float(o.hours_min[t]))
        hi = min(float(y.hours_max[yy]), float(o.hours_max[t]))
        code = "hours_fit" if comps.get("hours", zero)[p] >= 1.0 else "hours_partial"
        rs.append(reason(code, _fmt_hours(lo), _fmt_hours(hi)))
        if start_late[p] > 0:
            rs.append(reason("start_late", int(start_late[p])))
        if y.needs_mentor[yy]:
            rs.append(reason("mentor_at_work" if o.mentor[t] else "mentor_missing"))
        out.append(tuple(rs))
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
    ctx: PairContext, comps: dict[str, FloatArray], vocab: Vocabulary, interest_labels: Sequence[str]
) -> list[tuple[Reason, ...]]:
    s, y = _slots(ctx), ctx.youth
    n = len(ctx.yi)
    first = (s.langs[ctx.tj] & y.first_lang[ctx.yi]).any(axis=1)
    wait = np.maximum(s.from_day[ctx.tj], ctx.today) - np.maximum(y.avail[ctx.yi], ctx.today)
    out: list[tuple[Reason, ...]] = []
    for p in range(n):
        t, yy = int(ctx.tj[p]), int(ctx.yi[p])
        rs: list[Reason] = []
        shared = sorted(set(y.interest_ids[yy].tolist()) & set(s.interest_ids[t].tolist()) - {-1})
        if shared:
            rs.append(reason("interests_shared", ", ".join(interest_labels[i] for i in shared[:3])))
        if first[p]:
            rs.append(reason("language_first", y.items[yy].languages[0]))
        else:
            rs.append(reason("language_common"))
        rs.append(reason("mentor_distance", _km(float(ctx.dist[p]))))
        rs.append(reason("capacity", int(s.capacity[t])))
        if wait[p] > 0:
            rs.append(reason("available_later", int(wait[p])))
        out.append(tuple(rs))
    return out
