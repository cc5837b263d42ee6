"""Queue indexes: a municipality's active youth from the index alone, their suggestions by status.

The caseworker's review queue and its count join youth (municipality, status) to suggestion
(youth, status); with these two indexes both are index scans that stop early, for large and
small municipalities alike. ix_suggestion_youth_id is replaced (its column leads the new one).
The queue's order is (score, id) descending; ix_suggestion_status_score gains ``id`` so that
a backward index scan yields it without a sort. ix_suggestion_decided (partial: decided
suggestions only) gives the caseload its last approval per youth without reading the table.

Revision ID: b934ccefc245
Revises: 16b14e79d947
Create Date: 2026-11-28 11:15:01.809230
"""

import sqlalchemy as sa
import sqlalchemy as sa
from alembic import op


revision: str = "b934ccefc245"
down_revision: str | None = "16b14e79d947"


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_status_score"))
        batch_op.create_index("ix_suggestion_status_score_id", ["status", "score", "id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_suggestion_youth_id"))
        batch_op.create_index("ix_suggestion_youth_status", ["youth_id", "status"], unique=False)
        batch_op.create_index(
            "ix_suggestion_decided",
            ["youth_id", "decided_at"],
            unique=False,
            postgresql_where=sa.text("decided_at IS NOT NULL"),
            sqlite_where=sa.text("decided_at IS NOT NULL"),
        )

    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_youth_profile_municipality_status"))
        batch_op.create_index(
            "ix_youth_profile_municipality_status_id",
            ["municipality_code", "status", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.drop_index("ix_youth_profile_municipality_status_id")
        batch_op.create_index(
            batch_op.f("ix_youth_profile_municipality_status"),
            ["municipality_code", "status"],
            unique=False,
        )

    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_suggestion_decided",
            postgresql_where=sa.text("decided_at IS NOT NULL"),
            sqlite_where=sa.text("decided_at IS NOT NULL"),
        )
        batch_op.drop_index("ix_suggestion_youth_status")
        batch_op.drop_index("ix_suggestion_status_score_id")
        batch_op.create_index(
            batch_op.f("ix_suggestion_status_score"), ["status", "score"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_suggestion_youth_id"), ["youth_id"], unique=False)
