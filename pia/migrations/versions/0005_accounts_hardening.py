"""accounts hardening: one-time password links, audit anchors, no typed e-mail in login_attempts

login_attempts loses its `email` column for `account_key` (a keyed hash of the address);
the rows only ever served the throttling window, so the old ones are dropped rather than
converted (they held typed addresses, also of accounts that do not exist). audit_anchors
is append-only like audit_events.

Revision ID: 0005a
Revises: 0004
Create Date: 2026-11-24

"""
import sqlalchemy as sa
from alembic import op

revision = '0005a'
down_revision = '0004'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
       BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END""",
    """CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
       BEGIN SELECT RAISE(ABORT, 'audit_anchors is append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
]


def upgrade():
    op.create_table('password_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('welcome', 'reset')", name=op.f('ck_password_links_known_purpose')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_password_links_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_links_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_links_token_hash'))
    )
    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_links_user_id'), ['user_id'], unique=False)

    op.create_table('audit_anchors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('event_hash', sa.String(length=64), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchors'))
    )
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == 'postgresql' else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)

    op.execute("DELETE FROM login_attempts")
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_email_at')
        batch_op.drop_column('email')
        batch_op.add_column(sa.Column('account_key', sa.String(length=64), nullable=False))
        batch_op.create_index('ix_login_attempts_account_at', ['account_key', 'attempted_at'], unique=False)


def downgrade():
    op.execute("DELETE FROM login_attempts")
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_account_at')
        batch_op.drop_column('account_key')
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False))
        batch_op.create_index('ix_login_attempts_email_at', ['email', 'attempted_at'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER audit_anchors_no_truncate ON audit_anchors")
        op.execute("DROP TRIGGER audit_anchors_append_only ON audit_anchors")
    op.drop_table('audit_anchors')
    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_links_user_id'))
    op.drop_table('password_links')
