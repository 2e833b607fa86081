"""notification digest: a daily digest per user, bundled notifications

Revision ID: 0008n
Revises: 0006t

"""
from alembic import op
import sqlalchemy as sa


revision = "0008n"
down_revision = "0006t"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): rebuilding `users` on SQLite would trip the many
    # foreign keys that point at it.
    op.add_column('users', sa.Column('mail_digest', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('users', sa.Column('digest_sent_at', sa.DateTime(), nullable=True))
    op.add_column('notifications', sa.Column('bundled', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    op.drop_column('notifications', 'bundled')
    op.drop_column('users', 'digest_sent_at')
    op.drop_column('users', 'mail_digest')
