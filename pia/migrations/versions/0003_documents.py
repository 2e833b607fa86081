"""documents: template versions, processor-agreement drafts, generated documents

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

KINDS = "kind IN ('verwerkersovereenkomst', 'verwerkersafspraken', 'dpia-rapport')"


def upgrade():
    op.create_table('document_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(KINDS, name=op.f('ck_document_templates_known_kind')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_document_templates_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_templates')),
    sa.UniqueConstraint('kind', 'version', name=op.f('uq_document_templates_kind'))
    )
    with op.batch_alter_table('document_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_templates_kind'), ['kind'], unique=False)

    op.create_table('processor_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.String(length=20), nullable=False),
    sa.Column('processor_name', sa.String(length=200), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_processor_agreements_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_processor_agreements_created_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_processor_agreements_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processor_agreements')),
    sa.UniqueConstraint('assessment_id', 'party_id', name=op.f('uq_processor_agreements_assessment_id'))
    )
    with op.batch_alter_table('processor_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_processor_agreements_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('generated_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('template_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(KINDS, name=op.f('ck_generated_documents_known_kind')),
    sa.ForeignKeyConstraint(['agreement_id'], ['processor_agreements.id'], name=op.f('fk_generated_documents_agreement_id_processor_agreements')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_generated_documents_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_generated_documents_created_by_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['document_templates.id'], name=op.f('fk_generated_documents_template_id_document_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generated_documents'))
    )
    with op.batch_alter_table('generated_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_generated_documents_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_generated_documents_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('generated_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generated_documents_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_generated_documents_agreement_id'))

    op.drop_table('generated_documents')
    with op.batch_alter_table('processor_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processor_agreements_assessment_id'))

    op.drop_table('processor_agreements')
    with op.batch_alter_table('document_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_templates_kind'))

    op.drop_table('document_templates')
