"""The engine's rankings, frozen: performance work must not change what anyone is suggested.

A fixed-seed synthetic population (the project's generator, real taxonomy) goes through the
whole engine twice — the exhaustive path (every reachable pair scored) and the retrieval path
(``exhaustive_max_pairs=0``: sparse retrieval, the broad pass and the nearest-openings
fallback, with tight seat caps so the allocator's repair runs) — for openings and mentor
slots, and ``match_opening`` for a few openings. Every list's target ids and scores (to
1e-6), and a digest of the rest (reasons in both languages with their numbers, components,
distance), are compared with ``tests/matcher/data/ranking_golden.json``, generated from main
before the performance work of issue #18.

Regenerate only for an intended ranking change: ``UPDATE_RANKING_GOLDEN=1 pytest
tests/matcher/test_ranking_unchanged.py`` (and say why in the commit).
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher import EngineConfig, Match, MatchEngine, Taxonomy
from matcher.synthetic import generate

GOLDEN = Path(__file__).resolve().parent / "data" / "ranking_golden.json"
TODAY = date(2026, 11, 28)
SIZES = {"n_youth": 800, "n_openings": 700, "n_slots": 80}
SEED = 18
# Greater Copenhagen: dense enough that most youth have ten openings in reach; seconds to run.
MUNICIPALITIES = tuple("101 147 151 153 157 159 161 163 165 167 169 173 175 183 185 187".split())
DIGITS = 6  # scores are compared to 1e-6


def _list(matches: list[Match]) -> list[Any]:
    """``[target id, score, target id, score, ..., digest]``: ids and scores readable, the
    rest (reason codes, texts in both languages, their numbers, components, distance) in an
    8-character digest, so the file stays small and a diff still points at the youth."""
    flat: list[Any] = []
    digest = hashlib.sha256()
    for m in matches:
        flat += [m.target_id, round(m.score, DIGITS)]
        km = None if m.distance_km is None else round(m.distance_km, 2)
        comps = sorted((k, round(v, DIGITS)) for k, v in m.components.items())
        digest.update(json.dumps([m.target_id, km, comps], ensure_ascii=False).encode())
        for r in m.reasons:
            params = [[k, _plain(v)] for k, v in r.params]
            digest.update(json.dumps([r.code, r.da, r.en, params], ensure_ascii=False).encode())
    return [*flat, digest.hexdigest()[:8]]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _codes(ranked: dict[int, list[Match]]) -> dict[str, int]:
    """How often each reason code is given (a readable summary beside the digests)."""
    counts: dict[str, int] = {}
    for matches in ranked.values():
        for m in matches:
            for r in m.reasons:
                counts[r.code] = counts.get(r.code, 0) + 1
    return dict(sorted(counts.items()))


def _run(taxonomy: Taxonomy) -> dict[str, Any]:
    pop = generate(taxonomy, **SIZES, random_state=SEED, today=TODAY, municipalities=MUNICIPALITIES)
    out: dict[str, Any] = {}
    codes: dict[str, dict[str, int]] = {}
    configs = {
        "exhaustive": EngineConfig(today=TODAY),
        "retrieval": EngineConfig(today=TODAY, exhaustive_max_pairs=0, seat_multiplier=2.0),
    }
    for name, cfg in configs.items():
        engine = MatchEngine(cfg, taxonomy).fit(pop.openings, pop.mentor_slots)
        index = engine.index(pop.youths)
        openings = engine.rank(index, 10)
        mentors = engine.rank_mentors(index, 3)
        out[f"{name}/openings"] = {str(y): _list(ms) for y, ms in openings.items()}
        out[f"{name}/mentors"] = {str(y): _list(ms) for y, ms in mentors.items()}
        codes[f"{name}/openings"] = _codes(openings)
        codes[f"{name}/mentors"] = _codes(mentors)
        if name == "exhaustive":
            live = [o for o in pop.openings if o.status == "open" and o.expires >= TODAY][:8]
            by_opening = {o.id: engine.match_opening(o, 10, index=index) for o in live}
            out["match_opening"] = {str(i): _list(ms) for i, ms in by_opening.items()}
    out["reason_codes"] = codes
    return out


def _dump(data: dict[str, Any]) -> str:
    """One line per youth: small diffs when a ranking does change."""
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        value = data[key]
        comma = "," if n < len(keys) - 1 else ""
        if isinstance(value, dict):
            lines.append(f"{json.dumps(key)}: {{")
            rows = list(value.items())
            for p, (sub, v) in enumerate(rows):
                sep = "," if p < len(rows) - 1 else ""
                lines.append(f"  {json.dumps(sub)}: {json.dumps(v, separators=(',', ':'))}{sep}")
            lines.append("}" + comma)
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def test_rankings_match_the_golden_output(real_taxonomy: Taxonomy) -> None:
    got = json.loads(_dump(_run(real_taxonomy)))  # through JSON: the same types as the file
    if os.environ.get("UPDATE_RANKING_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(_dump(got), encoding="utf-8")
        pytest.skip("golden output rewritten")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(want)
    for section in sorted(want):
        assert got[section].keys() == want[section].keys(), section
        differing = [k for k in want[section] if got[section][k] != want[section][k]]
        assert not differing, (
            f"{section}: {len(differing)} lists differ, first {differing[0]}:\n"
            f"  got  {got[section][differing[0]]}\n  want {want[section][differing[0]]}"
        )


def test_the_golden_output_covers_every_path() -> None:
    """The frozen output is worth something only if it exercises what the work touches."""
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    full = sum(1 for v in want["exhaustive/openings"].values() if len(v) == 2 * 10 + 1)
    assert full > 300
    assert sum(1 for v in want["retrieval/openings"].values() if len(v) > 1) > 500
    for section in ("exhaustive/mentors", "retrieval/mentors"):
        assert sum(1 for v in want[section].values() if len(v) > 1) > 150, section
    assert all(len(v) == 2 * 10 + 1 for v in want["match_opening"].values())
    codes = want["reason_codes"]
    # Wishes, inferred occupations, skills, the nearest-openings fallback, mentor reasons.
    for code in ("occupation_same", "inferred_skills", "skills_required", "nearby_only"):
        assert codes["retrieval/openings"].get(code, 0) > 50, code
        assert codes["exhaustive/openings"].get(code, 0) > 50, code
    assert codes["retrieval/mentors"].get("interests_shared", 0) > 50
    # The retrieval path cuts candidates and the seats are tighter: other lists.
    assert want["retrieval/openings"] != want["exhaustive/openings"]
