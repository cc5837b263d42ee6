"""The faster ways of computing what the engine computed before give the same values, to the
bit (issue #18: the performance work changes no ranking)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from matcher import EngineConfig, MatchEngine, Taxonomy, blocking
from matcher.blocking import PairContext
from matcher.compare import ScoringModel, occupation_fit
from matcher.encode import AMBIGUOUS_WISH_FLOOR, _padded, _wish_weights
from matcher.engine import _phrase_vectorizer, _transform, _transform_phrases, _vectorizer
from matcher.explain import _best_wish
from matcher.infer import Inferred
from matcher.synthetic import generate

TODAY = date(2026, 11, 28)

OPENING_DOCS = [
    "Lagermedarbejder til vores lager i Glostrup. Truckcertifikat er et plus.",
    "Køkkenmedhjælper søges — opvask, rengøring og madlavning",
    "Butiksassistent: kundeservice, kasse og varepåfyldning",
    "Rengøringsassistent, erhvervsrengøring, kørekort B",
    "Smørrebrød & café: ekspedient til weekend",
    "Warehouse worker, operate forklift, stock shelves",
] * 10


def test_phrase_by_phrase_tf_idf_equals_the_vectoriser_to_the_bit() -> None:
    vec, _ = _vectorizer(OPENING_DOCS)
    rows = [
        ("lagerarbejder", "Truckkørsel", "rengøring", "fodbold"),
        ("LAGERARBEJDER", "lager", "lager", "lager og kasse"),  # repeated phrases count
        ("Smoerrebroed", "smørrebrød", "CAFÉ", "café-ekspedient"),  # folding, accents
        ("", "  ", "og i at", "the and of"),  # blank and stop words only
        ("kok", "ukendt ord", "Køkken—medhjælper", "opvask/rengøring"),  # punctuation
        (),
        ("operate forklift", "stock shelves", "warehouse worker"),
        ("a", "ß straße", "naïve", "Ærø"),  # one-letter, casefold, diaereses
    ]
    want = _transform(vec, [" ".join(r) for r in rows])
    got = _transform_phrases(vec, rows)
    assert got is not None and want is not None
    assert got.shape == want.shape
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)  # exact, not close
    assert got.data.dtype == want.data.dtype == np.float64
    assert got.nnz > 10


def test_fit_by_phrases_equals_the_vectoriser_to_the_bit() -> None:
    """The engine fits TF-IDF on distinct phrases: the same vocabulary (in the same order),
    IDF weights and rows as scikit-learn's fit on the joined documents."""
    phrases = [
        ("Lagermedarbejder", "Truckcertifikat er et plus", "lager", "lager"),
        ("Køkkenmedhjælper søges — opvask", "rengøring og madlavning", ""),
        ("Smørrebrød & café", "ekspedient til weekend", "Smoerrebroed"),
        (),
        ("og i at", "the and of"),
        ("Warehouse worker", "operate forklift", "stock shelves", "ß straße", "naïve"),
    ]
    for n in (1, 10):  # 60 documents: max_df=0.5 drops the commonest terms
        rows = phrases * n
        want_vec, want = _vectorizer([" ".join(r) for r in rows])
        got_vec, got = _phrase_vectorizer(rows)
        assert want_vec is not None and got_vec is not None and want is not None
        assert got is not None
        assert list(got_vec.vocabulary_.items()) == list(want_vec.vocabulary_.items())
        assert got_vec.idf_.tobytes() == want_vec.idf_.tobytes()
        for name in ("indptr", "indices", "data"):
            a, b = getattr(got, name), getattr(want, name)
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
        assert "_count_vocab" not in vars(got_vec)
        docs = ["lager og café", "forklift forklift straße", ""]
        assert (_transform(got_vec, docs) != _transform(want_vec, docs)).nnz == 0
    assert _phrase_vectorizer([]) == (None, None)
    assert _phrase_vectorizer([("og i", "the")] * 3) == (None, None)  # stop words only


def test_phrase_tf_idf_of_nothing() -> None:
    vec, _ = _vectorizer(OPENING_DOCS)
    assert _transform_phrases(vec, []).shape == (0, len(vec.vocabulary_))
    assert _transform_phrases(None, [("x",)]) is None


