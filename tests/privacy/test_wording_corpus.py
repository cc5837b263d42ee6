"""The check for discriminating wording measured on a labelled corpus of Danish and English
phrasings from job ads and mentor offers (tests/data/wording_corpus.tsv, written before the
check was extended; lawful minimum ages and needed language skills are labelled clean).
Run with ``-s`` to see the report."""

from collections import Counter

from models.wording import check_text
from tests.privacy.corpus import CLEAN, evaluate, read_corpus

ROWS = read_corpus("wording_corpus.tsv")
GROUNDS = {
    "age",
    "gender",
    "pregnancy",
    "marital",
    "ethnicity",
    "religion",
    "disability",
    "orientation",
    "political",
    "social",
}


def test_corpus_is_large_and_covers_every_ground():
    labels = Counter(label for label, _ in ROWS)
    assert len(ROWS) >= 300
    assert labels[CLEAN] >= 150
    assert set(labels) == GROUNDS | {CLEAN}


def test_wording_recall_and_false_flags():
    report = evaluate("wording check", ROWS, lambda text: bool(check_text(text)))
    print("\n" + report.text())
    assert report.recall >= 0.95, report.text()
    assert report.false_flag_rate <= 0.05, report.text()


def test_each_ground_is_caught():
    for ground in sorted(GROUNDS):
        rows = [(label, text) for label, text in ROWS if label == ground]
        report = evaluate(ground, rows, lambda text: bool(check_text(text)))
        print(report.text())
        assert report.recall >= 0.85, report.text()
