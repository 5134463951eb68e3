"""the AP form complete: three-state facts and the meldformulier's own questions

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:30:00

"Still going on", "FG involved" and "cross-border" were yes/no with "no" as the default, so
a fact nobody established showed as "no". They become three-state (NULL is "not known
yet"); where no person set them, today's "no" becomes "not known yet". A person set the
value when it is "yes", or when an audit event after the incident's first one recorded it.
Every value changed here is itself recorded in the audit chain (action
"incident.upgraded"), sealed like every other event, so `verify-audit` still finds the
register as its history tells it.

The new columns hold the questions of the meldformulier the register did not ask before:
under which law, who notifies, other organisations involved, what happened to the data,
special categories involved, consequences per aspect, kinds of harm and severity, the plan
for informing the people concerned, other authorities notified, and anything else.

SQLite cannot drop NOT NULL in place and a batch would recreate the incidents table (see
0010): there each column is copied into a new nullable one, dropped and renamed.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

THREE_STATE = ('is_ongoing', 'is_dpo_involved', 'is_cross_border')
COLUMNS = [
    sa.Column('law', sa.String(length=16), nullable=False, server_default='avg'),
    sa.Column('notifier_name', sa.String(length=200), nullable=False, server_default=''),
    sa.Column('notifier_role', sa.String(length=200), nullable=False, server_default=''),
    sa.Column('notifier_email', sa.String(length=254), nullable=False, server_default=''),
    sa.Column('notifier_phone', sa.String(length=40), nullable=False, server_default=''),
    sa.Column('other_organisations', sa.Text(), nullable=False, server_default=''),
    sa.Column('data_outcomes', sa.JSON(), nullable=False, server_default='[]'),
    sa.Column('has_special_categories', sa.Boolean(), nullable=True),
    sa.Column('consequences_confidentiality', sa.Text(), nullable=False, server_default=''),
    sa.Column('consequences_integrity', sa.Text(), nullable=False, server_default=''),
    sa.Column('consequences_availability', sa.Text(), nullable=False, server_default=''),
    sa.Column('harm_kinds', sa.JSON(), nullable=False, server_default='[]'),
    sa.Column('severity', sa.String(length=16), nullable=False, server_default=''),
    sa.Column('other_authorities_notified', sa.Boolean(), nullable=True),
    sa.Column('other_authorities', sa.JSON(), nullable=False, server_default='[]'),
    sa.Column('subjects_plan', sa.String(length=16), nullable=False, server_default=''),
    sa.Column('subjects_plan_reason', sa.Text(), nullable=False, server_default=''),
    sa.Column('subjects_planned_on', sa.Date(), nullable=True),
    sa.Column('other_remarks', sa.Text(), nullable=False, server_default=''),
]
# the history names the change in the reader's language by its action (incidents/fields.py)
REASON = ""


def upgrade():
    bind = op.get_bind()
    for column in COLUMNS:
        op.add_column('incidents', column)
    for name in THREE_STATE:
        _make_nullable(bind, name)
    _not_known_where_nobody_said(bind)


def _make_nullable(bind, name):
    if bind.dialect.name != 'sqlite':
        op.alter_column('incidents', name, existing_type=sa.Boolean(), nullable=True)
        return
    op.add_column('incidents', sa.Column(f'{name}_3', sa.Boolean(), nullable=True))
    op.execute(f'UPDATE incidents SET {name}_3 = {name}')
    op.drop_column('incidents', name)
    op.execute(f'ALTER TABLE incidents RENAME COLUMN {name}_3 TO {name}')


def _not_known_where_nobody_said(bind):
    """Which "no" a person gave: a later event that recorded the field. The rest become
    NULL, and each change goes into the audit chain with its before and after."""
    incidents = sa.table(
        'incidents',
        sa.column('id', sa.Integer),
        sa.column('special_categories', sa.JSON),
        sa.column('has_special_categories', sa.Boolean),
        *(sa.column(name, sa.Boolean) for name in THREE_STATE),
    )
    events = sa.table(
        'audit_events',
        sa.column('id', sa.Integer),
        sa.column('object_type', sa.String),
        sa.column('object_id', sa.Integer),
        sa.column('after', sa.JSON),
    )
    first_event = {}
    said = set()
    query = (
        sa.select(events.c.id, events.c.object_id, events.c.after)
        .where(events.c.object_type == 'incident')
        .order_by(events.c.id)
    )
    for _id, incident_id, after in bind.execute(query):
        if incident_id not in first_event:
            first_event[incident_id] = _id
            continue
        for name in THREE_STATE:
            if name in (after or {}):
                said.add((incident_id, name))
    changes = []
    for row in bind.execute(sa.select(incidents).order_by(incidents.c.id)):
        before, after = {}, {}
        for name in THREE_STATE:
            if getattr(row, name) is False and (row.id, name) not in said:
                before[name], after[name] = False, None
        special = row.special_categories or []
        if special:
            before['has_special_categories'], after['has_special_categories'] = None, True
        if after:
            changes.append((row.id, before, after))
    for incident_id, before, after in changes:
        bind.execute(incidents.update().where(incidents.c.id == incident_id).values(**after))
    if changes:
        _record(bind, changes)


def _record(bind, changes):
    """Append one sealed event per changed incident, as the app's audit chain does."""
    from breachlog.audit import seal
    from breachlog.domain import audit as rules

    events = sa.table(
        'audit_events',
        sa.column('at', sa.DateTime(timezone=True)),
        sa.column('actor_id', sa.Integer),
        sa.column('actor', sa.String),
        sa.column('action', sa.String),
        sa.column('object_type', sa.String),
        sa.column('object_id', sa.Integer),
        sa.column('incident_id', sa.Integer),
        sa.column('before', sa.JSON),
        sa.column('after', sa.JSON),
        sa.column('reason', sa.Text),
        sa.column('prev_hash', sa.String),
        sa.column('hash', sa.String),
        sa.column('id', sa.Integer),
    )
    if bind.dialect.name == 'postgresql':
        bind.execute(sa.text('SELECT pg_advisory_xact_lock(:key)'), {'key': 0x6272_6C61})
    last = bind.execute(
        sa.select(events.c.hash).order_by(events.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    previous = last or rules.GENESIS
    key = seal.key()
    # whole seconds: the moment reads back exactly as it was sealed on every database
    now = datetime.now(UTC).replace(microsecond=0)
    stored_at = now.replace(tzinfo=None) if bind.dialect.name == 'sqlite' else now
    for incident_id, before, after in changes:
        fields = {
            'at': now.isoformat(),
            'actor_id': None,
            'actor': 'breachlog upgrade',
            'action': 'incident.upgraded',
            'object_type': 'incident',
            'object_id': incident_id,
            'incident_id': incident_id,
            'before': before,
            'after': after,
            'reason': REASON,
        }
        digest = rules.event_hash(previous, fields, key)
        values = {k: v for k, v in fields.items() if k != 'at'}
        bind.execute(
            events.insert().values(at=stored_at, prev_hash=previous, hash=digest, **values)
        )
        previous = digest


def downgrade():
    bind = op.get_bind()
    for name in THREE_STATE:
        op.execute(f'UPDATE incidents SET {name} = false WHERE {name} IS NULL')
        if bind.dialect.name != 'sqlite':
            op.alter_column('incidents', name, existing_type=sa.Boolean(), nullable=False)
    for column in reversed(COLUMNS):
        op.drop_column('incidents', column.name)
