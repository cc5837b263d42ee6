"""Fixtures for the engine tests: a tiny hand-made taxonomy (fast) and the real one (once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from matcher import EngineConfig, MatchEngine, MentorSlot, Opening, Taxonomy, Youth

TODAY = date(2026, 11, 28)
OCC = "http://example.org/occ/"
SK = "http://example.org/skill/"

OCCUPATIONS = [
    # uri, isco, Danish label, alt labels, English label
    ("warehouse", "9333", "lagerarbejder", "lagermedarbejder|lagerassistent", "warehouse worker"),
    ("forklift", "8344", "truckfører", "gaffeltruckfører", "forklift operator"),
    ("cook", "5120", "kok", "", "cook"),
    ("kitchen", "9412", "køkkenmedhjælper", "køkkenassistent", "kitchen assistant"),
    ("shop", "5223", "butiksassistent", "ekspedient", "shop assistant"),
    ("cleaner", "9112", "rengøringsassistent", "rengøringsmedarbejder", "cleaner"),
    ("porter", "9331", "transportarbejder", "", "freight handler"),
]
SKILLS = [
    ("forklift", "operate forklift"),
    ("shelves", "stock shelves"),
    ("clean", "clean surfaces"),
    ("cooking", "use cooking techniques"),
    ("customers", "communicate with customers"),
    ("payments", "process payments"),
    ("stock", "monitor stock level"),
    ("dishes", "wash the dishes"),
]
RELATIONS = [
    ("warehouse", "forklift", "essential"),
    ("warehouse", "stock", "essential"),
    ("warehouse", "shelves", "optional"),
    ("forklift", "forklift", "essential"),
    ("cook", "cooking", "essential"),
    ("kitchen", "dishes", "essential"),
    ("kitchen", "clean", "optional"),
    ("shop", "customers", "essential"),
    ("shop", "payments", "essential"),
    ("shop", "shelves", "essential"),
    ("cleaner", "clean", "essential"),
]
POSTCODES = [
    ("2600", "Glostrup", 55.666, 12.398, "161"),
    ("2605", "Brøndby", 55.649, 12.418, "153"),
    ("2300", "København S", 55.656, 12.606, "101"),
    ("4000", "Roskilde", 55.642, 12.081, "265"),
    ("8000", "Aarhus C", 56.153, 10.205, "751"),
    ("5000", "Odense C", 55.396, 10.389, "461"),
    ("9000", "Aalborg", 57.043, 9.921, "851"),
]
ISCO = [
    ("9", "Manuelt arbejde", "Elementary occupations"),
    ("93", "Manuelt arbejde inden for industri og transport", "Labourers in transport"),
    ("933", "Transport- og lagerarbejde", "Transport and storage labourers"),
    ("9333", "Lagerarbejde", "Freight handlers"),
    ("9331", "Transportarbejde", "Hand and pedal vehicle drivers"),
]


def small_taxonomy() -> Taxonomy:
    return Taxonomy(
        occupations=[
            {
                "esco_uri": OCC + u,
                "isco_code": i,
                "preferred_label_da": da,
                "alt_labels_da": alt,
                "preferred_label_en": en,
            }
            for u, i, da, alt, en in OCCUPATIONS
        ],
        skills=[{"skill_uri": SK + u, "preferred_label_en": en} for u, en in SKILLS],
        occupation_skills=[
            {"occupation_uri": OCC + o, "skill_uri": SK + s, "relation_type": r}
            for o, s, r in RELATIONS
        ],
        postcodes=[
            {"postcode": p, "name": n, "lat": str(la), "lon": str(lo), "municipality_code": m}
            for p, n, la, lo, m in POSTCODES
        ],
        isco_groups=[{"isco_code": c, "label_da": da, "label_en": en} for c, da, en in ISCO],
        skill_labels_da={
            "operate forklift": ("gaffeltruck", "truckkørsel"),
            "clean surfaces": ("rengøring",),
            "communicate with customers": ("kundeservice",),
        },
    )


@pytest.fixture(scope="session")
def tiny_taxonomy() -> Taxonomy:
    return small_taxonomy()


@pytest.fixture(scope="session")
def real_taxonomy() -> Taxonomy:
    from jobs.taxonomy import load_taxonomy

    tx = load_taxonomy()
    _ = tx.occupation_matcher, tx.skill_matcher
    return tx


@pytest.fixture
def make_youth() -> Callable[..., Youth]:
    counter = iter(range(1, 10_000))

    def make(**kw: Any) -> Youth:
        kw.setdefault("id", next(counter))
        kw.setdefault("birth_year", 2004)
        kw.setdefault("postcode", "2600")
        return Youth(**kw)

    return make


@pytest.fixture
def make_opening() -> Callable[..., Opening]:
    counter = iter(range(1000, 10_000))

    def make(**kw: Any) -> Opening:
        kw.setdefault("id", next(counter))
        kw.setdefault("title", "Lagermedarbejder")
        kw.setdefault("postcode", "2600")
        return Opening(**kw)

    return make


@pytest.fixture
def make_slot() -> Callable[..., MentorSlot]:
    counter = iter(range(5000, 10_000))

    def make(**kw: Any) -> MentorSlot:
        kw.setdefault("id", next(counter))
        kw.setdefault("title", "Mentor")
        kw.setdefault("postcode", "2600")
        return MentorSlot(**kw)

    return make


@pytest.fixture
def engine_for(tiny_taxonomy: Taxonomy) -> Callable[..., MatchEngine]:
    def make(openings: Any = (), slots: Any = (), **cfg: Any) -> MatchEngine:
        cfg.setdefault("today", TODAY)
        return MatchEngine(EngineConfig(**cfg), tiny_taxonomy).fit(list(openings), list(slots))

    return make
