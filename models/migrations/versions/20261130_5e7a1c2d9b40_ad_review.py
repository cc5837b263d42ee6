"""Ad reviews: openings and mentor slots held for an admin's review, and caseworkers' reports.

Revision ID: 5e7a1c2d9b40
Revises: 1befb1ec646e
Create Date: 2026-11-30 11:45:00
"""

import sqlalchemy as sa
from alembic import op

revision: str = "5e7a1c2d9b40"
down_revision: str | None = "1befb1ec646e"


def upgrade() -> None:
    op.create_table(
        "ad_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=True),
        sa.Column("mentor_slot_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("phrases", sa.JSON(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("report_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(opening_id IS NOT NULL AND mentor_slot_id IS NULL) OR "
            "(opening_id IS NULL AND mentor_slot_id IS NOT NULL)",
            name=op.f("ck_ad_review_one_ad"),
        ),
        sa.CheckConstraint("kind IN ('flagged', 'reported')", name=op.f("ck_ad_review_kind")),
        sa.CheckConstraint(
            "status IN ('pending', 'published', 'declined', 'dismissed', 'unpublished')",
            name=op.f("ck_ad_review_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_ad_review_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_ad_review_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_slot_id"],
            ["mentor_slot.id"],
            name=op.f("fk_ad_review_mentor_slot_id_mentor_slot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opening_id"],
            ["job_opening.id"],
            name=op.f("fk_ad_review_opening_id_job_opening"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ad_review")),
    )
    with op.batch_alter_table("ad_review", schema=None) as batch_op:
        batch_op.create_index("ix_ad_review_status", ["status", "created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ad_review_mentor_slot_id"), ["mentor_slot_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ad_review_opening_id"), ["opening_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ad_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ad_review_opening_id"))
        batch_op.drop_index(batch_op.f("ix_ad_review_mentor_slot_id"))
        batch_op.drop_index("ix_ad_review_status")
    op.drop_table("ad_review")
