"""Suggestion: the target indexes cover their own target kind only (partial).

Every suggestion has exactly one of opening_id and mentor_slot_id (ck_suggestion_one_target),
yet the unique (youth, opening) and (youth, mentor slot) constraints and the two target
indexes held an entry for every row, NULL or not. They become partial indexes over the rows
whose column is set: a nightly insert writes six index entries per row instead of eight
(jobs/matching/store.py; its ON CONFLICT names the predicate). Lookups by target (= or IN)
imply the predicate, so they use the indexes as before.

Revision ID: b24903b88069
Revises: 93886409ebd4
Create Date: 2026-11-30 17:20:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision: str = "b24903b88069"
down_revision: str | None = "93886409ebd4"

TARGETS = (
    ("opening_id", "uq_suggestion_youth_opening"),
    ("mentor_slot_id", "uq_suggestion_youth_mentor_slot"),
)


def _where(column: str) -> dict[str, sa.TextClause]:
    where = sa.text(f"{column} IS NOT NULL")
    return {"postgresql_where": where, "sqlite_where": where}


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        for column, unique_name in TARGETS:
            batch_op.drop_constraint(unique_name, type_="unique")
            batch_op.drop_index(f"ix_suggestion_{column}")
            batch_op.create_index(unique_name, ["youth_id", column], unique=True, **_where(column))
            batch_op.create_index(f"ix_suggestion_{column}", [column], **_where(column))


def downgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        for column, unique_name in TARGETS:
            batch_op.drop_index(f"ix_suggestion_{column}", **_where(column))
            batch_op.drop_index(unique_name, **_where(column))
            batch_op.create_index(f"ix_suggestion_{column}", [column], unique=False)
            batch_op.create_unique_constraint(unique_name, ["youth_id", column])
