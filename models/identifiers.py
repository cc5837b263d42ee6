"""Finding personal identifiers in free text about a young person (the guard behind
:func:`models.validation.check_free_text`).

A pure function: text in, findings out, in the order the kinds are checked. What counts as an
identifier, and what deliberately does not, is written down in docs/PRIVACY_GUARD.md and
measured on the labelled corpus ``tests/data/identifier_corpus.tsv``:

* ``cpr``, ``email``, ``phone``: CPR numbers, e-mail addresses, Danish phone numbers.
* ``social``: a social-media handle (``@name``, ``Snap: name``) or a profile link.
* ``plate``: a Danish licence plate (two letters, five digits).
* ``birthdate``: an exact date of birth — a full date whose year is a plausible birth year,
  or a day and month next to "født"/"fødselsdag"/"born"/"birthday". A birth *year* is not
  one (the profile records it anyway); a start date ("startede 4. januar 2024") is not one.
* ``address``: a street with a house number (Danish street suffixes: -vej, -gade, -allé …)
  or a postcode followed by its own town ("2500 Valby"). A town or district alone is not one.
* ``name``: a person's name — a capitalised word from the shipped list of Danish first names
  and surnames (``models/reference_data/danish_names.csv``, see PROVENANCE.md there) or a
  Danish "-sen" surname; a name that is also an ordinary word ("Per", "Bo", "Skov", "August")
  counts only as part of a full name. A name joined by a hyphen to a noun names a thing, not a
  person, and is accepted: "Mads Mikkelsen-film", "Harry Potter-bøger".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from models.i18n import N_

REFERENCE = Path(__file__).parent / "reference_data"

CPR, EMAIL, PHONE, SOCIAL, PLATE, BIRTHDATE, ADDRESS, NAME = (
    "cpr",
    "email",
    "phone",
    "social",
    "plate",
    "birthdate",
    "address",
    "name",
)

# What the guard says; ``%(found)s`` is the text it found (never for CPR, e-mail and phone:
# those are not repeated back).
MESSAGES = {
    CPR: N_("Remove the CPR number: profiles are anonymous."),
    EMAIL: N_("Remove the e-mail address: profiles are anonymous."),
    PHONE: N_("Remove the phone number: profiles are anonymous."),
    SOCIAL: N_(
        'Remove the social-media handle or profile link "%(found)s": the young person must '
        "stay anonymous."
    ),
    PLATE: N_('Remove the licence plate "%(found)s": the young person must stay anonymous.'),
    BIRTHDATE: N_(
        'Remove the date of birth "%(found)s": the young person must stay anonymous '
        "(the birth year is recorded in its own field)."
    ),
    ADDRESS: N_(
        'Remove the address "%(found)s": the young person must stay anonymous '
        "(a town or district is enough)."
    ),
    NAME: N_(
        'Remove the name "%(found)s": the young person must stay anonymous. Write '
        '"the young person" instead, or join a famous name to what it is about '
        '("Mads Mikkelsen-film").'
    ),
}
REPEATS_FOUND = frozenset({SOCIAL, PLATE, BIRTHDATE, ADDRESS, NAME})

# --- CPR, e-mail, phone -----------------------------------------------------------------------

# DDMMYY-SSSS with optional dash/space; day 01–31, month 01–12.
_CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Danish numbers: 8 digits, optionally +45/0045 and grouped in 2s or 4s.
_PHONE = re.compile(r"(?<![\d])(?:(?:\+|00)45[\s-]?)?(?:\d{2}[\s-]?){3}\d{2}(?![\d])")

# --- social media -----------------------------------------------------------------------------

_PLATFORMS = (
    r"instagram|insta|ig|snap(?:chat)?|tiktok|facebook|fb|twitter|discord|messenger|linkedin|"
    r"twitch|youtube|threads|telegram|whatsapp|steam|xbox|psn|bluesky"
)
_SOCIAL = (
    # @handle (an e-mail address is found before this)
    re.compile(r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}"),
    # a profile link on a social network or code host
    re.compile(
        r"\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|linkedin|twitter|x|"
        r"youtube|snapchat|github|gitlab|twitch|threads|bsky|pinterest|reddit)\.(?:com|me|net|"
        r"app|dk)/\S+|\bm\.me/\S+",
        re.IGNORECASE,
    ),
    # "Snap: name", "Snapchat-navn: name", "ig: name"
    re.compile(
        rf"\b(?:{_PLATFORMS})(?:[- ]?(?:navn|name|profil|profile|handle|id))?\s*:\s*[^\s,;]+",
        re.IGNORECASE,
    ),
    # "gamertag ... er ShadowWolf", "brugernavn: ..."
    re.compile(r"\b(?:gamertag|brugernavn|username|user name|profilnavn)\b\W*\S.*", re.IGNORECASE),
)

# --- licence plates ---------------------------------------------------------------------------

_PLATE = re.compile(r"(?<![\w-])[A-Z]{2}[ ]?\d{2}[ ]?\d{3}(?![\w-])")

# --- dates of birth ---------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(("januar", "january", "jan"), 1),
    **dict.fromkeys(("februar", "february", "feb"), 2),
    **dict.fromkeys(("marts", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("maj", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_FULL_DATES = (
    # 14.08.2004, 3/4-2005, 30/9 2005, 5-5-2004, 11/10/04
    re.compile(
        rf"(?<![\d.])({_DAY})\s?[./-]\s?(0?[1-9]|1[0-2])\s?[./\s-]\s?(\d{{4}}|\d{{2}})(?![\d])"
    ),
    # 2006-11-23
    re.compile(r"(?<![\d])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d])"),
    # 12. marts 2006, 5 June 2007
    re.compile(rf"(?<![\d])({_DAY})\.?\s+({_MONTH})\s+(\d{{4}})(?![\d])", re.IGNORECASE),
    # March 9, 2004
    re.compile(rf"\b({_MONTH})\s+({_DAY})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?![\d])", re.IGNORECASE),
)
_BIRTH_WORD = (
    r"\b(?:født|fødselsdag|fødselsdato|født den|f\.|born|birthday|birth date|date of birth|dob)"
)
_BIRTH_DAY_MONTH = re.compile(
    rf"{_BIRTH_WORD}\W{{0,3}}(?:(?:den|d\.|on|the|er|is|:)\s*)*"
    rf"(?:{_DAY}\.?\s*{_MONTH}|{_DAY}\s?[./]\s?(?:0?[1-9]|1[0-2])\b|{_MONTH}\s+{_DAY}\b)",
    re.IGNORECASE,
)
# Birth years of the people this service is for (15–29; from 13 years back) and their families:
# older dates are history, newer ones are start dates and deadlines.
BIRTH_YEARS_BACK = (13, 70)

# --- addresses --------------------------------------------------------------------------------

_STREET_SUFFIXES = (
    "gade|vej|vejen|stræde|allé|alle|plads|pladsen|torv|torvet|vænge|vænget|have|haven|park|"
    "parken|boulevard|bakke|bakken|toften|løkke|stien|sti|gyde|kær|vang|vangen|høj|højen|engen|"
    "holm|kanal|kaj|brygge|passage|tværvej|marken|hegn|lunden|skoven|dalen|broen|strandvej"
)
_HOUSE_NUMBER = (
    r"\d{1,3}[A-Za-z]?(?![\d])(?!\s*(?:timer|time|t\b|km|kr|%|år|uger|dage|måneder|min|"
    r"gange|hours?|years?|weeks?|days?|months?|minutes?|times|personer|people|børn|kids))"
)
_STREET = re.compile(
    rf"(?:\b[\wæøåÆØÅ.]{{1,}}(?:{_STREET_SUFFIXES})|"
    rf"\b(?-i:[A-ZÆØÅ])[\wæøå.]+\s+(?-i:(?=[A-ZÆØÅ]))[\wæøå]*(?:{_STREET_SUFFIXES}))"
    rf"\s+{_HOUSE_NUMBER}",
    re.IGNORECASE,
)
_POSTCODE_TOWN = re.compile(r"(?<![\d])(?:DK-?)?(\d{4})\s+([A-ZÆØÅ][\wæøå.]*)")
_ENGLISH_STREET = re.compile(r"\b\d{1,4}\s+[A-Z][a-z]+\s+(?:Street|Road|Avenue|Lane|Drive)\b")

# --- names ------------------------------------------------------------------------------------

# Names that are also ordinary Danish or English words (or months): alone they say nothing.
AMBIGUOUS_NAMES = frozenset(
    """Ane August Bent Bo Bob Boe Christian Dan Ebbe Else Frank Helen Hans Iver Jack Jan Jean
    Ken Kent Line Lone Mark Mie Mik Mike Mille Nana Nick Per Robin Rosa Rune Sam Sine Sten Stig
    Sys Søs Tage Tilde Tim Tom Viola Will May June April Bach Berg Dam Holm Lund Lind Skov Toft
    Ravn Dahl Brandt Kjær Koch Krogh Friis Holst Winther Bruun Nissen Møller Schou Bech""".split()
)
_SURNAME_ENDINGS = re.compile(r"^[A-ZÆØÅ][a-zæøå]+(?:sen|søn|gaard|gård)$")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][a-z]+)?(?:-[A-Za-zÀ-ÖØ-öø-ÿ]+)*")


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a text: its kind and the text that carries it."""

    kind: str
    found: str

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


