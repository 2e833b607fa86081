"""par bodies: the interdepartmental bodies as data; when an advice was last offered

Revision ID: 0013b
Revises: 0010p
Create Date: 2026-12-03 07:50:00

The bodies were a setting (PAR_BODIES); the beheerder now manages them. Seeded with the
three the setting named. par_trajectories.offered_at is filled from the audit log for
advices offered before this migration.
"""
import json
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013b'
down_revision = '0010p'
branch_labels = None
depends_on = None

SEED = [
    ("CIO-beraad", "Het overleg van de CIO's van de ministeries (informatievoorziening en ICT)."),
    ("ICBR", "De Interdepartementale Commissie Bedrijfsvoering Rijk."),
    ("CPO-Raad", "Het overleg van de Chief Privacy Officers van de ministeries (privacykaders)."),
]


def upgrade():
    bodies = op.create_table('par_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_bodies')),
    sa.UniqueConstraint('name', name=op.f('uq_par_bodies_name'))
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(
        bodies,
        [{"name": n, "description": d, "active": True, "created_at": now} for n, d in SEED],
    )
    with op.batch_alter_table('par_trajectories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offered_at', sa.DateTime(), nullable=True))
    _backfill_offered_at()


def _backfill_offered_at():
    """The last "offer_for_approval" transition of each assessment, from the audit log."""
    connection = op.get_bind()
    events = connection.execute(
        sa.text(
            "SELECT object_id, occurred_at, details FROM audit_events "
            "WHERE action = 'assessment.transition' AND object_type = 'assessment'"
        )
    )
    last: dict[int, object] = {}
    for object_id, occurred_at, details in events:
        if isinstance(details, str):
            details = json.loads(details)
        if (details or {}).get("action") == "offer_for_approval" and str(object_id).isdigit():
            key = int(object_id)
            last[key] = max(last.get(key, occurred_at), occurred_at)
    for assessment_id, occurred_at in last.items():
        connection.execute(
            sa.text("UPDATE par_trajectories SET offered_at = :at WHERE assessment_id = :id"),
            {"at": occurred_at, "id": assessment_id},
        )


def downgrade():
    with op.batch_alter_table('par_trajectories', schema=None) as batch_op:
        batch_op.drop_column('offered_at')
    op.drop_table('par_bodies')
