"""the reminder senders' heartbeat, for /readyz and /metrics

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sender_heartbeats',
    sa.Column('sender', sa.String(length=100), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender', name=op.f('pk_sender_heartbeats'))
    )


def downgrade():
    op.drop_table('sender_heartbeats')
