"""record hardening: a row version per assessment, and who wrote in it

Revision ID: 0005r
Revises: 0005a
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005r'
down_revision = '0005a'
branch_labels = None
depends_on = None

# The audit actions of the writes that store answers (before authors were recorded).
WRITING_ACTIONS = ("assessment.answers_saved", "assessment.imported", "assessment.dpia_started")


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))

    op.create_table('assessment_authors',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_authors_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_authors_user_id_users')),
    sa.PrimaryKeyConstraint('assessment_id', 'user_id', name=op.f('pk_assessment_authors'))
    )
    with op.batch_alter_table('assessment_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_authors_user_id'), ['user_id'], unique=False)

    _backfill_authors()


def _backfill_authors():
    """Everyone who wrote answers so far: the answers, the section saves, the audit log."""
    bind = op.get_bind()
    found: dict[tuple[int, int], object] = {}

    def add(rows):
        for assessment_id, user_id, when in rows:
            if assessment_id is None or user_id is None:
                continue
            key = (int(assessment_id), int(user_id))
            if key not in found or (when is not None and when < found[key]):
                found[key] = when

    add(bind.execute(sa.text(
        "SELECT assessment_id, updated_by_id, MIN(updated_at) FROM answers "
        "GROUP BY assessment_id, updated_by_id")))
    add(bind.execute(sa.text(
        "SELECT assessment_id, updated_by_id, MIN(updated_at) FROM section_versions "
        "GROUP BY assessment_id, updated_by_id")))
    add(bind.execute(sa.text("SELECT id, created_by_id, created_at FROM assessments")))
    events = bind.execute(
        sa.text(
            "SELECT object_id, actor_id, MIN(occurred_at) FROM audit_events "
            "WHERE object_type = 'assessment' AND action IN :actions "
            "GROUP BY object_id, actor_id"
        ).bindparams(sa.bindparam("actions", expanding=True)),
        {"actions": list(WRITING_ACTIONS)},
    )
    add((oid, uid, when) for oid, uid, when in events if str(oid).isdigit())
    assessments = {r[0] for r in bind.execute(sa.text("SELECT id FROM assessments"))}
    users = {r[0] for r in bind.execute(sa.text("SELECT id FROM users"))}
    fallback = bind.execute(sa.text("SELECT CURRENT_TIMESTAMP")).scalar()
    authors = sa.table(
        'assessment_authors',
        sa.column('assessment_id', sa.Integer),
        sa.column('user_id', sa.Integer),
        sa.column("first_written_at"),  # as read: text on SQLite, a timestamp on PostgreSQL
    )
    rows = [
        {"assessment_id": a, "user_id": u, "first_written_at": when or fallback}
        for (a, u), when in sorted(found.items())
        if a in assessments and u in users
    ]
    if rows:
        op.bulk_insert(authors, rows)


def downgrade():
    with op.batch_alter_table('assessment_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_authors_user_id'))

    op.drop_table('assessment_authors')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('revision')
