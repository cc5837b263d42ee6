"""Checking job openings for discriminating wording before they are published.

A pure function: text in, findings out. Danish anti-discrimination law (forskelsbehandlings-
loven, ligebehandlingsloven) forbids job ads that ask for or exclude people by age (beyond a
legal minimum), gender, ethnic origin or nationality, religion or belief, or disability.
The patterns are deliberately about *asking for* or *excluding* a group, tolerant of case,
inflection and of æ/ø/å written as ae/oe/aa. They catch the common phrasings, not every
possible one: a person still reviews what is flagged and what is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.i18n import N_

AGE, GENDER, ETHNICITY, RELIGION, DISABILITY = (
    "age",
    "gender",
    "ethnicity",
    "religion",
    "disability",
)

EXPLANATIONS = {
    AGE: N_(
        "Do not ask for a maximum age or for young applicants. Only the legal minimum age "
        "may be stated, in the field 'Minimum age'."
    ),
    GENDER: N_(
        "Do not ask for a man or a woman. Describe the tasks; anyone may apply. "
        "Write 'the employee' instead of 'he' or 'she'."
    ),
    ETHNICITY: N_(
        "Do not ask for an ethnic origin or a nationality. If the job needs Danish, "
        "state the language under 'Languages' instead."
    ),
    RELIGION: N_("Do not ask for or exclude a religion, a belief or religious clothing."),
    DISABILITY: N_(
        "Do not exclude people with a disability or an illness. Describe the physical or "
        "practical demands of the tasks instead."
    ),
}

CATEGORY_LABELS = {
    AGE: N_("Age"),
    GENDER: N_("Gender"),
    ETHNICITY: N_("Ethnic origin or nationality"),
    RELIGION: N_("Religion or belief"),
    DISABILITY: N_("Disability or health"),
}

_NUM = r"\d{2}"
# "under 18" states a legal minimum (e.g. serving alcohol); "under 30" is an age ceiling.
_CEILING = r"(?:19|[2-9]\d)"
_NOT_A_UNIT = r"(?!\s*(?:timer|time|t\b|hours?|h\b|km|kr|%|min|dage|days|uger|weeks|m\b))"
_YEARS = r"(?:år(?:ig|ige)?|years?(?:[- ]old)?|yrs?)"

_RULES: dict[str, tuple[str, ...]] = {
    AGE: (
        rf"\bmax(?:imum|\.)?\s*(?:alder\s*)?{_NUM}\s*{_YEARS}",
        rf"\b(?:maks|maksimalt|højst|max\.?)\s*(?:alder\s*)?{_NUM}{_NOT_A_UNIT}",
        rf"\b(?:under|below|younger than|yngre end|ikke over|ikke ældre end|no older than|"
        rf"not older than|not over|op til|up to)\s*{_CEILING}\s*{_YEARS}",
        rf"\b(?:under|younger than|yngre end|ikke ældre end|no older than|not older than)"
        rf"\s*{_CEILING}{_NOT_A_UNIT}\b",
        rf"\b(?:mellem|between|fra)\s*{_NUM}\s*(?:og|and|til|to|-|–)\s*{_NUM}\s*{_YEARS}",
        rf"\b{_NUM}\s*[-–]\s*{_NUM}\s*{_YEARS}",
        rf"\baged?\s*{_NUM}\s*(?:-|–|to)\s*{_NUM}\b",
        r"\bmaks(?:imal)?\s*alder\b|\bmaximum age\b|\bage limit\b|\baldersgrænse\b",
        r"\bung(?:e|t)?\s+og\s+(?:frisk|dynamisk|energisk|sprudlende|sund)\w*",
        r"\bunge?\s+(?:fyr|pige|mand|kvinde|mennesker? under)\w*",
        r"\byoung\s+and\s+(?:fresh|dynamic|energetic|healthy)\b",
        r"\b(?:young|youthful)\s+(?:man|woman|men|women|guy|girl|boy)s?\b",
        r"\b(?:ikke for gamle|not too old|ingen ældre|no older (?:people|workers|applicants))\b",
        r"\b(?:recent graduates? only|digital natives?)\b",
    ),
    GENDER: (
        r"\b(?:han|hun)\s+(?:skal|bør|må|kan|vil|er|har)\b",
        r"\b(?:he|she)\s+(?:must|should|will|shall|has to|needs to|is|can)\b",
        r"\b(?:kvindelig|mandlig)(?:e)?\b",
        r"\b(?:fe)?male(?:s)?\b",
        r"\b(?:pige|piger|pigen|dreng|drenge|drengen)\b",
        r"\b(?:girl|girls|boy|boys|lady|ladies|gentleman|gentlemen)\b",
        r"\b(?:kun|only)\s+(?:for\s+)?(?:mænd|kvinder|men|women|fyre|gutter)\b",
        r"\b(?:søger|søges|ansætter|mangler)\s+(?:en\s+)?(?:mand|kvinde|fyr|gut|dame)\b",
        r"\b(?:mand|kvinde|fyr|dame)\s+(?:søges|ønskes)\b",
        r"\b(?:looking for|seeking|we want)\s+(?:a\s+)?(?:man|woman|guy|lady)\b",
    ),
    ETHNICITY: (
        r"\betnisk(?:e)?\s+(?:dansk|dansker)\w*",
        r"\bethnic(?:ally)?\s+(?:danish|dane|danes)\b",
        r"\b(?:kun|only)\s+(?:for\s+)?(?:dansker(?:e|ne)?|danes|etniske|danish people)\b",
        r"\bdansk(?:e)?\s+(?:pige|piger|dreng|drenge|mand|mænd|kvinde|kvinder|fyr|"
        r"statsborger\w*|baggrund|herkomst|oprindelse|afstamning)\b",
        r"\bdanish\s+(?:citizens?(?:hip)?|nationals?|origin|background|descent|girls?|boys?|"
        r"man|men|woman|women|only)\b",
        r"\b(?:\w+\s+)?som\s+modersmål\b",
        r"\bnative\s+(?:\w+\s+)?speakers?\b|\bmother\s+tongue\b",
        r"\b(?:født|opvokset)\s+i\s+danmark\b|\b(?:born|raised)\s+in\s+denmark\b",
        r"\b(?:ingen|no|ikke)\s+(?:udlændinge|indvandrere|flygtninge|foreigners|immigrants|"
        r"refugees|nydanskere)\b",
        r"\b(?:hvid|hvide|white)\s+(?:dansker\w*|person\w*|people|applicants?|medarbejder\w*)\b",
    ),
    RELIGION: (
        r"\b(?:ingen|no|ikke|uden|without)\s+(?:\w+\s+)?(?:muslim\w*|religiøs\w*|religious|"
        r"tørklæde\w*|hijab\w*|headscar(?:f|ves)|turban\w*|kors|crosses)\b",
        r"\b(?:kun|only)\s+(?:for\s+)?(?:kristne|christians?|muslimer|muslims?|jøder|jews)\b",
        r"\b(?:kristen|kristne|muslimsk\w*|jødisk\w*|christian|muslim|jewish|hindu)\s+"
        r"(?:medarbejder\w*|ansøger\w*|person\w*|applicants?|candidates?|employees?|workers?|"
        r"baggrund|background|tro|faith)\b",
        r"\b(?:tørklæde|hijab|headscarf|turban)(?:r|et|er|s)?\b",
        r"\breligi(?:on|øs|øse|ous)\s*(?:er\s+)?(?:ikke|not)\b",
    ),
    DISABILITY: (
        r"\b(?:ingen|no|uden|without|ikke)\s+(?:\w+\s+)?(?:handicap\w*|disabilit\w*|disabled|"
        r"sygdom\w*|illness\w*|diagnos\w*|skavanker|kroniske?\s+\w+|chronic\s+\w+)\b",
        r"\bmust\s+be\s+(?:healthy|fit|able[- ]bodied|in good health)\b",
        r"\bable[- ]bodied\b|\bin good health\b|\bperfect health\b",
        r"\b(?:frisk|rask|sund)(?:e)?\s+og\s+(?:rask|sund|frisk)(?:e)?\b",
        r"\b(?:fysisk|psykisk)\s+(?:og\s+(?:fysisk|psykisk)\s+)?(?:frisk|rask|sund|stærk)\w*\b",
        r"\bgodt?\s+helbred\b|\bsund\s+krop\b",
        r"\b(?:handicappede|disabled people|disabled persons)\s+(?:kan ikke|cannot|need not)\b",
        r"\bikke\s+(?:for\s+)?(?:handicappede|disabled)\b",
    ),
}

_FOLD = {"æ": "(?:æ|ae)", "ø": "(?:ø|oe)", "å": "(?:å|aa)"}


def _fold(pattern: str) -> str:
    """Let æ/ø/å in a pattern also match their ASCII spellings ae/oe/aa."""
    return "".join(_FOLD.get(ch, ch) for ch in pattern)


_COMPILED = {
    category: tuple(re.compile(_fold(p), re.IGNORECASE) for p in patterns)
    for category, patterns in _RULES.items()
}


@dataclass(frozen=True)
class Finding:
    """One phrase that looks discriminating: where, what, and why (an untranslated msgid)."""

    field: str
    category: str
    phrase: str
    explanation: str

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]


def check_text(text: str, field: str = "text") -> list[Finding]:
    """Findings in one text, in the order they occur; overlapping hits of one kind once."""
    hits: list[tuple[int, int, str]] = []
    for category, patterns in _COMPILED.items():
        for pattern in patterns:
            for match in pattern.finditer(text or ""):
                hits.append((match.start(), match.end(), category))
    hits.sort(key=lambda hit: (hit[0], -hit[1]))
    findings: list[Finding] = []
    last_end: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for start, end, category in hits:
        if start < last_end.get(category, -1):
            continue  # a shorter hit inside a longer one of the same kind
        last_end[category] = end
        phrase = " ".join(text[start:end].split())
        key = (category, phrase.lower())
        if key in seen:
            continue
        seen.add(key)
        findings.append(Finding(field, category, phrase, EXPLANATIONS[category]))
    return findings


def check_wording(texts: Mapping[str, str | Iterable[str] | None]) -> list[Finding]:
    """Findings across several fields: ``{"title": ..., "description": ..., "skills": [...]}``."""
    findings: list[Finding] = []
    for field, value in texts.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else ", ".join(value)
        findings.extend(check_text(text, field))
    return findings
