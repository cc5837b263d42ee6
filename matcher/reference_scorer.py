"""Plain per-pair reference implementation of the hard constraints and the scores.

One pair at a time, with Python sets, dicts and ``math`` — deliberately naive, so it can be
read against matcher/README.md. The test suite checks that the vectorised engine gives the same
allowed pairs and the same scores (within 1e-9); the benchmark measures how much faster the
vectorised scorer is. Text normalisation and TF-IDF vectors come from the fitted engine (they
are inputs here, not what is being checked).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

from matcher.encode import NO_DATE_EARLY, NO_DATE_LATE, VIA_OCCUPATION, day
from matcher.engine import MatchEngine
from matcher.types import MentorSlot, Opening, Youth

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

EARTH_RADIUS_KM = 6371.0088


def _km(engine: MatchEngine, a: str, b: str) -> float:
    tx = engine.vocab_.taxonomy
    i, j = tx.postcode_index.get(a.strip()), tx.postcode_index.get(b.strip())
    if i is None or j is None:
        return math.inf
    p1, p2 = math.radians(tx.pc_lat[i]), math.radians(tx.pc_lat[j])
    dl = math.radians(tx.pc_lon[j]) - math.radians(tx.pc_lon[i])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def _experience(engine: MatchEngine, youth: Youth) -> tuple[list[int], list[int]]:
    """ESCO skills and former-job occupations of a youth (skill texts naming an occupation
    and the former-jobs field)."""
    tx, vocab = engine.vocab_.taxonomy, engine.vocab_
    concepts = [c for c in vocab.skill_concepts(list(youth.skills)) if c >= 0]
    skills = sorted({c for c in concepts if c < tx.n_skills})
    jobs = {c - tx.n_skills for c in concepts if tx.n_skills <= c < vocab.text_offset}
    jobs |= {o for o in vocab.occupations(list(youth.former_jobs)) if o >= 0}
    return skills, sorted(jobs)


def _coverage(engine: MatchEngine, youth: Youth) -> dict[int, float]:
    tx = engine.vocab_.taxonomy
    have: dict[int, float] = {}
    for c in engine.vocab_.skill_concepts(list(youth.skills)):
        if c >= 0:
            have[c] = 1.0
    for o in _experience(engine, youth)[1]:
        row = tx.occ_skills.getrow(o)
        for s, v in zip(row.indices.tolist(), row.data.tolist(), strict=True):
            have[s] = max(have.get(s, 0.0), v * VIA_OCCUPATION)
    return have


def _posterior(engine: MatchEngine, youth: Youth) -> list[tuple[int, float]]:
    """The youth's top inferred occupations with their probability (an input here, like the
    TF-IDF vectors: matcher/infer.py is checked by its own tests)."""
    skills, jobs = _experience(engine, youth)
    inf = engine.vocab_.taxonomy.occupation_model.infer([skills], [jobs], [youth.interests])
    pairs = zip(inf.occ[0].tolist(), inf.prob[0].tolist(), strict=True)
    return [(o, p) for o, p in pairs if o >= 0]


def _gain(engine: MatchEngine, top: list[tuple[int, float]], occ: int) -> float:
    """Expected gain of target occupation ``occ``: own probability, group shares of the rest."""
    isco = engine.vocab_.taxonomy.occ_isco4
    st = engine.vocab_.taxonomy.occupation_model.settings
    total = 0.0
    for o, p in top:
        if occ < 0:
            break
        t4, c4 = int(isco[occ]), int(isco[o])
        if o == occ:
            total += p
        elif t4 >= 0 and c4 >= 0 and c4 == t4:
            total += st.group4_share * p
        elif t4 >= 0 and c4 >= 0 and c4 // 10 == t4 // 10:
            total += st.group3_share * p
    return total


def _wish_weight(
    engine: MatchEngine, youth: Youth, top: list[tuple[int, float]]
) -> dict[int, float]:
    """Each wished occupation's weight: 1, or lower for the readings of an ambiguous wish
    that the skills support less (see matcher/encode.py)."""
    from matcher.encode import AMBIGUOUS_WISH_FLOOR

    support = dict(top)
    weight: dict[int, float] = {}
    for text in youth.wished_occupations:
        hits = engine.vocab_.wish_hits([text])[0]
        best = max((support.get(o, 0.0) for o in hits), default=0.0)
        for o in hits:
            rel = 1.0 if len(hits) < 2 or best <= 0 else support.get(o, 0.0) / best
            w = AMBIGUOUS_WISH_FLOOR + (1.0 - AMBIGUOUS_WISH_FLOOR) * rel
            weight[o] = max(weight.get(o, 0.0), w)
    return weight


def _text(engine: MatchEngine, youth: Youth, target_doc: str, kind: str) -> float:
    vec = engine.opening_vec_ if kind == "opening" else engine.slot_vec_
    if vec is None:
        return 0.0
    ydoc = " ".join(
        (*youth.wished_occupations, *youth.former_jobs, *youth.skills, *youth.interests)
    )
    wa, wb = _tfidf(vec, ydoc), _tfidf(vec, target_doc)
    total = sum(w * wa.get(t, 0.0) for t, w in wb.items())
    return min(max(total, 0.0), 1.0)


@lru_cache(maxsize=4096)
def _tfidf(vec: TfidfVectorizer, doc: str) -> dict[int, float]:
    row = vec.transform([doc])
    return dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))


def _weighted(
    weights: dict[str, float], comps: dict[str, float], scale: dict[str, float] | None = None
) -> float:
    """Weighted mean; ``scale`` multiplies the weight of components that do not fully apply
    to this youth (no wish, nothing to infer from)."""
    scale = scale or {}
    w = {n: weights[n] * scale.get(n, 1.0) for n, v in weights.items() if v > 0}
    total = sum(w.values())
    if total <= 0:
        return 0.0
    return min(max(sum(w[n] / total * comps[n] for n in w), 0.0), 1.0)


def score_opening(
    engine: MatchEngine, youth: Youth, opening: Opening
) -> tuple[float, dict[str, float]] | None:
    """Score of one pair, or None when a hard constraint forbids it."""
    cfg, tx, vocab = engine.config_, engine.vocab_.taxonomy, engine.vocab_
    today = engine.today_day_
    tol = cfg.start_tolerance_days
    if youth.status != "active" or not engine._opening_live(opening):
        return None
    km = _km(engine, youth.postcode, opening.postcode)
    if not km <= youth.max_commute_km:
        return None
    start_year = (opening.start_date or engine.today_).year
    if start_year - youth.birth_year < opening.min_age:
        return None
    if opening.driving_licence_required and not youth.driving_licence:
        return None
    if min(youth.hours_max, opening.hours_max) < max(youth.hours_min, opening.hours_min):
        return None
    ready = max(day(youth.available_from, NO_DATE_EARLY), today)
    due = max(day(opening.start_date, NO_DATE_LATE), today)
    if ready - tol > due:
        return None
    speaks = {c.strip().lower() for c in youth.languages}
    if any(c.strip().lower() not in speaks for c in opening.languages if c.strip()):
        return None

    comps: dict[str, float] = {}
    occ = vocab.occupations([opening.occupation_uri or opening.title])[0]
    wishes = sorted({w for w in vocab.wished_occupations(list(youth.wished_occupations)) if w >= 0})
    l1, l2, l3, l4 = cfg.occupation_levels
    top = _posterior(engine, youth)
    wish_weight = _wish_weight(engine, youth, top)
    best = 0.0
    for w in wishes:
        t4, w4 = int(tx.occ_isco4[occ]) if occ >= 0 else -1, int(tx.occ_isco4[w])
        level = 0.0
        if w == occ:
            level = max(level, l1)
        if t4 >= 0 and w4 >= 0:
            if w4 == t4:
                level = max(level, l2)
            if w4 // 10 == t4 // 10:
                level = max(level, l3)
            if w4 // 100 == t4 // 100:
                level = max(level, l4)
        best = max(best, level * wish_weight.get(w, 1.0))
    comps["occupation"] = best
    best_gain = max((_gain(engine, top, o) for o, _ in top), default=0.0)
    rel = _gain(engine, top, occ) / best_gain if best_gain > 0 else 0.0
    comps["inferred"] = min(max(rel, 0.0), 1.0)
    scale = {
        "occupation": 1.0 if wishes else 0.0,
        "inferred": 0.0 if best_gain <= 0 else (cfg.inferred_with_wish if wishes else 1.0),
    }
    comps["kind"] = (
        1.0 if not youth.preferred_kinds or opening.kind in youth.preferred_kinds else 0.0
    )
    have = _coverage(engine, youth)
    req = sorted({c for c in vocab.skill_concepts(list(opening.required_skills)) if c >= 0})
    nice = sorted({c for c in vocab.skill_concepts(list(opening.nice_skills)) if c >= 0})
    comps["skills_required"] = (
        sum(have.get(c, 0.0) for c in req) / len(req) if req else cfg.required_vacuous
    )
    comps["skills_nice"] = (
        sum(have.get(c, 0.0) for c in nice) / len(nice) if nice else cfg.nice_vacuous
    )
    doc = " ".join(
        (opening.title, opening.description, *opening.required_skills, *opening.nice_skills)
    )
    comps["text"] = _text(engine, youth, doc, "opening")
    limit = youth.max_commute_km
    comps["distance"] = min(max(1.0 - km / max(limit, 1e-9), 0.0), 1.0) if limit > 0 else 1.0
    overlap = min(youth.hours_max, opening.hours_max) - max(youth.hours_min, opening.hours_min)
    span = youth.hours_max - youth.hours_min
    comps["hours"] = min(max(overlap / span, 0.0), 1.0) if span > 0 else float(overlap >= 0)
    late = ready - due
    comps["start"] = 1.0 if late <= 0 else min(max(1.0 - late / (tol + 1), 0.0), 1.0)
    comps["mentor"] = (1.0 if opening.mentor_at_workplace else 0.0) if youth.needs_mentor else 1.0
    weights = dict(cfg.opening_weights)
    return _weighted(weights, comps, scale), {n: comps[n] for n in weights if weights[n] > 0}


def score_slot(
    engine: MatchEngine, youth: Youth, slot: MentorSlot
) -> tuple[float, dict[str, float]] | None:
    """Score of one youth / mentor-slot pair, or None when a hard constraint forbids it."""
    cfg, vocab = engine.config_, engine.vocab_
    today, tol = engine.today_day_, cfg.start_tolerance_days
    if youth.status != "active" or not engine._slot_live(slot):
        return None
    km = _km(engine, youth.postcode, slot.postcode)
    limit = max(youth.max_commute_km, slot.max_distance_km)
    if not km <= limit:
        return None
    speaks = {c.strip().lower() for c in youth.languages if c.strip()}
    offered = {c.strip().lower() for c in slot.languages if c.strip()}
    if not speaks & offered:
        return None
    ready = max(day(youth.available_from, NO_DATE_EARLY), today)
    if ready > day(slot.available_until, NO_DATE_LATE):
        return None
    if day(slot.available_from, NO_DATE_EARLY) - tol > ready:
        return None
    comps: dict[str, float] = {}
    mine = {i for i in vocab.interests(list(youth.interests)) if i >= 0}
    theirs = {i for i in vocab.interests(list(slot.interests)) if i >= 0}
    comps["interests"] = (
        len(mine & theirs) / len(mine) if mine and theirs else cfg.interests_vacuous
    )
    doc = " ".join((slot.title, slot.description, *slot.interests))
    comps["text"] = _text(engine, youth, doc, "mentor_slot")
    first = youth.languages[0].strip().lower() if youth.languages else ""
    comps["language"] = 1.0 if first in offered else 0.5
    comps["distance"] = min(max(1.0 - km / max(limit, 1e-9), 0.0), 1.0) if limit > 0 else 1.0
    comps["capacity"] = slot.capacity / (slot.capacity + 1.0)
    wait = max(day(slot.available_from, NO_DATE_EARLY), today) - ready
    comps["availability"] = 1.0 if wait <= 0 else min(max(1.0 - wait / (tol + 1), 0.0), 1.0)
    weights = dict(cfg.mentor_weights)
    return _weighted(weights, comps), {n: comps[n] for n in weights if weights[n] > 0}
