"""measures can be cancelled, with the reason why

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:00:00.000000

A cancelled measure stays in the register with its reason, as every act on an incident does;
it is neither open nor done, so it is never overdue and has no reminder.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('measures', sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        'measures', sa.Column('cancel_reason', sa.Text(), nullable=False, server_default='')
    )


def downgrade():
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
