"""memberships: a role per user and organisation; installation admins; a token's organisation;
the refs an incident had before it moved to another organisation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 05:00:00.000000

Today's users become members of their organisation with the role they had; a user without
an organisation read every register, so they become a member of every organisation with
that role. Today's admins also become installation admins. An API token keeps working for
its user's organisation; a token of a user of several organisations is limited to none
(it answers nothing until replaced by one made for an organisation).
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

RANK = ('admin', 'officer', 'viewer', 'reporter')


def upgrade():
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_memberships_user_id_organisation_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)
    op.create_table('former_refs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_former_refs_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_former_refs_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_former_refs')),
    sa.UniqueConstraint('ref', name=op.f('uq_former_refs_ref'))
    )
    with op.batch_alter_table('former_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_former_refs_incident_id'), ['incident_id'], unique=False)

    conn = op.get_bind()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_installation_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_organisation_id_organisations'), 'organisations', ['organisation_id'], ['id'], ondelete='CASCADE')

    now = datetime.now(timezone.utc)
    organisations = [row[0] for row in conn.execute(sa.text('SELECT id FROM organisations ORDER BY id'))]
    users = conn.execute(sa.text('SELECT id, role, organisation_id FROM users')).all()
    memberships = sa.table(
        'memberships',
        sa.column('user_id', sa.Integer),
        sa.column('organisation_id', sa.Integer),
        sa.column('role', sa.String),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    rows = []
    reach = {}
    for user_id, role, organisation_id in users:
        reach[user_id] = [organisation_id] if organisation_id is not None else organisations
        rows += [
            {'user_id': user_id, 'organisation_id': org, 'role': role, 'created_at': now}
            for org in reach[user_id]
        ]
    if rows:
        op.bulk_insert(memberships, rows)
    conn.execute(sa.text("UPDATE users SET is_installation_admin = :yes WHERE role = 'admin'"), {'yes': True})
    for user_id, orgs in reach.items():
        if len(orgs) == 1:
            conn.execute(
                sa.text('UPDATE api_tokens SET organisation_id = :org WHERE user_id = :user'),
                {'org': orgs[0], 'user': user_id},
            )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_organisation_id_organisations', type_='foreignkey')
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('role')
        batch_op.alter_column('is_installation_admin', server_default=None)


def downgrade():
    conn = op.get_bind()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=16), nullable=False, server_default='reporter'))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_users_organisation_id_organisations', 'organisations', ['organisation_id'], ['id'])
    found = conn.execute(sa.text('SELECT user_id, organisation_id, role FROM memberships ORDER BY id')).all()
    by_user = {}
    for user_id, organisation_id, role in found:
        by_user.setdefault(user_id, []).append((organisation_id, role))
    for user_id, held in by_user.items():
        role = next(r for r in RANK if r in {r2 for _, r2 in held})
        organisation_id = held[0][0] if len(held) == 1 else None
        conn.execute(
            sa.text('UPDATE users SET role = :role, organisation_id = :org WHERE id = :id'),
            {'role': role, 'org': organisation_id, 'id': user_id},
        )
    conn.execute(sa.text("UPDATE users SET role = 'admin' WHERE is_installation_admin = :yes"), {'yes': True})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)
        batch_op.drop_column('is_installation_admin')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('fk_api_tokens_organisation_id_organisations', type_='foreignkey')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('former_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_former_refs_incident_id'))
    op.drop_table('former_refs')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))
    op.drop_table('memberships')
