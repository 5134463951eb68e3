"""Database plumbing: UTC timestamps, SQLite pragmas, and taking the write lock up front."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POSTs that only read, apart from bookkeeping done beside them (bookkeeping.py): logging in
# works on a database that takes no writes
READING_POSTS = frozenset({"auth.login"})
_writing: ContextVar[bool] = ContextVar("breachlog_writing", default=False)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Stored as UTC, always read back timezone-aware (SQLite forgets the zone otherwise)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; store UTC-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@contextmanager
def writing() -> Iterator[None]:
    """Mark work outside a request (CLI, reminder tick) as a writer."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def wants_write() -> bool:
    if _writing.get():
        return True
    return (
        has_request_context()
        and request.method not in SAFE_METHODS
        and request.endpoint not in READING_POSTS
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: sa.Connection) -> None:
    # A SQLite reader that later writes fails if another writer got in between (WAL snapshot);
    # a request or command that may write therefore takes the write lock at its first statement.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write() else "BEGIN")


def lock_for_chain(session: Any, key: int) -> None:
    """Serialise appends to a chain (audit) across processes on PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def sqlite_path(url: sa.URL) -> str | None:
    """The database file of a SQLite URL (also written as a file: URI); None otherwise."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    return urlsplit(database).path if database.startswith("file:") else database
