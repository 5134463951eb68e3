"""`breachlog backup` and `breachlog restore` for SQLite; backup_postgres.py for PostgreSQL.

A backup is SQLite's online backup: one read snapshot, so the copy is consistent while
breachlog keeps writing (in WAL mode readers do not block writers). The copy is then checked
as an inspector would: `PRAGMA integrity_check` and the audit chain (as `verify-audit`).

A restore replaces the database file only with a copy that passed the same checks, after
keeping the current database beside it, by a rename in the same folder: at every moment the
file is either the old database or the new one. It cannot know for sure that breachlog is
stopped; it refuses when another connection has the database open, which a running
breachlog that has served anything does.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .audit.models import AuditEvent
from .config import engine_options
from .db import sqlite_path
from .domain.audit import GENESIS, ChainLink, verify_chain

BUSY_SECONDS = 30  # a writer holds the lock for milliseconds; wait for it like the app does
REQUIRED_TABLES = ("audit_events", "incidents", "organisations", "users")


class BackupRefused(Exception):
    """Nothing was written or replaced; the message says why and what to do instead."""


@dataclass
class Checked:
    """What the checks of a copy found; `problems` empty means it can be trusted."""

    path: Path
    events: int = 0
    last_hash: str = GENESIS
    incidents: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.problems:
            return "; ".join(self.problems)
        return (
            f"integrity ok, {self.incidents} incidents, audit chain intact "
            f"({self.events} events, last {self.last_hash})"
        )


@dataclass
class Restored:
    checked: Checked
    kept: Path | None  # the database as it was before the restore


def database_file(url: sa.URL) -> Path:
    """The SQLite file behind the app's database."""
    path = sqlite_path(url)
    if path is None:
        raise BackupRefused(f"Cannot back up or restore a database of type {url.drivername}.")
    return Path(path).resolve()


def backup(url: sa.URL, output: Path) -> Checked:
    """Copy the live database to `output` (replacing it), then check the copy."""
    source = database_file(url)
    if not source.is_file():
        raise BackupRefused(f"There is no database at {source} yet.")
    output = output.resolve()
    if output == source:
        raise BackupRefused("The backup must go to another file than the database itself.")
    if not output.parent.is_dir():
        raise BackupRefused(f"There is no folder {output.parent}.")
    part = output.with_name(output.name + ".part")
    try:
        copy_database(source, part)
        os.chmod(part, 0o600)  # the register is personal data: for the owner's eyes only
        checked = check(part)
        part.replace(output)  # a failed or interrupted backup never leaves a half file behind
    except (OSError, sqlite3.Error) as exc:
        raise BackupRefused(f"Cannot back up to {output}: {exc}.") from None
    finally:
        part.unlink(missing_ok=True)
    checked.path = output
    return checked


def restore(url: sa.URL, backup_file: Path, now: datetime) -> Restored:
    """Put a checked copy of `backup_file` in place of the database, keeping the old one."""
    target = database_file(url)
    backup_file = backup_file.resolve()
    if backup_file == target:
        raise BackupRefused("That file is the database itself.")
    if not backup_file.is_file():
        raise BackupRefused(f"There is no file {backup_file}.")
    part = target.with_name(target.name + ".restore.part")
    try:
        try:
            copy_database(backup_file, part, read_only=True)
        except sqlite3.Error as exc:
            raise BackupRefused(f"{backup_file} is not a SQLite database: {exc}.") from None
        checked = check(part)
        if checked.problems:
            raise BackupRefused(
                f"{backup_file} failed its checks, the database was not touched: "
                + checked.summary()
            )
        kept = None
        if target.exists():
            kept = target.with_name(f"{target.stem}.before-restore-{now:%Y%m%dT%H%M%SZ}.sqlite")
            with sole_user(target):
                shutil.copyfile(target, kept)
                _sync(kept)
                part.replace(target)
        else:
            part.replace(target)
        _sync(target.parent)
    except OSError as exc:  # e.g. no room for the copies; the rename comes last
        raise BackupRefused(f"Cannot restore {target}: {exc}.") from None
    finally:
        part.unlink(missing_ok=True)
    checked.path = backup_file
    return Restored(checked, kept)


def copy_database(source: Path, target: Path, read_only: bool = False) -> None:
    """SQLite's online backup in one step (one snapshot), into a self-contained file."""
    target.unlink(missing_ok=True)
    # the live database is opened as the app opens it (WAL needs its -shm); a backup file
    # given to restore is only read
    name = source.as_uri() + "?mode=ro" if read_only else str(source)
    with (
        closing(sqlite3.connect(name, timeout=BUSY_SECONDS, uri=read_only)) as reader,
        closing(sqlite3.connect(target, isolation_level=None)) as copy,
    ):
        reader.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # no -wal file to carry along
    _sync(target)


def check(path: Path) -> Checked:
    """PRAGMA integrity_check, the tables of breachlog, and the audit chain of a copy."""
    checked = Checked(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        try:
            answer = [str(row[0]) for row in raw.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:  # damaged beyond what the check can list
            answer = [str(exc)]
        if answer != ["ok"]:
            checked.problems.append("integrity check: " + "; ".join(answer[:5]))
            return checked
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        checked.problems.append("not a breachlog database (no table " + ", ".join(missing) + ")")
        return checked
    engine = sa.create_engine(
        sa.URL.create("sqlite", database=str(path)), **engine_options("sqlite")
    )
    try:
        with Session(engine) as session:
            checked.incidents = session.scalar(sa.text("SELECT count(*) FROM incidents")) or 0
            links = _Links(session)
            problem = verify_chain(links, _key())
            checked.events, checked.last_hash = links.count, links.last_hash
        if problem is not None:
            checked.problems.append(
                f"audit chain broken at event {problem.event_id}: {problem.reason}"
            )
    except (sa.exc.SQLAlchemyError, ValueError) as exc:  # e.g. a row that is not JSON
        checked.problems.append(f"cannot read the audit chain: {exc}")
    finally:
        engine.dispose()
    # the app's own connect hook put the copy in WAL mode; keep it one file
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        raw.execute("PRAGMA journal_mode=DELETE")
    return checked


def _key() -> bytes | None:
    """The audit key, when the copy is checked by a breachlog that has one."""
    from flask import has_app_context

    from .audit import seal

    return seal.key() if has_app_context() else None


class _Links:
    """The copy's audit chain in id order, counted as verify_chain walks it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0
        self.last_hash = GENESIS

    def __iter__(self) -> Iterator[ChainLink]:
        query = sa.select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
        for event in self.session.scalars(query):
            self.count += 1
            self.last_hash = event.hash
            yield ChainLink(event.id, event.prev_hash, event.hash, event.chain_fields())


@contextmanager
def sole_user(path: Path) -> Iterator[None]:
    """Hold the database alone while it is replaced, or refuse. Leaving WAL mode needs every
    other connection closed, and breachlog's connections stay open while it runs; the
    exclusive lock then keeps out anyone arriving before the rename."""
    with closing(sqlite3.connect(path, timeout=1, isolation_level=None)) as own:
        try:
            mode = own.execute("PRAGMA journal_mode=DELETE").fetchone()  # folds the -wal in
            alone = mode == ("delete",)
            if alone:
                own.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            alone = False
        if not alone:
            raise BackupRefused(
                f"Another process has {path} open. Stop breachlog first (the web server, "
                "`breachlog scheduler` and any other command) and run restore again; "
                "nothing was changed."
            )
        try:
            yield
        finally:
            own.execute("ROLLBACK")


def _sync(path: Path) -> None:
    """Flush a written file, or a folder after a rename, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
