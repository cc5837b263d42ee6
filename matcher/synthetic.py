"""A synthetic national population of youth, openings and mentor slots, with ground truth.

Used by the benchmark (ranking quality, speed) and by the web app's demo data. Everything is
drawn from one ``numpy.random.Generator(random_state)``, so a size and a seed give the same
population every time.

Geography. No population figures are shipped, so places are weighted by a documented proxy:
the four largest cities get their approximate share of the Danish population (København 11 %,
Aarhus 6 %, Aalborg 4 %, Odense 3.5 %); every other municipality gets a weight proportional to
its number of postcodes (capped at 12, since Copenhagen-style street codes would otherwise
dominate), which tracks population closely outside the big cities. Within a municipality the
postcodes are equally likely.

Occupations. A pool of occupations that young people without education typically seek (ISCO
major groups 4, 5, 7, 8, 9 and a few 3s) with Danish labels, drawn with Zipf-like weights so
some are common (warehouse, shop, kitchen, cleaning) and many are rare.

Noise. Wished occupations are written as the Danish preferred label, an alternative label or a
Jobnet title; 15 % get a typo, 30 % write æ/ø/å as ae/oe/aa, some are upper case, 10 % are
missing. Skills are the project Danish label where one exists or the English ESCO label, with
typos; some youth write a former occupation as a skill ("lagerarbejde").

Ground truth. Each youth has a true occupation (``truth[youth_id]``, an ESCO URI); an opening
is relevant to the youth when it is for that occupation (grade 1.0) or the same ISCO 4-digit
group (grade 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from matcher.taxonomy import Taxonomy
from matcher.types import MentorSlot, Opening, Youth

BIG_CITY_SHARE = {"101": 0.11, "751": 0.06, "851": 0.04, "461": 0.035}
POOL_MAJOR_GROUPS = ("4", "5", "7", "8", "9")
INTERESTS = (
    "fodbold",
    "musik",
    "gaming",
    "tegning",
    "dyr",
    "heste",
    "natur",
    "madlavning",
    "fitness",
    "dans",
    "film",
    "biler",
    "knallerter",
    "mode",
    "computere",
    "læsning",
    "håndbold",
    "svømning",
    "fiskeri",
    "klatring",
    "e-sport",
    "foto",
    "friluftsliv",
    "skateboard",
    "boksning",
    "frivilligt arbejde",
    "spejder",
    "teater",
    "sang",
    "cykling",
)
OTHER_LANGUAGES = ("ar", "tr", "so", "pl", "uk", "fa", "ur", "ro", "de")
DESCRIPTIONS = (
    "Vi søger en {label} til et travlt team. Du bliver oplært af erfarne kolleger.",
    "Har du lyst til at arbejde som {label}? Vi tilbyder en god start og en fast kontaktperson.",
    "{label} søges til afdelingen. Du skal kunne {skill}.",
    "Bliv {label} hos os. Erfaring med {skill} er en fordel, men ikke et krav.",
)


@dataclass(frozen=True)
class SyntheticPopulation:
    youths: list[Youth]
    openings: list[Opening]
    mentor_slots: list[MentorSlot]
    truth: dict[int, str]  # youth id -> true occupation URI
    opening_occupation: dict[int, str]  # opening id -> occupation URI (also when not given)


def _typo(text: str, rng: np.random.Generator) -> str:
    if len(text) < 6:
        return text
    i = int(rng.integers(1, len(text) - 1))
    op = int(rng.integers(3))
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def _noisy(text: str, rng: np.random.Generator, typo: float = 0.15) -> str:
    if rng.random() < 0.3:
        text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    if rng.random() < typo:
        text = _typo(text, rng)
    r = rng.random()
    if r < 0.1:
        text = text.upper()
    elif r < 0.3:
        text = text.capitalize()
    return text


def place_weights(taxonomy: Taxonomy, municipalities: tuple[str, ...] | None) -> np.ndarray:
    """Probability of each postcode (see module docstring for the proxy)."""
    muni = np.array(taxonomy.pc_municipality)
    codes, inverse, counts = np.unique(muni, return_inverse=True, return_counts=True)
    weight = np.minimum(counts, 12).astype(np.float64)
    big = np.isin(codes, list(BIG_CITY_SHARE))
    rest_share = 1.0 - sum(BIG_CITY_SHARE.values())
    weight[~big] = weight[~big] / weight[~big].sum() * rest_share
    for i, code in enumerate(codes):
        if code in BIG_CITY_SHARE:
            weight[i] = BIG_CITY_SHARE[code]
    if municipalities:
        weight[~np.isin(codes, list(municipalities))] = 0.0
        if weight.sum() == 0:
            raise ValueError(f"no postcodes in municipalities {municipalities}")
    per_pc = weight[inverse] / counts[inverse]
    out: np.ndarray = per_pc / per_pc.sum()
    return out


def occupation_pool(taxonomy: Taxonomy, size: int, rng: np.random.Generator) -> np.ndarray:
    """Occupation indices young people typically seek, most common first."""
    isco = taxonomy.occ_isco4
    has_da = np.array([bool(label) for label in taxonomy.occ_label_da])
    major = (isco // 1000).astype(str)
    ok = np.isin(major, POOL_MAJOR_GROUPS) & has_da & (isco >= 0)
    few = (isco // 1000 == 3) & has_da
    cand = np.r_[
        np.flatnonzero(ok), rng.choice(np.flatnonzero(few), size=min(20, few.sum()), replace=False)
    ]
    pool: np.ndarray = rng.choice(cand, size=min(size, len(cand)), replace=False)
    return pool


def generate(
    taxonomy: Taxonomy,
    n_youth: int = 50,
    n_openings: int = 40,
    n_slots: int = 10,
    random_state: int = 0,
    today: date | None = None,
    municipalities: tuple[str, ...] | None = None,
    pool_size: int = 400,
) -> SyntheticPopulation:
    """A reproducible population; ``municipalities`` restricts places to those codes."""
    if min(n_youth, n_openings, n_slots) < 0:
        raise ValueError("population sizes must be >= 0")
    rng = np.random.default_rng(random_state)
    today = today or date(2026, 11, 28)
    pc_p = place_weights(taxonomy, municipalities)
    pool = occupation_pool(taxonomy, pool_size, rng)
    zipf = 1.0 / np.arange(1, len(pool) + 1) ** 0.9
    zipf /= zipf.sum()
    alt = taxonomy.occ_alt_labels
    occ_skills = taxonomy.occ_skills

    def occ_text(o: int) -> str:
        labels = [taxonomy.occ_label_da[o], *alt[o]]
        return (
            labels[0]
            if rng.random() < 0.6 or len(labels) == 1
            else labels[int(rng.integers(1, len(labels)))]
        )

    def skill_text(s: int) -> str:
        da = taxonomy.skill_label_da[s]
        return da if da and rng.random() < 0.8 else taxonomy.skill_label_en[s]

    def skills_of(o: int, essential: bool) -> np.ndarray:
        lo, hi = occ_skills.indptr[o], occ_skills.indptr[o + 1]
        idx, val = occ_skills.indices[lo:hi], occ_skills.data[lo:hi]
        out: np.ndarray = idx[(val >= 1.0) == essential]
        return out

    same_group: dict[int, np.ndarray] = {}
    for o in pool.tolist():
        g = taxonomy.occ_isco4[o]
        same_group.setdefault(int(g), np.flatnonzero(taxonomy.occ_isco4 == g))

    youths: list[Youth] = []
    truth: dict[int, str] = {}
    pcs = rng.choice(len(pc_p), size=n_youth, p=pc_p)
    true_occ = pool[rng.choice(len(pool), size=n_youth, p=zipf)]
    for i in range(n_youth):
        o = int(true_occ[i])
        yid = 100_000 + i
        truth[yid] = taxonomy.occ_uris[o]
        age = int(np.clip(rng.normal(21, 3.5), 15, 29))
        wishes: list[str] = []
        r = rng.random()
        if r < 0.85:
            wishes.append(_noisy(occ_text(o), rng))
        elif r < 0.9:
            wishes.append(taxonomy.occ_uris[o])
        if rng.random() < 0.3:
            group = same_group[int(taxonomy.occ_isco4[o])]
            wishes.append(_noisy(occ_text(int(rng.choice(group))), rng))
        ess = skills_of(o, True)
        n_sk = int(rng.integers(0, 5))
        skills = [
            _noisy(skill_text(int(s)), rng, 0.1)
            for s in rng.choice(ess, size=min(n_sk, len(ess)), replace=False)
        ]
        if rng.random() < 0.15:
            former = taxonomy.occ_label_da[o]  # a former job written as a skill: "lagerarbejde"
            skills.append(former[:-1] if former.endswith("er") else former)
        langs = ["da"] if rng.random() < 0.88 else [str(rng.choice(OTHER_LANGUAGES))]
        if rng.random() < 0.6:
            langs.append("en")
        if langs[0] != "da" and rng.random() < 0.5:
            langs.append("da")
        lo = float(rng.choice([0, 10, 15, 20, 25, 30]))
        youths.append(
            Youth(
                id=yid,
                birth_year=today.year - age,
                postcode=taxonomy.postcodes[int(pcs[i])],
                max_commute_km=float(rng.choice([10, 15, 20, 25, 30, 40, 50])),
                education_level=str(rng.choice(["grundskole", "gymnasie", "erhvervsuddannelse"])),
                skills=tuple(skills),
                interests=tuple(
                    str(t)
                    for t in rng.choice(INTERESTS, size=int(rng.integers(0, 4)), replace=False)
                ),
                wished_occupations=tuple(wishes),
                hours_min=lo,
                hours_max=float(min(37, lo + rng.choice([5, 10, 15, 22]))),
                languages=tuple(dict.fromkeys(langs)),
                driving_licence=bool(age >= 18 and rng.random() < 0.35),
                needs_mentor=bool(rng.random() < 0.3),
                available_from=(
                    today + timedelta(days=int(rng.integers(0, 60))) if rng.random() < 0.5 else None
                ),
                status=str(
                    rng.choice(["active", "paused", "placed", "closed"], p=[0.92, 0.04, 0.03, 0.01])
                ),
            )
        )

    openings: list[Opening] = []
    opening_occ: dict[int, str] = {}
    pcs = rng.choice(len(pc_p), size=n_openings, p=pc_p)
    occs = pool[rng.choice(len(pool), size=n_openings, p=zipf)]
    for j in range(n_openings):
        o = int(occs[j])
        oid = 1_000_000 + j
        opening_occ[oid] = taxonomy.occ_uris[o]
        ess, opt = skills_of(o, True), skills_of(o, False)
        req = [
            skill_text(int(s))
            for s in rng.choice(ess, size=min(int(rng.integers(0, 4)), len(ess)), replace=False)
        ]
        nice = [
            skill_text(int(s))
            for s in rng.choice(opt, size=min(int(rng.integers(0, 3)), len(opt)), replace=False)
        ]
        label = occ_text(o)
        skill = req[0] if req else "samarbejde"
        lo = float(rng.choice([0, 8, 15, 20, 30, 37]))
        start = today + timedelta(days=int(rng.integers(-10, 90))) if rng.random() < 0.7 else None
        openings.append(
            Opening(
                id=oid,
                title=label[:1].upper() + label[1:],
                description=str(rng.choice(DESCRIPTIONS)).format(label=label, skill=skill),
                occupation_uri=taxonomy.occ_uris[o] if rng.random() < 0.7 else None,
                kind=str(
                    rng.choice(
                        ["job", "apprenticeship", "internship", "wage_subsidy", "small_job"],
                        p=[0.5, 0.15, 0.15, 0.1, 0.1],
                    )
                ),
                required_skills=tuple(req),
                nice_skills=tuple(nice),
                postcode=taxonomy.postcodes[int(pcs[j])],
                hours_min=lo,
                hours_max=float(min(40, lo + rng.choice([0, 5, 10, 20]))),
                seats=int(rng.choice([1, 1, 1, 2, 2, 3, 5])),
                min_age=int(rng.choice([15, 16, 18], p=[0.3, 0.2, 0.5])),
                driving_licence_required=bool(rng.random() < 0.1),
                languages=(("da",) if rng.random() < 0.5 else ())
                + (("en",) if rng.random() < 0.05 else ()),
                mentor_at_workplace=bool(rng.random() < 0.3),
                start_date=start,
                expires=today + timedelta(days=int(rng.integers(-5, 120))),
                status=str(
                    rng.choice(["open", "draft", "filled", "closed"], p=[0.93, 0.03, 0.02, 0.02])
                ),
            )
        )

    slots: list[MentorSlot] = []
    pcs = rng.choice(len(pc_p), size=n_slots, p=pc_p)
    for m in range(n_slots):
        interests = tuple(
            str(t) for t in rng.choice(INTERESTS, size=int(rng.integers(1, 5)), replace=False)
        )
        langs = ["da"] + ([str(rng.choice(OTHER_LANGUAGES))] if rng.random() < 0.2 else [])
        begin = today + timedelta(days=int(rng.integers(-30, 60)))
        slots.append(
            MentorSlot(
                id=2_000_000 + m,
                title=f"Mentor med interesse for {interests[0]}",
                description="Frivillig mentor: " + ", ".join(interests),
                interests=interests,
                languages=tuple(langs + (["en"] if rng.random() < 0.5 else [])),
                postcode=taxonomy.postcodes[int(pcs[m])],
                max_distance_km=float(rng.choice([10, 20, 30, 40])),
                capacity=int(rng.choice([0, 1, 2, 3], p=[0.1, 0.5, 0.3, 0.1])),
                available_from=begin,
                available_until=begin + timedelta(days=int(rng.integers(60, 400))),
                status="open" if rng.random() < 0.95 else "closed",
            )
        )
    return SyntheticPopulation(youths, openings, slots, truth, opening_occ)