@cache
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """The shipped first names and surnames (see models/reference_data/PROVENANCE.md)."""
    first: set[str] = set()
    last: set[str] = set()
    with (REFERENCE / "danish_names.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            (first if row["kind"] == "first" else last).add(row["name"])
    return frozenset(first), frozenset(last)


@cache
def postcode_towns() -> dict[str, str]:
    """Postcode → the first word of its town, lower case ("2500" → "valby")."""
    towns: dict[str, str] = {}
    with (REFERENCE / "postcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            towns[row["postcode"]] = row["name"].split()[0].lower()
    return towns


def _is_name(word: str, *, lone: bool) -> str | None:
    """ "first", "surname" or None; a lone word must not be an ordinary word as well."""
    first, last = name_lists()
    if lone and word in AMBIGUOUS_NAMES:
        return None
    if word in first:
        return "first"
    if word in last or _SURNAME_ENDINGS.match(word):
        return "surname"
    return None


def _find_name(text: str) -> str | None:
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    first_names, surnames = name_lists()
    # Runs of capitalised words separated by single spaces ("Mads Mikkelsen-film").
    runs: list[list[tuple[str, int, int]]] = []
    for word in words:
        if word[0][0].isupper():
            if runs and runs[-1] and text[runs[-1][-1][2] : word[1]] == " ":
                runs[-1].append(word)
            else:
                runs.append([word])
        else:
            runs.append([])
    for run in runs:
        if not run:
            continue
        last = run[-1][0]
        if "-" in last and last.rsplit("-", 1)[1][:1].islower():
            continue  # a name joined to a noun names a thing: "Mads Mikkelsen-film"
        parts = [part for word, _s, _e in run for part in word.split("-")]
        for index, part in enumerate(parts):
            if _is_name(part, lone=True):
                return " ".join(w for w, _s, _e in run)
            following = parts[index + 1] if index + 1 < len(parts) else ""
            if _is_name(part, lone=False) == "first" and _is_name(following, lone=False):
                return f"{part} {following}"
    # "mads jensen" typed in lower case: a first name and a surname from the lists.
    lower = [w for w, _s, _e in words]
    for one, two in zip(lower, lower[1:], strict=False):
        if one.islower() and two.islower():
            if one.capitalize() in first_names and (
                two.capitalize() in surnames or _SURNAME_ENDINGS.match(two.capitalize())
            ):
                return f"{one} {two}"
    return None


def _year(text: str) -> int:
    year = int(text)
    if year < 100:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year


def _find_birthdate(text: str, today: date) -> str | None:
    oldest, youngest = today.year - BIRTH_YEARS_BACK[1], today.year - BIRTH_YEARS_BACK[0]
    for index, pattern in enumerate(_FULL_DATES):
        for match in pattern.finditer(text):
            groups = match.groups()
            year_text = groups[0] if index == 1 else groups[2]
            if oldest <= _year(year_text) <= youngest:
                return match.group()
    day_month = _BIRTH_DAY_MONTH.search(text)
    return day_month.group() if day_month else None


def _find_address(text: str) -> str | None:
    match = _STREET.search(text) or _ENGLISH_STREET.search(text)
    if match:
        return match.group()
    towns = postcode_towns()
    for match in _POSTCODE_TOWN.finditer(text):
        town = towns.get(match.group(1))
        if town and match.group(2).lower().rstrip(".") == town:
            return match.group()
    return None


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group()
    return None


def find_identifiers(text: str | None, *, today: date | None = None) -> list[Identifier]:
    """Every kind of identifier in ``text`` (one finding per kind), in the order checked."""
    if not text:
        return []
    today = today or date.today()
    found: list[Identifier] = []
    for kind, hit in (
        (CPR, _first((_CPR,), text)),
        (EMAIL, _first((_EMAIL,), text)),
        (PHONE, _first((_PHONE,), text)),
        (SOCIAL, _first(_SOCIAL, _EMAIL.sub(" ", text))),
        (PLATE, _first((_PLATE,), text)),
        (BIRTHDATE, _find_birthdate(_CPR.sub(" ", text), today)),
        (ADDRESS, _find_address(text)),
        (NAME, _find_name(text)),
    ):
        if hit:
            found.append(Identifier(kind, " ".join(hit.split())))
    return found
