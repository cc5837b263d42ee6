"""Placement closes the loop: an "education" outcome, and when a profile was last confirmed.

``suggestion.outcome`` gains the value ``education`` (its CHECK constraint is rebuilt);
``youth_profile.confirmed_at`` records the caseworker's "Bekræft profil".

Revision ID: c7d2e5a91f04
Revises: b934ccefc245
Create Date: 2026-11-30 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision: str = "c7d2e5a91f04"
down_revision: str | None = "b934ccefc245"

OLD = ("job", "apprenticeship", "internship", "none")
NEW = ("job", "education", "apprenticeship", "internship", "none")


def _outcome(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="outcome", native_enum=False, create_constraint=True, length=14)


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=_outcome(OLD), type_=_outcome(NEW), existing_nullable=True
        )
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
    op.execute("UPDATE suggestion SET outcome = 'none' WHERE outcome = 'education'")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=_outcome(NEW), type_=_outcome(OLD), existing_nullable=True
        )
