"""inbox of acknowledged requests (Slack): kept until their turn is done

Revision ID: 0004_inbox
Revises: 0003_round_explanation
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004_inbox"
down_revision = "0003_round_explanation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("received_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_entry")),
        sa.UniqueConstraint("source", "key", name=op.f("uq_inbox_entry_source_key")),
    )
    op.create_index("ix_inbox_entry_pending", "inbox_entry", ["done_at", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_entry_pending", table_name="inbox_entry")
    op.drop_table("inbox_entry")
