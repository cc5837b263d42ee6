"""Occupation autocomplete: fuzzy search over the ESCO Danish labels (JSON endpoint).

The index is built once per process from the ``occupation`` table (reference data that does
not change while the app runs). Matching is tolerant of typos and of æ/ø/å typed as
ae/oe/aa. The same resolver serves forms without JavaScript: a typed label is resolved to
the best occupation on the server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Blueprint, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.normalise import fold
from models.occupation import Occupation
from web.db import get_db

bp = Blueprint("occupations", __name__)

# A fuzzy hit below this is not taken as the occupation someone meant.
RESOLVE_CUTOFF = 86.0
SEARCH_CUTOFF = 60.0

#: The engine's text normaliser (æ/ø/å as ae/oe/aa, ü as ue, accents and punctuation dropped):
#: one normaliser for the autocomplete and the matching.
normalise = fold


@dataclass(frozen=True)
class OccupationHit:
    uri: str
    label: str
    matched: str
    score: float


class OccupationIndex:
    """Every Danish preferred and alternative label, normalised, pointing at its occupation."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.labels: dict[str, str] = {}
        self.choices: list[str] = []
        self.owners: list[tuple[str, str, bool]] = []  # (uri, original label, is preferred)
        self.exact: dict[str, str] = {}
        preferred_keys: dict[str, str] = {}
        for uri, label_da, alt_labels in rows:
            self.labels[uri] = label_da
            for text, preferred in [(label_da, True)] + [
                (alt, False) for alt in (alt_labels or "").split("|") if alt.strip()
            ]:
                key = normalise(text)
                self.choices.append(key)
                self.owners.append((uri, text.strip(), preferred))
                if preferred:
                    preferred_keys[key] = uri
                elif key not in self.exact or len(label_da) < len(self.labels[self.exact[key]]):
                    self.exact[key] = uri  # a shared alternative label: the most general one
        self.exact.update(preferred_keys)  # a preferred label beats someone's alternative one

    def search(self, query: str, limit: int = 10) -> list[OccupationHit]:
        key = normalise(query)
        if len(key) < 2:
            return []
        found = process.extract(
            key, self.choices, scorer=fuzz.WRatio, limit=limit * 6, score_cutoff=SEARCH_CUTOFF
        )
        ranked: dict[str, OccupationHit] = {}
        for _choice, score, index in found:
            uri, text, preferred = self.owners[index]
            # Whole-word similarity breaks WRatio's ties between a short label and long ones
            # that merely contain it; a preferred label wins over an alternative one.
            adjusted = score + 0.05 * fuzz.ratio(key, self.choices[index]) + (1 if preferred else 0)
            if uri not in ranked or adjusted > ranked[uri].score:
                ranked[uri] = OccupationHit(uri, self.labels[uri], text, adjusted)
        return sorted(ranked.values(), key=lambda h: (-h.score, len(h.label)))[:limit]

    def resolve(self, typed: str) -> str | None:
        """The occupation a typed label means: an exact label first, else a close fuzzy hit."""
        key = normalise(typed)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        for hit in self.search(typed, limit=1):
            if fuzz.ratio(key, normalise(hit.matched)) >= RESOLVE_CUTOFF:
                return hit.uri
        return None

    def label(self, uri: str | None) -> str:
        return self.labels.get(uri or "", "")

    def kept(self, items: list[str], uris: list[str]) -> list[str]:
        """Typed items with the label of one of ``uris`` (occupations stored by URI, shown by
        label in a form: :meth:`shown`) given back as that URI; other text stays as typed."""
        by_label = {normalise(self.labels[u]): u for u in uris if u in self.labels}
        return [by_label.get(normalise(item), item) for item in items]

    def shown(self, items: list[str]) -> list[str]:
        """The other way round: URIs as their labels, for a form field."""
        return [self.labels.get(item, item) for item in items]


_index: OccupationIndex | None = None
_lock = threading.Lock()


def occupation_index(session: Session | None = None) -> OccupationIndex:
    """The per-process index (built on first use)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                rows = (session or get_db()).execute(
                    select(Occupation.uri, Occupation.label_da, Occupation.alt_labels_da)
                )
                _index = OccupationIndex([tuple(r) for r in rows])  # type: ignore[misc]
    return _index


def autocomplete(list_id: str, *, multiple: bool = False) -> dict[str, str]:
    """The attributes that give an input the occupation autocomplete (a ``<datalist>`` with
    ``list_id`` must be on the page; static/js/occupation-autocomplete.js fills it)."""
    attrs = {
        "list": list_id,
        "data-autocomplete-url": url_for("occupations.search"),
        "autocomplete": "off",
    }
    if multiple:  # a comma-separated list: the last item is looked up
        attrs["data-autocomplete-multiple"] = ""
    return attrs


@bp.get("/occupations/search")
@login_required
def search() -> ResponseReturnValue:
    query = request.args.get("q", "")[:100]
    hits = occupation_index().search(query) if query else []
    return jsonify([{"uri": h.uri, "label": h.label, "matched": h.matched} for h in hits])
