"""import notes: what an import from the Invulhulpen could not place, and its images

Revision ID: 0011i
Revises: 0009o

"""
from alembic import op
import sqlalchemy as sa


revision = '0011i'
down_revision = '0009o'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('forms', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_import_records_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_records_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_records'))
    )
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_records_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('import_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('row_id', sa.String(length=20), nullable=False),
    sa.Column('mimetype', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['import_records.id'], name=op.f('fk_import_images_record_id_import_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_images'))
    )
    with op.batch_alter_table('import_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_images_record_id'), ['record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_images_record_id'))
    op.drop_table('import_images')
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_records_assessment_id'))
    op.drop_table('import_records')
