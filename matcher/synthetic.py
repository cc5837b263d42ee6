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

Wishes and skills. 35 % of the youth name no wish (``no_wish_share``): their skills, former
jobs and interests are all there is. Wished occupations are written as the Danish preferred
label, an alternative label or a Jobnet title (10 % as an ESCO URI); 15 % get a typo, 30 % write
æ/ø/å as ae/oe/aa, some are upper case; 30 % add a second wish from the same ISCO group.
Every youth has 2–6 skills of the true occupation (essential three times in four, else
optional), written as the project Danish label where one exists or the English ESCO label,
10 % with a typo; 15 % write a former job as a skill ("lagerarbejde"), 10 % fill in the
former-jobs field; 20 % prefer some kinds of opening. Interests are drawn at random (no
signal: the engine's interest map must not hurt).

The *noisy* variant (``noisy=True``): a quarter of a youth's skills come from a neighbouring
occupation (same ISCO 3-digit group), 35 % of skills have a typo, and 30 % write a former job
as a skill — half of them a neighbour's.

Ground truth. Each youth has a true occupation (``truth[youth_id]``, an ESCO URI); an opening
is relevant to the youth when it is for that occupation (grade 1.0) or the same ISCO 4-digit
group (grade 0.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from matcher.taxonomy import Taxonomy
from matcher.types import OPENING_KINDS, MentorSlot, Opening, Youth

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
OPENING_KIND_CHOICES = ("job", "apprenticeship", "internship", "small_job", "education")
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
    no_wish_share: float = 0.35,
    noisy: bool = False,
) -> SyntheticPopulation:
    """A reproducible population; ``municipalities`` restricts places to those codes.

    ``no_wish_share`` of the youth name no wished occupation (their skills, former jobs and
    interests are all the engine has). ``noisy=True`` is the harder variant: a quarter of a
    youth's skills come from a neighbouring occupation, typos are common (35 %) and more youth
    write a former job (theirs or a neighbour's) as a skill.
    """
    if not 0.0 <= no_wish_share <= 1.0:
        raise ValueError("no_wish_share must lie in [0, 1]")
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

    def neighbour(o: int) -> int:
        """Another occupation of the same ISCO 3-digit group (2-digit when alone)."""
        isco = taxonomy.occ_isco4
        for div in (10, 100):
            near = np.flatnonzero((isco // div == isco[o] // div) & (isco >= 0))
            near = near[near != o]
            if len(near):
                return int(rng.choice(near))
        return o

    def youth_skills(o: int, n: int) -> list[int]:
        """n distinct skills of occupation o (essential 3 in 4); in the noisy variant a
        quarter of them come from a neighbouring occupation."""
        ess, opt = skills_of(o, True), skills_of(o, False)
        out: list[int] = []
        for _ in range(n):
            if noisy and rng.random() < 0.25:
                nb = neighbour(o)
                lo, hi = occ_skills.indptr[nb], occ_skills.indptr[nb + 1]
                if hi > lo:
                    out.append(int(occ_skills.indices[int(rng.integers(lo, hi))]))
                    continue
            src = ess if (len(ess) and rng.random() < 0.75) or not len(opt) else opt
            if len(src):
                out.append(int(rng.choice(src)))
        return list(dict.fromkeys(out))

    youths: list[Youth] = []
    truth: dict[int, str] = {}
    pcs = rng.choice(len(pc_p), size=n_youth, p=pc_p)
    true_occ = pool[rng.choice(len(pool), size=n_youth, p=zipf)]
    skill_typo = 0.35 if noisy else 0.1
    for i in range(n_youth):
        o = int(true_occ[i])
        yid = 100_000 + i
        truth[yid] = taxonomy.occ_uris[o]
        age = int(np.clip(rng.normal(21, 3.5), 15, 29))
        wishes: list[str] = []
        r = rng.random()
        if r >= no_wish_share:
            if rng.random() < 0.9:
                wishes.append(_noisy(occ_text(o), rng))
            else:
                wishes.append(taxonomy.occ_uris[o])
            if rng.random() < 0.3:
                group = same_group[int(taxonomy.occ_isco4[o])]
                wishes.append(_noisy(occ_text(int(rng.choice(group))), rng))
        skills = [
            _noisy(skill_text(int(s)), rng, skill_typo)
            for s in youth_skills(o, int(rng.integers(2, 7)))
        ]
        former_jobs: list[str] = []
        if rng.random() < (0.3 if noisy else 0.15):
            # A former job written as a skill ("lagerarbejde"): the true occupation or a
            # neighbour (noisy variant).
            job = neighbour(o) if noisy and rng.random() < 0.5 else o
            former = taxonomy.occ_label_da[job]
            skills.append(former[:-1] if former.endswith("er") else former)
        if rng.random() < 0.1:
            former_jobs.append(_noisy(occ_text(neighbour(o) if rng.random() < 0.3 else o), rng))
        kinds: tuple[str, ...] = ()
        if rng.random() < 0.2:
            kinds = tuple(
                sorted(
                    {str(k) for k in rng.choice(OPENING_KIND_CHOICES, size=int(rng.integers(1, 3)))}
                )
            )
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
                former_jobs=tuple(former_jobs),
                preferred_kinds=kinds,
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
                        OPENING_KINDS,
                        p=[0.47, 0.15, 0.15, 0.1, 0.08, 0.05],
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
