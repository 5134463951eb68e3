"""the law without loopholes: phased notification, proof of communication, four eyes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 05:00:00

Plain ADD and DROP COLUMN, no batch: on SQLite a batch recreates the incidents table, which
the tables that refer to it forbid once it holds rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
COLUMNS = {
    'incidents': [
        sa.Column('subject_description', sa.Text(), nullable=False, server_default=''),
        sa.Column('owed_parts', sa.JSON(), nullable=False, server_default='[]'),
        sa.Column('first_aware_at', WHEN, nullable=True),
        sa.Column('first_deadline_at', WHEN, nullable=True),
        sa.Column('pending_aware_at', WHEN, nullable=True),
        sa.Column('pending_aware_reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('pending_aware_by_id', sa.Integer(), nullable=True),
        sa.Column('aware_at_reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('enisa_confidentiality', sa.Double(), nullable=True),
        sa.Column('enisa_integrity', sa.Double(), nullable=True),
        sa.Column('enisa_availability', sa.Double(), nullable=True),
        sa.Column('enisa_malicious', sa.Boolean(), nullable=True),
        sa.Column('enisa_dpc_base', sa.Double(), nullable=True),
        sa.Column('enisa_dpc_reason', sa.Text(), nullable=False, server_default=''),
    ],
    'notifications': [
        sa.Column('parts_given', sa.JSON(), nullable=False, server_default='[]'),
        sa.Column('receipt_at', WHEN, nullable=True),
        sa.Column('receipt_text', sa.Text(), nullable=False, server_default=''),
    ],
    'subject_communications': [
        sa.Column('public_sent_at', WHEN, nullable=True),
        sa.Column('public_channel', sa.String(length=32), nullable=False, server_default=''),
        sa.Column('shortfall_reason', sa.Text(), nullable=False, server_default=''),
        # rows from before this revision were recorded without the confirmations
        sa.Column('names_contact', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('names_consequences', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('names_measures', sa.Boolean(), nullable=False, server_default=sa.false()),
    ],
}


def upgrade():
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    # what was recorded first is, for incidents of before this revision, what stands now
    op.execute('UPDATE incidents SET first_aware_at = aware_at, first_deadline_at = deadline_at')


def downgrade():
    for table, columns in COLUMNS.items():
        for column in reversed(columns):
            op.drop_column(table, column.name)
