"""round explanation (toelichting): a text the invitations show

Revision ID: 0003_round_explanation
Revises: 0002_read_receipts
Create Date: 2026-12-07 02:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003_round_explanation"
down_revision = "0002_read_receipts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review_round", sa.Column("explanation", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_round") as batch:
        batch.drop_column("explanation")
