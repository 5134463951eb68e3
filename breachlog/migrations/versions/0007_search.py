"""an index for the register's text search, and one for a year's register by status

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 12:00:00.000000

SQLite: an FTS5 table with the trigram tokenizer over the incidents' ref, title, summary and
cause, kept up to date by triggers. A later migration that makes SQLite copy the incidents
table (batch_alter_table with recreate) drops these triggers with the old table and must
make them again. PostgreSQL: a pg_trgm GIN index on the four texts, for their ILIKE.
Where pg_trgm cannot be installed, or SQLite has no trigram tokenizer, search works the
same without its index.
"""
import logging

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

SEARCHED = ('ref', 'title', 'summary', 'cause')
COLUMNS = ', '.join(SEARCHED)
NEW = ', '.join(f'new.{column}' for column in SEARCHED)
OLD = ', '.join(f'old.{column}' for column in SEARCHED)
# the 'delete' command of an external-content table needs the values that were indexed
FORGET_OLD = (
    f"INSERT INTO incidents_search(incidents_search, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {OLD});"
)
INDEX_NEW = f"INSERT INTO incidents_search(rowid, {COLUMNS}) VALUES (new.id, {NEW});"


def upgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(
            'ix_incidents_year_status', ['ref_year', 'status', 'aware_at', 'id'], unique=False
        )
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        upgrade_sqlite()
    elif dialect == 'postgresql':
        upgrade_postgresql()


def upgrade_sqlite():
    bind = op.get_bind()
    version, fts5 = bind.exec_driver_sql(
        "SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')"
    ).one()
    if not fts5 or tuple(int(part) for part in version.split('.')) < (3, 34):
        log.warning('SQLite %s has no FTS5 trigram tokenizer: search reads every incident.', version)
        return
    op.execute(
        f"CREATE VIRTUAL TABLE incidents_search USING fts5({COLUMNS}, "
        "content='incidents', content_rowid='id', tokenize='trigram')"
    )
    op.execute(f"CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN {INDEX_NEW} END")
    op.execute(f"CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN {FORGET_OLD} END")
    op.execute(
        f"CREATE TRIGGER incidents_search_update AFTER UPDATE OF {COLUMNS} ON incidents "
        f"BEGIN {FORGET_OLD} {INDEX_NEW} END"
    )
    op.execute("INSERT INTO incidents_search(incidents_search) VALUES ('rebuild')")


def upgrade_postgresql():
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except sa.exc.DBAPIError as exc:
        log.warning(
            'Cannot install pg_trgm (%s): search works without its index. To add it later, '
            'a database owner runs CREATE EXTENSION pg_trgm; then run `breachlog db downgrade '
            '0006` and `breachlog init-db`.',
            str(exc.orig).splitlines()[0],
        )
        return
    # the extension may live in a schema off the search_path: name its opclass in full
    schema = bind.scalar(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    )
    columns = ', '.join(f'{column} {schema}.gin_trgm_ops' for column in SEARCHED)
    op.execute(f'CREATE INDEX ix_incidents_search ON incidents USING gin ({columns})')


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS incidents_search_{trigger}')
        op.execute('DROP TABLE IF EXISTS incidents_search')
    elif dialect == 'postgresql':
        # pg_trgm stays: objects in other schemas of the database may use it
        op.execute('DROP INDEX IF EXISTS ix_incidents_search')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_year_status')
