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
# Further grounds: pregnancy and marital or family status (ligebehandlingsloven), sexual
# orientation, political opinion and social origin (forskelsbehandlingsloven).
PREGNANCY, MARITAL, ORIENTATION, POLITICAL, SOCIAL = (
    "pregnancy",
    "marital",
    "orientation",
    "political",
    "social",
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
    PREGNANCY: N_(
        "Do not ask about pregnancy, maternity leave or plans to have children: it is gender "
        "discrimination."
    ),
    MARITAL: N_("Do not ask for or exclude a marital status, children or family obligations."),
    ORIENTATION: N_("Do not ask for or exclude a sexual orientation or gender identity."),
    POLITICAL: N_(
        "Do not ask for or exclude a political opinion, a party or membership of a union."
    ),
    SOCIAL: N_(
        "Do not exclude people by where they live, their background or their benefits. "
        "Describe the tasks instead."
    ),
}

CATEGORY_LABELS = {
    AGE: N_("Age"),
    GENDER: N_("Gender"),
    ETHNICITY: N_("Ethnic origin or nationality"),
    RELIGION: N_("Religion or belief"),
    DISABILITY: N_("Disability or health"),
    PREGNANCY: N_("Pregnancy or maternity"),
    MARITAL: N_("Marital or family status"),
    ORIENTATION: N_("Sexual orientation"),
    POLITICAL: N_("Political opinion or association"),
    SOCIAL: N_("Social origin"),
}

_NUM = r"\d{2}"
# "under 18" states a legal minimum (e.g. serving alcohol); "under 30" is an age ceiling.
_CEILING = r"(?:19|[2-9]\d)"
_NOT_A_UNIT = r"(?!\s*(?:timer|time|t\b|hours?|h\b|km|kr|%|min|dage|days|uger|weeks|m\b))"
_YEARS = r"(?:år(?:ig|ige)?|years?(?:[- ]old)?|yrs?)"

