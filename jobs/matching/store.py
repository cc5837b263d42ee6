"""The storage rules: how ranked (youth, match) pairs become suggestion rows.

* a new (youth, target) pair is stored as ``proposed`` with score, components, reasons
  ``[{code, da, en}]``, distance, engine version and the run that proposed it;
* an existing ``proposed`` suggestion gets the new score (only when it changed, so a repeated
  run writes nothing);
* anything a caseworker or partner decided (every other status) is never touched.

Expiry is :mod:`jobs.matching.expiry`'s; PostgreSQL's bulk path is :mod:`jobs.matching.pg_bulk`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.engine_configs import active_label
from jobs.matching.pg_bulk import copy_insert, copy_update
from matcher import Match
from models.clock import local_now
from models.enums import SuggestionStatus, TargetKind
from models.jobrun import JobRun
from models.suggestion import Suggestion

INSERT_BATCH = 5_000
_PROPOSED = SuggestionStatus.PROPOSED


def _reasons(match: Match) -> list[dict[str, str]]:
    return [{"code": r.code, "da": r.da, "en": r.en} for r in match.reasons]


def _rounded(value: float) -> float:
    return round(float(value), 6)


class _Store:
    """Applies the storage rules to a batch of (youth id, match) pairs."""

    def __init__(self, session: Session, run: JobRun | None) -> None:
        self.session = session
        self.run_id = run.id if run is not None else None
        self.counts = {"new": 0, "updated": 0, "unchanged": 0, "kept_decided": 0}
        self.touched: list[tuple[str, int, int]] = []
        self.engine_version = active_label(session)

    def existing(
        self, kind: TargetKind, condition: sa.ColumnElement[bool] | None = None
    ) -> dict[tuple[int, int], tuple[int, SuggestionStatus, float]]:
        column = Suggestion.opening_id if kind is TargetKind.OPENING else Suggestion.mentor_slot_id
        query = select(
            Suggestion.id, Suggestion.youth_id, column, Suggestion.status, Suggestion.score
        )
        query = query.where(Suggestion.target_kind == kind)
        if condition is not None:
            query = query.where(condition)
        return {(row[1], row[2]): (row[0], row[3], row[4]) for row in self.session.execute(query)}

    def store(
        self,
        kind: TargetKind,
        pairs: Iterable[tuple[int, Match]],
        existing: dict[tuple[int, int], tuple[int, SuggestionStatus, float]],
    ) -> None:
        target_column = "opening_id" if kind is TargetKind.OPENING else "mentor_slot_id"
        other_column = "mentor_slot_id" if kind is TargetKind.OPENING else "opening_id"
        new_rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for youth_id, match in pairs:
            target_id = match.target_id
            self.touched.append((target_column, youth_id, target_id))
            score = min(1.0, max(0.0, _rounded(match.score)))
            known = existing.get((youth_id, target_id))
            values = {
                "score": score,
                "components": {k: _rounded(v) for k, v in match.components.items()},
                "reasons": _reasons(match),
                "distance_km": (
                    None if match.distance_km is None else round(float(match.distance_km), 2)
                ),
                "engine_version": self.engine_version,
            }
            if known is None:
                existing[(youth_id, target_id)] = (0, _PROPOSED, score)
                new_rows.append(
                    {
                        "youth_id": youth_id,
                        "target_kind": kind,
                        target_column: target_id,
                        other_column: None,
                        "run_id": self.run_id,
                        "status": _PROPOSED,
                        **values,
                    }
                )
            elif known[1] is not _PROPOSED:
                self.counts["kept_decided"] += 1
            elif not math.isclose(known[2], score, abs_tol=1e-6):
                updates.append({"id": known[0], **values})
            else:
                self.counts["unchanged"] += 1
        self._insert(new_rows)
        if updates and self.session.get_bind().dialect.name == "postgresql":
            copy_update(self.session, updates)
            self.counts["updated"] += len(updates)
        elif updates:
            # Bulk UPDATE by primary key (executemany); the status guard keeps decisions that
            # were taken since the suggestions were read.
            table = Suggestion.__table__
            self.session.execute(
                table.update()
                .where(table.c.id == sa.bindparam("b_id"), table.c.status == _PROPOSED)
                .values(
                    score=sa.bindparam("b_score"),
                    components=sa.bindparam("b_components"),
                    reasons=sa.bindparam("b_reasons"),
                    distance_km=sa.bindparam("b_distance_km"),
                    engine_version=sa.bindparam("b_engine_version"),
                    updated_at=sa.bindparam("b_updated_at"),
                ),
                [
                    {f"b_{key}": value for key, value in u.items()} | {"b_updated_at": local_now()}
                    for u in updates
                ],
            )
            self.counts["updated"] += len(updates)

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        now = local_now()
        for row in rows:
            row["created_at"] = now
            row["updated_at"] = now
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            copy_insert(self.session, rows)
            self.counts["new"] += len(rows)
            return
        from sqlalchemy.dialects.sqlite import insert

        # A web fast path may have stored the same pair meanwhile: that one wins.
        statement = insert(Suggestion).on_conflict_do_nothing()
        for start in range(0, len(rows), INSERT_BATCH):
            self.session.execute(statement, rows[start : start + INSERT_BATCH])
        self.counts["new"] += len(rows)


def _flatten(ranked: dict[int, list[Match]]) -> list[tuple[int, Match]]:
    return [(youth_id, m) for youth_id, matches in ranked.items() for m in matches]
