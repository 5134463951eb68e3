"""accounts: server-side sessions, API token expiry and scope, encrypted TOTP secrets,
compulsory two-factor login per organisation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 05:00:00

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=16), nullable=False, server_default='read-write'))
    # tokens made before expiry existed get the default 90 days, counted from now
    api_tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)))
    op.execute(
        api_tokens.update()
        .where(api_tokens.c.expires_at.is_(None))
        .values(expires_at=datetime.now(timezone.utc) + timedelta(days=90))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('browser', sa.String(length=300), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_user_sessions_secret_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)


    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255), existing_nullable=True)
    _crypt_totp_secrets(encrypt=True)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_factor_required', sa.Boolean(), nullable=False, server_default=sa.false()))


def _fernet():
    # the app's key (BREACHLOG_ENCRYPTION_KEY or instance/encryption_key); the first encrypts
    from cryptography.fernet import Fernet, MultiFernet
    from flask import current_app

    text = str(current_app.config["ENCRYPTION_KEY"])
    keys = [key.strip() for key in text.replace(",", "\n").splitlines() if key.strip()]
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _crypt_totp_secrets(encrypt):
    """Two-factor secrets were stored as they are; from here on only encrypted."""
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('totp_secret', sa.String()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))).all()
    if not rows:
        return
    fernet = _fernet()
    for user_id, value in rows:
        if encrypt:
            new = fernet.encrypt(value.encode('ascii')).decode('ascii')
        else:
            new = fernet.decrypt(value.encode('ascii')).decode('ascii')
        bind.execute(users.update().where(users.c.id == user_id).values(totp_secret=new))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('two_factor_required')

    _crypt_totp_secrets(encrypt=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64), existing_nullable=True)

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scope')
        batch_op.drop_column('expires_at')
