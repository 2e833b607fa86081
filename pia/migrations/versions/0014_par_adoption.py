"""par adoption: the follow-up of the PAR advice's conditions, the PAR advice as a document

Revision ID: 0013a
Revises: 0013b
Create Date: 2026-12-03 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013a'
down_revision = '0013b'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('verwerkersovereenkomst', 'verwerkersafspraken', 'dpia-rapport', 'fg-advies')"
NEW_KINDS = (
    "kind IN ('verwerkersovereenkomst', 'verwerkersafspraken', 'dpia-rapport', 'fg-advies', "
    "'par-advies')"
)


def upgrade():
    with op.batch_alter_table('par_trajectories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('condition_follow_up', sa.JSON(), nullable=True))
    for table in ('document_templates', 'generated_documents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_known_kind'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_known_kind'), NEW_KINDS)


def downgrade():
    for table in ('document_templates', 'generated_documents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_known_kind'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_known_kind'), OLD_KINDS)
    with op.batch_alter_table('par_trajectories', schema=None) as batch_op:
        batch_op.drop_column('condition_follow_up')
