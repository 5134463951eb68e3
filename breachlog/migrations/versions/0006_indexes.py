"""indexes for the lists, measured with bench/web.py at 10,000 incidents

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 20:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_aware', ['aware_at', 'id'], unique=False)
        batch_op.create_index('ix_incidents_year_aware', ['ref_year', 'aware_at', 'id'], unique=False)
        batch_op.create_index('ix_incidents_organisation_year', ['organisation_id', 'ref_year', 'aware_at', 'id'], unique=False)
        batch_op.create_index('ix_incidents_notified', ['notified_at', 'deadline_at'], unique=False)
        # both are the first columns of an index above
        batch_op.drop_index('ix_incidents_ref_year')
        batch_op.drop_index('ix_incidents_organisation_id')


def downgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_organisation_id', ['organisation_id'], unique=False)
        batch_op.create_index('ix_incidents_ref_year', ['ref_year'], unique=False)
        batch_op.drop_index('ix_incidents_notified')
        batch_op.drop_index('ix_incidents_organisation_year')
        batch_op.drop_index('ix_incidents_year_aware')
        batch_op.drop_index('ix_incidents_aware')
