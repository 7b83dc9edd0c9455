"""read receipts: when a student first opened their shared feedback

Revision ID: 0002_read_receipts
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0002_read_receipts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share") as batch:
        batch.add_column(
            sa.Column("read_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("share") as batch:
        batch.drop_column("read_at")
