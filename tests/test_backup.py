"""`breachlog backup` while reports come in, and `breachlog restore` of a checked copy."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from breachlog import create_app
from breachlog.audit.models import AuditEvent
from breachlog.extensions import db
from breachlog.incidents.models import Incident

from .conftest import app_config
from .factories import Factory
from .reminder_helpers import read_until
from .test_faults import assert_every_incident_whole, people, reports_made, start_writer, stop

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


def refs_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as raw:
        return [row[0] for row in raw.execute("SELECT ref FROM incidents ORDER BY id")]


def app_on(tmp_path: Path, database: Path) -> Flask:
    return create_app(
        app_config(tmp_path, "sqlite") | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )


def report(app: Flask, count: int) -> None:
    with app.app_context():
        make = Factory(app)
        reporter = make.user("reporter", email=f"melder-{os.urandom(4).hex()}@example.nl")
        for number in range(count):
            make.incident(reporter=reporter, title=f"Brief {number} naar verkeerd adres")
        db.session.remove()
        db.engine.dispose()


@sqlite_only
def test_backup_while_reports_come_in_is_a_consistent_checked_copy(app, tmp_path, runner):
    who = people(app)
    with app.app_context():
        db.engine.dispose()
    child = start_writer(app, app_config(tmp_path, "sqlite"), who["reporter"], "b")
    copy = tmp_path / "backups" / "breachlog-2026-03-10.sqlite"
    copy.parent.mkdir()
    try:
        seen = read_until(child.stdout, "\n3\n", timeout=30)
        result = runner.invoke(args=["backup", "-o", str(copy)])
        seen += read_until(child.stdout, "\n", timeout=30)  # the writer was not held up
        made_before = reports_made(seen)
        seen += read_until(child.stdout, f"\n{made_before + 2}\n", timeout=30)
    finally:
        stop(child)
    assert result.exit_code == 0, result.output
    assert f"Backed up to {copy}: integrity ok" in result.output
    assert "audit chain intact" in result.output

    assert sorted(path.name for path in copy.parent.iterdir()) == [copy.name]  # one file
    with closing(sqlite3.connect(copy)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    backed_up = app_on(tmp_path, copy)
    refs = assert_every_incident_whole(backed_up)  # each one whole, refs gapless
    assert 3 <= len(refs) < len(refs_in(tmp_path / "test.sqlite"))
    verified = backed_up.test_cli_runner().invoke(args=["verify-audit"])
    assert verified.exit_code == 0, verified.output


@sqlite_only
def test_restore_puts_back_a_checked_backup_and_keeps_the_database_it_replaces(
    app, tmp_path, runner, client
):
    database = tmp_path / "test.sqlite"
    report(app, 2)
    copy = tmp_path / "monday.sqlite"
    assert runner.invoke(args=["backup", "-o", str(copy)]).exit_code == 0
    report(app, 1)  # made after the backup: gone after the restore, kept in the safety copy
    assert len(refs_in(database)) == 3

    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert "2 incidents, audit chain intact" in result.output
    kept = list(tmp_path.glob("test.before-restore-*.sqlite"))
    assert len(kept) == 1 and f"kept in {kept[0]}" in result.output
    assert refs_in(database) == ["DL-2026-0001", "DL-2026-0002"]
    assert refs_in(kept[0]) == ["DL-2026-0001", "DL-2026-0002", "DL-2026-0003"]
    assert not (tmp_path / "test.sqlite.restore.part").exists()

    assert runner.invoke(args=["verify-audit"]).exit_code == 0
    report(app, 1)  # the app carries on with the restored counter
    assert refs_in(database)[-1] == "DL-2026-0003"
    assert client.get("/healthz").status_code == 200


@sqlite_only
def test_restore_refuses_while_the_database_is_in_use(app, tmp_path, runner):
    report(app, 1)
    copy = tmp_path / "copy.sqlite"
    assert runner.invoke(args=["backup", "-o", str(copy)]).exit_code == 0
    report(app, 1)
    # a connection kept open, as a running breachlog keeps its own
    with closing(sqlite3.connect(tmp_path / "test.sqlite")) as running:
        running.execute("SELECT count(*) FROM incidents").fetchone()
        result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 2
    assert "Another process has" in result.output and "Stop breachlog first" in result.output
    assert len(refs_in(tmp_path / "test.sqlite")) == 2
    assert not list(tmp_path.glob("*before-restore*"))


@sqlite_only
def test_restore_refuses_a_damaged_or_tampered_backup_and_changes_nothing(app, tmp_path, runner):
    report(app, 2)
    tampered = tmp_path / "tampered.sqlite"
    assert runner.invoke(args=["backup", "-o", str(tampered)]).exit_code == 0
    with closing(sqlite3.connect(tampered)) as raw:  # someone softens what the history says
        raw.execute("UPDATE audit_events SET actor = 'someone else' WHERE id = 2")
        raw.commit()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all " * 100)
    not_ours = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(not_ours)) as raw:
        raw.execute("CREATE TABLE notes (text)")

    for bad, reason in (
        (tampered, "audit chain broken at event 2"),
        (garbage, "is not a SQLite database"),
        (not_ours, "not a breachlog database"),
        (tmp_path / "missing.sqlite", "There is no file"),
    ):
        result = runner.invoke(args=["restore", str(bad), "--yes"])
        assert result.exit_code == 2, result.output
        assert reason in result.output
    declined = runner.invoke(args=["restore", str(tampered)], input="n\n")
    assert declined.exit_code == 1 and "Replace" in declined.output

    assert len(refs_in(tmp_path / "test.sqlite")) == 2
    assert not list(tmp_path.glob("*before-restore*")) and not list(tmp_path.glob("*.part"))
    assert not (tmp_path / "missing.sqlite").exists()


@sqlite_only
def test_backup_notes_a_damaged_history_in_the_copy_and_exits_1(app, tmp_path, runner):
    report(app, 1)
    with app.app_context():
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == 1).values(reason="x"))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 1
        db.session.remove()
    copy = tmp_path / "copy.sqlite"
    result = runner.invoke(args=["backup", "-o", str(copy)])
    assert result.exit_code == 1
    assert "audit chain broken at event 1" in result.output
    assert copy.exists()  # the copy is still worth keeping; it shows what was there


@sqlite_only
def test_restore_help_says_to_stop_breachlog_first(runner):
    text = runner.invoke(args=["restore", "--help"]).output
    assert "Stop breachlog first" in text and "cannot always know" in text
