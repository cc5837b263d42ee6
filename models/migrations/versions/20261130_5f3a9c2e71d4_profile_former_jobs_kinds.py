"""Youth profiles: former jobs and preferred kinds of opening (issue 11).

Both are JSON lists like skills; existing profiles get an empty list.

Revision ID: 5f3a9c2e71d4
Revises: c7d2e5a91f04
Create Date: 2026-11-30 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision: str = "5f3a9c2e71d4"
down_revision: str | None = "c7d2e5a91f04"


def upgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        for name in ("former_jobs", "preferred_kinds"):
            batch_op.add_column(
                sa.Column(name, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
            )


def downgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.drop_column("preferred_kinds")
        batch_op.drop_column("former_jobs")
