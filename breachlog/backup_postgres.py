"""`breachlog backup` and `restore` on PostgreSQL, with PostgreSQL's own pg_dump and pg_restore.

pg_dump reads one snapshot, so a backup is consistent while breachlog writes. The dump is
written through a file this process created readable by its owner only, then checked by
listing its contents with pg_restore. A restore runs in one transaction, so a failure
changes nothing; it leaves out the extensions (pg_trgm) the dump names: they belong to the
database's owner or a superuser, survive the restore in place, and a breachlog role that
does not own them could neither drop nor create them. A new, empty database (a restore on
another server) has none yet, and the indexes in the dump need them: those missing are
created first, which the database's owner may do for pg_trgm; where it may not, the restore
says so and changes nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .backup import BackupRefused, Checked

TIMEOUT_SECONDS = 3600
# an entry of `pg_restore --list`: "2; 3079 55102 EXTENSION - pg_trgm"
EXTENSION_ENTRY = re.compile(r"^\d+; \d+ \d+ EXTENSION - (\S+)")


def libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """The connection URL for pg_dump and pg_restore, and the environment carrying the
    password: a command line is visible to every user of the machine, the environment not."""
    plain = sa.URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _run(
    command: list[str], env: dict[str, str], **options: Any
) -> subprocess.CompletedProcess[bytes]:
    try:
        options.setdefault("stdout", subprocess.PIPE)
        return subprocess.run(
            command, env=env, stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, **options
        )
    except FileNotFoundError:
        raise BackupRefused(
            f"{command[0]} is not installed; install PostgreSQL's client programs "
            "(postgresql-client) in the version of the server or newer."
        ) from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode(errors="replace") if isinstance(result.stderr, bytes) else ""
    return " ".join(text.split())[:1000] or f"exit status {result.returncode}"


def backup(url: sa.URL, output: Path) -> Checked:
    target, env = libpq(url)
    output = output.resolve()
    if not output.parent.is_dir():
        raise BackupRefused(f"There is no folder {output.parent}.")
    part = output.with_name(output.name + ".part")
    part.unlink(missing_ok=True)
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            dumped = _run(["pg_dump", "--format=custom", f"--dbname={target}"], env, stdout=out)
        if dumped.returncode != 0:
            raise BackupRefused(f"pg_dump failed, no backup was made: {_said(dumped)}")
        listed = _run(["pg_restore", "--list", str(part)], env)
        if listed.returncode != 0:
            raise BackupRefused(f"The dump cannot be read back: {_said(listed)}")
        part.replace(output)
    except OSError as exc:
        raise BackupRefused(f"Cannot back up to {output}: {exc}.") from None
    finally:
        part.unlink(missing_ok=True)
    contents = listed.stdout.decode(errors="replace")
    checked = Checked(output)
    checked.problems = [] if " TABLE DATA " in contents else ["the dump holds no table data"]
    return checked


def restore(url: sa.URL, backup_file: Path, work_folder: Path) -> None:
    target, env = libpq(url)
    if not backup_file.is_file():
        raise BackupRefused(f"There is no file {backup_file}.")
    listed = _run(["pg_restore", "--list", str(backup_file)], env)
    if listed.returncode != 0:
        raise BackupRefused(f"{backup_file} is not a dump made by pg_dump: {_said(listed)}")
    lines = listed.stdout.decode(errors="replace").splitlines()
    wanted = [
        line for line in lines if " EXTENSION " not in line and "COMMENT - EXTENSION" not in line
    ]
    install_missing_extensions(
        url, [m.group(1) for m in map(EXTENSION_ENTRY.match, lines) if m is not None]
    )
    contents = work_folder / "restore-contents.list"
    contents.write_text("\n".join(wanted) + "\n")
    try:
        restored = _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--use-list={contents}",
                f"--dbname={target}",
                str(backup_file),
            ],
            env,
        )
    finally:
        contents.unlink(missing_ok=True)
    if restored.returncode != 0:
        raise BackupRefused(f"pg_restore failed, the database was not changed: {_said(restored)}")


def install_missing_extensions(url: sa.URL, names: list[str]) -> None:
    """Create the extensions the dump needs that the database lacks, or refuse, saying who
    can create them."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            present = set(connection.scalars(sa.text("SELECT extname FROM pg_extension")))
            for name in names:
                if name in present:
                    continue
                quoted = '"' + name.replace('"', '""') + '"'
                try:
                    connection.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {quoted}"))
                except sa.exc.DBAPIError as exc:
                    reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
                    raise BackupRefused(
                        f"The backup needs the PostgreSQL extension {name}, which database "
                        f"{url.database} does not have and this role cannot create ({reason}). "
                        f"A database superuser runs `CREATE EXTENSION {name};` in it; then run "
                        "the restore again. The database was not changed."
                    ) from None
    except sa.exc.OperationalError as exc:
        raise BackupRefused(f"Cannot reach the database {url.database}: {exc.orig}") from None
    finally:
        engine.dispose()