def _padded_groups(
    ctx: PairContext, model: ScoringModel
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: the opening's occupation, the padded wishes and both ISCO-4 codes."""
    occ = ctx.target.occ[ctx.tj]
    wish = ctx.youth.wish_occ[ctx.yi]
    isco = model.occ_isco4
    t4 = np.where(occ >= 0, isco[np.maximum(occ, 0)], -1)[:, None]
    w4 = np.where(wish >= 0, isco[np.maximum(wish, 0)], -2)
    return occ, wish, t4, w4


def _occupation_fit_padded(ctx: PairContext, model: ScoringModel) -> np.ndarray:
    """The occupation component as it was computed before #18: over the padded wish array."""
    occ, wish, t4, w4 = _padded_groups(ctx, model)
    l1, l2, l3, l4 = model.levels
    valid = (t4 >= 0) & (w4 >= 0)
    level = np.where(wish == occ[:, None], l1, 0.0)
    level = np.maximum(level, np.where(valid & (w4 == t4), l2, 0.0))
    level = np.maximum(level, np.where(valid & (w4 // 10 == t4 // 10), l3, 0.0))
    level = np.maximum(level, np.where(valid & (w4 // 100 == t4 // 100), l4, 0.0))
    level = np.where(wish >= 0, level * ctx.youth.wish_weight[ctx.yi], 0.0)
    return level.max(axis=1)


def _best_wish_padded(ctx: PairContext, model: ScoringModel) -> np.ndarray:
    """The wish named in the reasons, as chosen before #18: over the padded wish array."""
    occ, wish, t4, w4 = _padded_groups(ctx, model)
    ok = (wish >= 0) & (t4 >= 0)
    closeness = np.where(wish == occ[:, None], 4, 0)
    closeness = np.maximum(closeness, np.where(ok & (w4 == t4), 3, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 10 == t4 // 10), 2, 0))
    closeness = np.maximum(closeness, np.where(ok & (w4 // 100 == t4 // 100), 1, 0))
    col = closeness.argmax(axis=1)
    return np.maximum(wish[np.arange(len(col)), col], 0)


def _random_pairs(taxonomy: Taxonomy, seed: int, n: int) -> tuple[Any, PairContext, Any]:
    """A small population's youth index, ``n`` random (youth, opening) pairs in youth order
    as the engine scores them, and the engine's scoring model for them."""
    pop = generate(taxonomy, 400, 300, 0, random_state=3, today=TODAY)
    engine = MatchEngine(EngineConfig(today=TODAY), taxonomy).fit(pop.openings)
    index = engine.index(pop.youths)
    rng = np.random.default_rng(seed)
    yi = np.sort(rng.integers(0, len(index), n))
    tj = rng.integers(0, len(engine.openings_), n)
    ctx = PairContext(index, engine.openings_, yi, tj, np.zeros(n), engine.today_day_, 30)
    return index, ctx, engine._model(index, engine.openings_)


def test_occupation_component_over_wish_cells_equals_the_padded_one(
    real_taxonomy: Taxonomy,
) -> None:
    index, ctx, model = _random_pairs(real_taxonomy, seed=0, n=20_000)
    for levels in ((1.0, 0.75, 0.5, 0.25), (0.2, 0.9, 0.1, 0.6)):  # also non-monotone
        model.levels = levels
        want = _occupation_fit_padded(ctx, model)
        got = occupation_fit(ctx, model)
        assert np.array_equal(got, want)
        assert (want > 0).sum() > 100 and (want == 0).sum() > 100
        # The wish the reasons name, wherever the component is positive (else unused).
        named = want > 0
        assert np.array_equal(_best_wish(ctx, model)[named], _best_wish_padded(ctx, model)[named])
    assert index.wish_occ.shape[1] > 1 and (index.wish_weight < 1).any()


def test_text_similarity_on_shared_columns_is_the_same(real_taxonomy: Taxonomy) -> None:
    """The openings' TF-IDF rows without the terms no youth has give the same text
    component, to the bit."""
    from matcher.compare import shared_columns, text_similarity

    _index, ctx, model = _random_pairs(real_taxonomy, seed=2, n=50_000)
    want = text_similarity(ctx, model)
    full = model.target_text
    model.target_text = shared_columns(full, model.youth_text)
    assert model.target_text is not None and full is not None
    assert model.target_text.nnz < full.nnz
    got = text_similarity(ctx, model)
    assert got.tobytes() == want.tobytes()
    assert (want > 0).sum() > 1000
    assert shared_columns(None, model.youth_text) is None


def _wish_weights_by_youth(wish_occ: Any, groups: Any, inferred: Any) -> np.ndarray:
    """The wish weights as the engine computed them before (a loop per youth with an
    ambiguous wish): the reference of the vectorised ``encode._wish_weights``."""
    floor = AMBIGUOUS_WISH_FLOOR
    out = np.ones(wish_occ.shape)
    for i, wishes in enumerate(groups):
        if max(map(len, wishes), default=0) < 2:
            continue
        support = dict(zip(inferred.occ[i].tolist(), inferred.prob[i].tolist(), strict=True))
        weight: dict[int, float] = {}
        for g in wishes:
            if len(g) < 2:
                for o in g:
                    weight[o] = 1.0
                continue
            p = [support.get(o, 0.0) for o in g]
            best = max(p)
            for o, x in zip(g, p, strict=True):
                w = floor + (1.0 - floor) * (x / best if best > 0 else 1.0)
                weight[o] = max(weight.get(o, 0.0), w)
        out[i] = [weight.get(o, 1.0) if o >= 0 else 1.0 for o in wish_occ[i].tolist()]
    return out


def test_wish_weights_over_cells_equal_the_loop_by_youth() -> None:
    rng = np.random.default_rng(7)
    width = 4
    for _ in range(300):
        n = int(rng.integers(1, 8))
        groups = [
            [
                rng.integers(0, 10, int(rng.integers(0, 4))).tolist()  # repeats, unsorted too
                for _ in range(int(rng.integers(0, 4)))
            ]
            for _ in range(n)
        ]
        wish_occ = _padded([sorted({o for g in gs for o in g}) for gs in groups])
        occ = np.full((n, width), -1, dtype=np.int64)
        prob = np.zeros((n, width))
        for i in range(n):
            k = int(rng.integers(0, width + 1))
            occ[i, :k] = rng.choice(10, k, replace=False)
            prob[i, :k] = rng.choice([0.0, 0.1, 0.3, 0.5], k)
        inferred = Inferred(occ, prob, prob, prob.max(axis=1), occ)
        expected = _wish_weights_by_youth(wish_occ, groups, inferred)
        assert _wish_weights(wish_occ, groups, inferred).tobytes() == expected.tobytes()


def test_nearest_pairs_in_two_looks_and_batches_equal_one_look_per_postcode(
    real_taxonomy: Taxonomy, monkeypatch: Any
) -> None:
    """The fallback's first pairs per youth are the same, in the same order, whether the
    hard rules see each youth's first candidates first (``FIRST_LOOK``) or all of them at
    once, and whether the postcodes are checked one by one or many at once."""
    pop = generate(real_taxonomy, 600, 300, 40, random_state=5, today=TODAY)
    engine = MatchEngine(EngineConfig(today=TODAY), real_taxonomy).fit(
        pop.openings, pop.mentor_slots
    )
    index = engine.index(pop.youths)
    rows = np.random.default_rng(5).permutation(len(index))[: len(index) // 2]
    for target in (engine.openings_, engine.slots_):
        for limit in (1, 3, 30, None):

            def pairs(first_look: int, batch: int, limit: int | None = limit) -> Any:
                monkeypatch.setattr(blocking, "FIRST_LOOK", first_look)
                monkeypatch.setattr(blocking, "NEAREST_BATCH", batch)
                return blocking.nearest_pairs(
                    engine.geo_, index, target, rows, engine._rules(target),
                    engine.today_day_, 30, limit,
                )  # fmt: skip

            expected = pairs(10**6, 1)  # one look, postcode by postcode
            for first_look, batch in ((1, 1), (3, 1), (1, 10**9), (3, 5_000)):
                got = pairs(first_look, batch)
                assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))


def test_phrases_tokenised_at_once_as_the_analyser_does_phrase_by_phrase() -> None:
    """``_phrase_tokens`` cuts the joined, folded phrases in one pass: the same terms, in
    the same order of first appearance, and the same tokens per phrase as the vectoriser's
    analyser phrase by phrase (stop words, blanks, one-letter words, folding)."""
    from matcher.engine import _phrase_tokens, _plain_word_analysis

    vec, _ = _vectorizer(OPENING_DOCS)
    assert vec is not None and _plain_word_analysis(vec)
    phrases = [
        "Lagerarbejder og truck",
        "",
        "og i at the",
        "  ",
        "Smørrebrød & CAFÉ — café-ekspedient",
        "a ß straße naïve Ærø",
        "lager lager",
        "æ ø å",
        "x",
    ]
    for some in (phrases, phrases[:1], [], phrases[::-1]):
        analyze = vec.build_analyzer()
        lists = [analyze(p) for p in some]
        terms, term_of, phrase = _phrase_tokens(vec, some)
        assert terms == list(dict.fromkeys(t for tokens in lists for t in tokens))
        assert [terms[j] for j in term_of.tolist()] == [t for tokens in lists for t in tokens]
        assert phrase.tolist() == [i for i, tokens in enumerate(lists) for _ in tokens]
