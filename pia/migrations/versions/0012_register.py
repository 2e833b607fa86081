"""register: the register of processing activities, the CPO roles

Revision ID: 0012r
Revises: 0011i

"""
from alembic import op
import sqlalchemy as sa


revision = '0012r'
down_revision = "0011i"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('projectleider', 'fg', 'par-coordinator', 'secretariaat', 'beheerder', 'auditor')"
NEW_ROLES = "role IN ('projectleider', 'fg', 'par-coordinator', 'secretariaat', 'beheerder', 'auditor', 'cpo', 'cpo-rijk')"


def _roles(condition):
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint('known_role', type_='check')
        batch_op.create_check_constraint('known_role', condition)


def upgrade():
    op.create_table('register_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('controllers', sa.Text(), nullable=False),
    sa.Column('controller_contact', sa.Text(), nullable=False),
    sa.Column('fg_contact', sa.Text(), nullable=False),
    sa.Column('purposes', sa.Text(), nullable=False),
    sa.Column('data_subjects', sa.Text(), nullable=False),
    sa.Column('data_categories', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('third_country', sa.Boolean(), nullable=False),
    sa.Column('transfers', sa.Text(), nullable=False),
    sa.Column('retention', sa.Text(), nullable=False),
    sa.Column('security', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_register_records_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_register_records_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['version_id'], ['assessment_versions.id'], name=op.f('fk_register_records_version_id_assessment_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_records')),
    sa.UniqueConstraint('version_id', 'operation_id', name=op.f('uq_register_records_version_id'))
    )
    with op.batch_alter_table('register_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_records_adopted_on'), ['adopted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_records_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_records_current'), ['current'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_records_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_records_third_country'), ['third_country'], unique=False)
    _roles(NEW_ROLES)
    # Records of DPIAs adopted before this migration: `flask --app pia recompute-figures`.


def downgrade():
    op.execute("DELETE FROM user_roles WHERE role IN ('cpo', 'cpo-rijk')")
    _roles(OLD_ROLES)
    with op.batch_alter_table('register_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_records_third_country'))
        batch_op.drop_index(batch_op.f('ix_register_records_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_register_records_current'))
        batch_op.drop_index(batch_op.f('ix_register_records_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_register_records_adopted_on'))
    op.drop_table('register_records')
