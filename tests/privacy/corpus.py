"""Reading the labelled corpora in tests/data and reporting how a detector does on them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
CLEAN = "clean"


def read_corpus(name: str) -> list[tuple[str, str]]:
    """(label, text) rows of ``tests/data/<name>``; ``#`` lines are comments."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label.strip(), text.strip()))
    return rows


@dataclass
class Report:
    """Precision, recall and false-flag rate of a detector on a labelled corpus."""

    title: str
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_flags: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def false_flag_rate(self) -> float:
        return self.fp / max(1, self.fp + self.tn)

    def text(self) -> str:
        lines = [
            f"{self.title}: {self.tp + self.fn} with, {self.fp + self.tn} without; "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}, "
            f"false flags {self.false_flag_rate:.3f} ({self.fp})",
            *(f"  missed [{label}] {text}" for label, text in self.misses),
            *(f"  flagged clean: {text}" for text in self.false_flags),
        ]
        return "\n".join(lines)


def evaluate(title: str, rows: list[tuple[str, str]], flags: Callable[[str], bool]) -> Report:
    report = Report(title)
    for label, text in rows:
        flagged = flags(text)
        if label == CLEAN:
            if flagged:
                report.fp += 1
                report.false_flags.append(text)
            else:
                report.tn += 1
        elif flagged:
            report.tp += 1
        else:
            report.fn += 1
            report.misses.append((label, text))
    return report


# The anonymous card, field by field, as the design states it (not read from the code that
# builds it): what a company or mentor may see of a young person, and nothing else.
CARD_KEYS = {
    "age_band",
    "municipality",
    "skills",
    "interests",
    "availability",
    "languages",
    "driving_licence",
    "pitch",
}
