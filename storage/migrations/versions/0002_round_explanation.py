"""round explanation (toelichting): a text the invitations show

Revision ID: 0002_round_explanation
Revises: 0001
Create Date: 2026-12-07 02:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_round_explanation"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("review_round", sa.Column("explanation", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_round") as batch:
        batch.drop_column("explanation")
