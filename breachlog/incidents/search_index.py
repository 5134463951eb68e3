"""The index behind the register's text search, for databases made by create_all.

Migration 0007 makes the same objects on a database that Alembic manages. SQLite gets an
FTS5 table with the trigram tokenizer, filled from incidents by triggers; PostgreSQL a
pg_trgm GIN index on the four texts, which serves ILIKE on each of them. Neither is part of
the metadata (see `include_name`): SQLAlchemy could not make them itself.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

log = logging.getLogger(__name__)

SEARCHED = ("ref", "title", "summary", "cause")
FTS_TABLE = "incidents_search"
TRIGRAM_INDEX = "ix_incidents_search"
# the register's search, folded (migration 0011): these texts, in Incident.search_text
FOLDED = ("ref", "former_ref", "meldnummer", "processor_name", "title", "summary", "cause")
FOLDED_TABLE = "incidents_folded"
FOLDED_INDEX = "ix_incidents_folded"
_FORGET_FOLDED = (
    "INSERT INTO incidents_folded(incidents_folded, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
_INDEX_FOLDED = (
    "INSERT INTO incidents_folded(rowid, search_text) VALUES (new.id, new.search_text);"
)
FOLDED_SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE incidents_folded USING fts5(search_text, "
    "content='incidents', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER incidents_folded_insert AFTER INSERT ON incidents BEGIN {_INDEX_FOLDED} END",
    f"CREATE TRIGGER incidents_folded_delete AFTER DELETE ON incidents BEGIN {_FORGET_FOLDED} END",
    "CREATE TRIGGER incidents_folded_update AFTER UPDATE OF search_text ON incidents "
    f"BEGIN {_FORGET_FOLDED} {_INDEX_FOLDED} END",
)
# the 'delete' command of an external-content table needs the values that were indexed
_FORGET_OLD = (
    "INSERT INTO incidents_search(incidents_search, rowid, ref, title, summary, cause) "
    "VALUES ('delete', old.id, old.ref, old.title, old.summary, old.cause);"
)
_INDEX_NEW = (
    "INSERT INTO incidents_search(rowid, ref, title, summary, cause) "
    "VALUES (new.id, new.ref, new.title, new.summary, new.cause);"
)
SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE incidents_search USING fts5(ref, title, summary, cause, "
    "content='incidents', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN {_INDEX_NEW} END",
    f"CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN {_FORGET_OLD} END",
    "CREATE TRIGGER incidents_search_update AFTER UPDATE OF ref, title, summary, cause "
    f"ON incidents BEGIN {_FORGET_OLD} {_INDEX_NEW} END",
)


def create(table: sa.Table, connection: sa.Connection, **kw: Any) -> None:
    """After create_all made the incidents table: its search index, where the database can."""
    if connection.dialect.name == "sqlite":
        if has_trigram_tokenizer(connection):
            for statement in (*SQLITE_SCHEMA, *FOLDED_SQLITE_SCHEMA):
                connection.exec_driver_sql(statement)
        else:
            log.warning("SQLite has no FTS5 trigram tokenizer: search reads every incident.")
    elif connection.dialect.name == "postgresql":
        schema = trigram_schema(connection)
        if schema is not None:
            connection.exec_driver_sql(trigram_index(schema))
            connection.exec_driver_sql(folded_index(schema))


def drop(table: sa.Table, connection: sa.Connection, **kw: Any) -> None:
    """Before drop_all removes incidents (and with it, on SQLite, the triggers)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS incidents_search")
        connection.exec_driver_sql("DROP TABLE IF EXISTS incidents_folded")


def has_trigram_tokenizer(connection: sa.Connection) -> bool:
    # the trigram tokenizer came with SQLite 3.34
    version, fts5 = connection.exec_driver_sql(
        "SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')"
    ).one()
    return bool(fts5) and tuple(int(part) for part in version.split(".")) >= (3, 34)


def trigram_schema(connection: sa.Connection) -> str | None:
    """Where pg_trgm is installed, if it is. The extension exists once per database, in
    one schema, which need not be on the search_path: the index names its opclass in full."""
    schema = connection.scalar(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = :name"),
        {"name": "pg_trgm"},
    )
    return str(schema) if schema is not None else None


def trigram_index(schema: str) -> str:
    columns = ", ".join(f"{column} {schema}.gin_trgm_ops" for column in SEARCHED)
    return f"CREATE INDEX {TRIGRAM_INDEX} ON incidents USING gin ({columns})"


def folded_index(schema: str) -> str:
    opclass = f"{schema}.gin_trgm_ops"
    return f"CREATE INDEX {FOLDED_INDEX} ON incidents USING gin (search_text {opclass})"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's comparison of database and models: leave the search index out."""
    if type_ == "table":
        return not any(
            name == table or (name or "").startswith(table + "_")
            for table in (FTS_TABLE, FOLDED_TABLE)
        )
    if type_ == "index":
        return name not in (TRIGRAM_INDEX, FOLDED_INDEX)
    return True
