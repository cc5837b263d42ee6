import pytest

from matcher.normalise import LabelMatcher, fold
from matcher.taxonomy import Taxonomy


def test_fold_handles_case_danish_letters_and_punctuation() -> None:
    assert fold("  Smørrebrød-Jomfru! ") == "smoerrebroed jomfru"
    assert fold("LAGERARBEJDER") == fold("lagerarbejder")
    assert fold("Køkkenmedhjælper") == "koekkenmedhjaelper"
    assert fold("Café") == "cafe"
    assert fold("Ålborg") == "aalborg"


@pytest.mark.parametrize(
    "text",
    [
        "lagerarbejder",
        "Lagerarbejder",
        "LAGERARBEJDER",
        "lagerarbeider",
        "lagerarbjder",
        "lagermedarbejder",
        "lager medarbejder",
    ],
)
def test_occupation_text_maps_despite_typos_and_case(tiny_taxonomy: Taxonomy, text: str) -> None:
    idx = tiny_taxonomy.occupation_matcher.lookup_one(text)
    assert tiny_taxonomy.occ_label_en[idx] == "warehouse worker"


@pytest.mark.parametrize("text", ["koekkenmedhjaelper", "køkkenmedhjælper", "kokkenmedhjalper"])
def test_oe_ae_aa_spellings(tiny_taxonomy: Taxonomy, text: str) -> None:
    idx = tiny_taxonomy.occupation_matcher.lookup_one(text)
    assert tiny_taxonomy.occ_label_en[idx] == "kitchen assistant"


def test_danish_project_skill_labels_and_english_labels(tiny_taxonomy: Taxonomy) -> None:
    m = tiny_taxonomy.skill_matcher
    hits = m.lookup(["gaffeltruck", "Truckkoersel", "rengøring", "stock shelvs", "kundeservise"])
    labels = [tiny_taxonomy.skill_label_en[i] for i in hits]
    assert labels == [
        "operate forklift",
        "operate forklift",
        "clean surfaces",
        "stock shelves",
        "communicate with customers",
    ]
    assert tiny_taxonomy.skill_label(hits[0], "da") == "gaffeltruck"


def test_unknown_and_short_text_maps_to_nothing(tiny_taxonomy: Taxonomy) -> None:
    m = tiny_taxonomy.occupation_matcher
    assert m.lookup(["astronaut", "", "kog", "xyz"]) == [-1, -1, -1, -1]
    assert m.lookup_one("kok") >= 0  # exact short labels still match


def test_label_matcher_is_deterministic_on_ties() -> None:
    m = LabelMatcher(["abcdef", "abcdeg"], [1, 2], 80)
    assert m.lookup(["abcdex"]) == [1]
    with pytest.raises(ValueError):
        LabelMatcher(["a"], [1, 2], 80)


def test_real_taxonomy_normalisation(real_taxonomy: Taxonomy) -> None:
    tx = real_taxonomy
    wh = tx.occupation_matcher.lookup_one("lagerarbeider")
    assert tx.occ_label_en[wh] == "warehouse worker"
    assert tx.occ_isco4[wh] == 9333
    s = tx.skill_matcher.lookup(["gaffeltruck", "have computer literacy"])
    assert [tx.skill_label_en[i] for i in s] == ["operate forklift", "have computer literacy"]


def test_project_danish_labels_all_resolve(real_taxonomy: Taxonomy) -> None:
    from matcher.skill_labels_da import PROJECT_SKILL_LABELS_DA

    known = set(real_taxonomy.skill_label_en)
    assert [k for k in PROJECT_SKILL_LABELS_DA if k not in known] == []
    assert len(PROJECT_SKILL_LABELS_DA) >= 100


def test_two_pass_fuzzy_lookup_equals_one_pass_over_the_window() -> None:
    """The look-up's first pass (labels of about the query's length) settles a query only
    when no other label could equal its best: the result is the best over every label
    (uint8 scores, first label on ties), as one ``cdist`` over all labels gives."""
    import numpy as np
    from rapidfuzz import fuzz, process

    rng = np.random.default_rng(7)
    letters = list("abcdefghijklmnopqrstuvwxyz ")

    def word(n: int) -> str:
        return "".join(rng.choice(letters[:-1], n).tolist())

    labels = [
        word(int(n)) + " " + word(int(m))
        for n, m in zip(rng.integers(2, 20, 400), rng.integers(2, 20, 400), strict=True)
    ]
    labels += [lab + "s" for lab in labels[:40]] + [lab[:-1] for lab in labels[40:80]]  # near ties
    targets = list(range(len(labels)))
    queries = []
    for lab in labels[:300]:
        chars = list(lab)
        for _ in range(int(rng.integers(0, 6))):  # edits: substitute, delete, insert
            at = int(rng.integers(0, len(chars)))
            edit = int(rng.integers(0, 3))
            if edit == 0:
                chars[at] = str(rng.choice(letters[:-1]))
            elif edit == 1 and len(chars) > 1:
                del chars[at]
            else:
                chars.insert(at, str(rng.choice(letters[:-1])))
        queries.append("".join(chars).strip())
    for cutoff in (80.0, 88.0):
        matcher = LabelMatcher(labels, targets, score_cutoff=cutoff)
        got = matcher.lookup(queries)
        folded = [fold(lab) for lab in labels]
        scores = process.cdist(
            [fold(q) for q in queries],
            folded,
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            dtype=np.uint8,
        )
        best = scores.argmax(axis=1)
        want = [
            -1 if len(fold(q)) < 5 else (int(b) if scores[i, b] > 0 else -1)
            for i, (q, b) in enumerate(zip(queries, best.tolist(), strict=True))
        ]
        exact = {f: i for i, f in reversed(list(enumerate(folded)))}
        want = [exact.get(fold(q), w) for q, w in zip(queries, want, strict=True)]
        assert got == want
        assert sum(w >= 0 for w in want) > 200
