"""four eyes on risk none, not a breach and withdrawal (R14), per organisation

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:30:00

Plain ADD and DROP COLUMN, no batch: see 0010.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

INCIDENT_COLUMNS = [
    sa.Column('pending_act', sa.String(length=20), nullable=False, server_default=''),
    sa.Column('pending_act_by_id', sa.Integer(), nullable=True),
    sa.Column('pending_act_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pending_act_reason', sa.Text(), nullable=False, server_default=''),
    sa.Column('pending_act_values', sa.JSON(), nullable=False, server_default='{}'),
]


def upgrade():
    op.add_column('organisations', sa.Column('four_eyes_required', sa.Boolean(), nullable=False, server_default=sa.false()))
    for column in INCIDENT_COLUMNS:
        op.add_column('incidents', column)


def downgrade():
    for column in reversed(INCIDENT_COLUMNS):
        op.drop_column('incidents', column.name)
    op.drop_column('organisations', 'four_eyes_required')
