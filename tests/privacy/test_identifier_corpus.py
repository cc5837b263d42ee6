"""The identifier guard measured on a labelled corpus of Danish and English sentences.

The corpus (tests/data/identifier_corpus.tsv) was written before the guard was tuned; its
header states what is and is not an identifier (docs/PRIVACY_GUARD.md). Run with ``-s`` to
see the report.
"""

from collections import Counter

from models.identifiers import find_identifiers
from tests.privacy.corpus import CLEAN, evaluate, read_corpus

ROWS = read_corpus("identifier_corpus.tsv")


def test_corpus_is_large_and_balanced():
    labels = Counter(CLEAN if label == CLEAN else "identifier" for label, _ in ROWS)
    assert len(ROWS) >= 300
    assert labels[CLEAN] >= 150 and labels["identifier"] >= 150
    assert {label for label, _ in ROWS} >= {
        "name",
        "address",
        "birthdate",
        "social",
        "plate",
        "cpr",
        "email",
        "phone",
        CLEAN,
    }


def test_guard_recall_and_false_refusals():
    report = evaluate("identifier guard", ROWS, lambda text: bool(find_identifiers(text)))
    print("\n" + report.text())
    assert report.recall >= 0.95, report.text()
    assert report.false_flag_rate <= 0.05, report.text()


def test_guard_names_the_right_kind():
    """Where the guard refuses a sentence with an identifier, it says which kind it found."""
    wrong = [
        (label, text, [i.kind for i in found])
        for label, text in ROWS
        if label != CLEAN
        and (found := find_identifiers(text))
        and label not in {i.kind for i in found}
    ]
    assert len(wrong) <= 0.05 * len(ROWS), wrong