_RULES: dict[str, tuple[str, ...]] = {
    AGE: (
        rf"\bmax(?:imum|\.)?\s*(?:alder\s*)?{_NUM}\s*{_YEARS}",
        rf"\b(?:maks\.?|maksimalt|højst|max\.?)\s*(?:alder\s*)?{_NUM}{_NOT_A_UNIT}",
        rf"\b(?:maks\.?|maksimalt|højst|max\.?|at most|no more than)\s+(?:være|be)\s+{_NUM}\b",
        r"\bmax(?:imum|\.)?\s*(?:age|alder)\b",
        rf"\b(?:være|be|aged?|alder)\s+(?:mellem|between)\s+{_NUM}\s+(?:og|and)\s+{_NUM}\b",
        r"\b(?:for|too)\s+(?:gammel|gamle|old)\b",
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

# Who is asked for or excluded: a group named after a frame ("ingen kvinder", "du skal være
# ung", "vi foretrækker en mand") or before one ("kvinder kan ikke søge", "young people only").
_NEG = (
    r"ingen|no|ikke|not|uden|without|never|aldrig|ikke for|not for|ikke egnet (?:for|til)|"
    r"not suitable for|unsuitable for|vi ansætter ikke|we do not hire|we don't hire|"
    r"må ikke være|must not be|må ikke have|must not have"
)
_POS = (
    r"kun|only|skal være|must be|should be|bør være|you must be|gerne|helst|preferably|"
    r"foretrækker|prefer|prefers|søger|seeking|looking for|ansætter|hiring|"
    r"passer (?:bedst )?til|best suited (?:to|for)|suits|ideal for|ideel til|kræver|requires?"
)
_AFTER = (
    r"kan ikke|cannot|can't|need not|needn't|må ikke|ikke velkomne|not welcome|foretrækkes|"
    r"preferred|søges|wanted|only|kun|needed|ønskes|er et krav|is a must|required"
)
_FILLER = (
    r"(?:(?:en|et|a|an|the|nogen|some|anyone|af|of|for|til|som|as|med|with|fra|from|på|on|"
    r"people|personer|folk|unge?|young|stærk|strong|ny|new|dansk|danish)\s+){0,3}"
)
_GAP = r"(?:[\w-]+\s+){0,3}?"
_GROUPS = {
    GENDER: (
        r"kvinder|kvinde|kvindelige?|mænd|mand|mandlige?|piger?|pigen|drenge?|drengen|fyr|"
        r"gutter|damer?|women|woman|men|man|females?|males?|girls?|boys?|guys?|lady|ladies",
        False,
    ),
    PREGNANCY: (
        r"gravide?|graviditet|barsel|pregnant|pregnancy|maternity|pregnant women",
        True,
    ),
    MARITAL: (
        r"gift|gifte|ugift|ugifte|single|married|unmarried|børn|children|kids|familie|family|"
        r"familieforpligtelser|family commitments|family obligations",
        False,
    ),
    AGE: (
        r"ung|unge|ungt|yngre|young|younger|youthful|ældre|older|gammel|gamle|old|seniorer|"
        r"seniors",
        False,
    ),
    ETHNICITY: (
        r"sorte|blacks?|arabere|arabs?|romaer|roma|polakker|poles|østeuropæere|eastern europeans|"
        r"udlændinge|indvandrere|flygtninge|foreigners|immigrants|refugees|nydanskere|danskere|"
        r"dansker|danes|dane|accent|hvide|whites?|asiater|asians|afrikanere|africans|tyrkere|"
        r"somaliere|somalis",
        False,
    ),
    RELIGION: (
        r"muslimer|muslims?|jøder|jews|jewish|kristne|christians?|hinduer|hindus|sikher|sikhs|"
        r"ateister|atheists|religiøse?|religious|tørklæder?|hijab|turban|kors|bønnepauser|"
        r"prayer breaks|bøn|prayers?|ramadan|religiøse symboler|religious symbols",
        True,
    ),
    DISABILITY: (
        r"handicappede|handicap|disabled|disabilit(?:y|ies)|adhd|autisme|autism|diagnoser?|"
        r"diagnoses|psykiske (?:problemer|lidelser|sygdomme)|mental (?:health|illness)\w*|"
        r"kørestolsbrugere|wheelchair users?|sygdomme?|illness(?:es)?|kronisk syge|"
        r"chronically ill",
        True,
    ),
    ORIENTATION: (
        r"homoseksuel(?:le)?|bøsser?|lesbiske?|transpersoner|transkønnede|trans people|transgender|"
        r"gays?|lesbians?|lgbt\w*\+?|heteroseksuel(?:le)?|heterosexual|straight|biseksuel(?:le)?|queer",
        True,
    ),
    POLITICAL: (
        r"kommunister|socialister|communists|socialists|nazister|nazis|fagforeningsfolk|"
        r"fagforening\w*|union members|trade unions?|politisk aktive?|politically active|"
        r"enhedslisten|socialdemokratiet|dansk folkeparti|konservative|liberal alliance|"
        r"radikale|nye borgerlige|danmarksdemokraterne|alternativet|moderaterne",
        True,
    ),
    SOCIAL: (
        r"ghettoen|ghetto|udsatte boligområder|boligområder?|social housing|almene boliger|"
        r"kontanthjælp|benefits|welfare",
        True,
    ),
}


def _group_rules(category: str) -> tuple[str, ...]:
    group, loose = _GROUPS[category]
    rules = [
        rf"\b(?:{_NEG}|{_POS})\s+{_FILLER}(?:{group})\b",
        rf"\b(?:{group})\s+(?:[\w-]+\s+)?(?:{_AFTER})\b",
    ]
    if loose:  # words that say enough on their own after "ingen"/"ikke"/"not"
        rules.append(rf"\b(?:{_NEG})\s+{_GAP}(?:{group})\b")
    return tuple(rules)


_MORE_RULES: dict[str, tuple[str, ...]] = {
    AGE: (rf"\b(?:{_NEG})\s+(?:nogen\s+|anyone\s+)?over\s+{_NUM}\b",),
    GENDER: (r"\bgutter\b",),
    PREGNANCY: (
        r"\b(?:planer|plans?|planning|planlægger|planlægge)\s+(?:om|to have|for|at få)\s+"
        r"(?:børn|children|kids|a family|familie)\b",
    ),
    ETHNICITY: (
        r"\b(?:hudfarve|skin colou?r|lys hud|light skin)\b",
        r"\bdansk af (?:oprindelse|herkomst|afstamning)\b|\baf dansk (?:oprindelse|herkomst)\b",
        r"\bligne(?:r)? en dansker\b|\blook(?:s)? danish\b",
    ),
    RELIGION: (r"\b(?:skal|must)\s+(?:kunne\s+)?(?:spise|eat)\s+(?:svinekød|pork)\b",),
    POLITICAL: (r"\b(?:stemme|stemmer|vote|votes)\s+(?:på|for)\b",),
    SOCIAL: (
        r"\b(?:fra|from)\s+(?:et|a)\s+(?:godt|good|ordentligt|proper)\s+(?:hjem|home|family)\b",
        r"\b(?:ingen|ikke|no one|nobody|not)\s+(?:\w+\s+)?(?:fra|from)\s+(?-i:[A-ZÆØÅ])\w+",
    ),
}
for _category in _GROUPS:
    _RULES[_category] = (
        *_RULES.get(_category, ()),
        *_group_rules(_category),
        *_MORE_RULES.get(_category, ()),
    )

# A group named in an inclusive sentence ("uanset køn og hudfarve") is not a finding.
_INCLUSIVE = re.compile(r"\b(?:uanset|regardless|irrespective|of all|både|both)\b", re.IGNORECASE)

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
        if _INCLUSIVE.search(text[max(0, start - 40) : start]):
            continue
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
