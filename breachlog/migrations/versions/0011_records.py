"""faithful records: a folded search text on incidents, its index, and the former ref

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 05:30:00.000000

incidents.search_text holds the app's folded copy (lower case, no accents, ł as l) of the
ref, the former ref, the meldnummer, the processor, the title, summary and cause; the
register's search folds its words the same way. incidents.former_ref is the ref an
imported incident had in the register it came from. SQLite: an FTS5 trigram table over
search_text, kept by triggers, as 0007 made for the texts themselves. PostgreSQL: a pg_trgm
GIN index on search_text, where pg_trgm is installed. The columns are added in place (no
table copy), so the triggers of 0007 stay.
"""
import logging
import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

FOLDED = ('ref', 'former_ref', 'meldnummer', 'processor_name', 'title', 'summary', 'cause')
# a copy of breachlog.domain.folding as it was when this migration was written
PLAIN = str.maketrans(
    {'ł': 'l', 'ı': 'i', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ħ': 'h', 'ŀ': 'l'}
    | {'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ĳ': 'ij'}
)
FORGET = (
    "INSERT INTO incidents_folded(incidents_folded, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
INDEX = "INSERT INTO incidents_folded(rowid, search_text) VALUES (new.id, new.search_text);"


def fold(text):
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize('NFKD', text.casefold())
    return ''.join(c for c in decomposed if not unicodedata.combining(c)).translate(PLAIN)


def upgrade():
    op.add_column(
        'incidents',
        sa.Column('former_ref', sa.String(length=64), nullable=False, server_default=''),
    )
    op.add_column('incidents', sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        # the index first: rows updated after it was made leave it usable at once (made
        # after, it would wait until every older transaction has ended, for broken HOT chains)
        upgrade_postgresql()
    incidents = sa.table('incidents', sa.column('id'), sa.column('search_text'), *map(sa.column, FOLDED))
    rows = bind.execute(sa.select(incidents.c.id, *(incidents.c[name] for name in FOLDED))).all()
    for row in rows:
        text = '\n'.join(fold(value) for value in row[1:] if value)
        bind.execute(incidents.update().where(incidents.c.id == row.id).values(search_text=text))
    if bind.dialect.name == 'sqlite':
        upgrade_sqlite()


def upgrade_sqlite():
    bind = op.get_bind()
    version, fts5 = bind.exec_driver_sql(
        "SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')"
    ).one()
    if not fts5 or tuple(int(part) for part in version.split('.')) < (3, 34):
        log.warning('SQLite %s has no FTS5 trigram tokenizer: search reads every incident.', version)
        return
    op.execute(
        "CREATE VIRTUAL TABLE incidents_folded USING fts5(search_text, "
        "content='incidents', content_rowid='id', tokenize='trigram')"
    )
    op.execute(f"CREATE TRIGGER incidents_folded_insert AFTER INSERT ON incidents BEGIN {INDEX} END")
    op.execute(f"CREATE TRIGGER incidents_folded_delete AFTER DELETE ON incidents BEGIN {FORGET} END")
    op.execute(
        "CREATE TRIGGER incidents_folded_update AFTER UPDATE OF search_text ON incidents "
        f"BEGIN {FORGET} {INDEX} END"
    )
    op.execute("INSERT INTO incidents_folded(incidents_folded) VALUES ('rebuild')")


def upgrade_postgresql():
    bind = op.get_bind()
    schema = bind.scalar(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    )
    if schema is None:
        log.warning('pg_trgm is not installed: the folded search works without its index.')
        return
    op.execute(
        f'CREATE INDEX ix_incidents_folded ON incidents USING gin (search_text {schema}.gin_trgm_ops)'
    )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS incidents_folded_{trigger}')
        op.execute('DROP TABLE IF EXISTS incidents_folded')
        # in place: a copy of the table would lose the triggers of 0007
        op.execute('ALTER TABLE incidents DROP COLUMN search_text')
        op.execute('ALTER TABLE incidents DROP COLUMN former_ref')
        return
    if dialect == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_incidents_folded')
    op.drop_column('incidents', 'search_text')
    op.drop_column('incidents', 'former_ref')
