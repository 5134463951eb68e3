"""`breachlog backup` and `restore` on PostgreSQL, and what a restore does to reminders."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from breachlog import clock, create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.incidents.models import Incident
from breachlog.reminders.held import HELD
from breachlog.reminders.models import FAILED, Reminder

from .conftest import PG_URL, app_config, pg_url
from .factories import Factory
from .reminder_helpers import T0

needs_postgres = pytest.mark.skipif(not PG_URL, reason="needs BREACHLOG_TEST_DATABASE_URL")


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> dict:
    now = {"now": T0}
    monkeypatch.setattr(clock, "now", lambda: now["now"])
    return now


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[Flask]:
    """A database of its own (pg_dump takes a whole database), owned by a role that is not a
    superuser, with pg_trgm installed by the superuser, as the README's fallback leaves it."""
    name = "bl_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{name}" LOGIN'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    superuser_url = sa.make_url(pg_url()).set(database=name)
    superuser = sa.create_engine(superuser_url)
    with superuser.begin() as conn:
        conn.execute(sa.text("CREATE EXTENSION pg_trgm"))
    superuser.dispose()
    url = superuser_url.set(username=name, password=None)
    app = create_app(
        app_config(tmp_path, "sqlite")
        | {"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)}
    )
    with app.app_context():
        db.create_all()
        db.session.execute(
            sa.text("CREATE INDEX ix_trgm ON incidents USING gin (title gin_trgm_ops)")
        )
        catalogue.seed()
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE "{name}"'))
        admin.dispose()


def titles(app: Flask) -> list[str]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Incident.title).order_by(Incident.id)))
        db.session.remove()
        return found


@needs_postgres
def test_backup_on_postgresql_is_a_private_dump_and_keeps_the_newest(
    own_database: Flask, tmp_path: Path, moment: dict
) -> None:
    """Before: it printed a pg_dump command and exited 2; the cron line failed every night."""
    folder = tmp_path / "backups"
    folder.mkdir()
    runner = own_database.test_cli_runner()
    for hour in range(3):
        moment["now"] = T0 + timedelta(hours=hour)
        result = runner.invoke(args=["backup", "-o", str(folder), "--keep", "2"])
        assert result.exit_code == 0, result.output
    dumps = sorted(folder.iterdir())
    assert [d.name for d in dumps] == [
        "breachlog-2026-03-10T100000Z.dump",
        "breachlog-2026-03-10T110000Z.dump",
    ]
    assert all(d.stat().st_mode & 0o777 == 0o600 for d in dumps)
    listed = subprocess.run(["pg_restore", "--list", str(dumps[-1])], capture_output=True)
    assert b"TABLE DATA public incidents" in listed.stdout


@needs_postgres
def test_restore_on_postgresql_brings_back_the_data_despite_an_extension_of_another_owner(
    own_database: Flask, tmp_path: Path, moment: dict
) -> None:
    """Before: the README's pg_restore exited 1, "must be owner of extension pg_trgm"."""
    with own_database.app_context():
        make = Factory(own_database)
        make.user("officer", email="anna@example.nl")
        make.incident(title="Laptop in de trein laten liggen", now=T0)  # a mail due at once
        db.session.remove()
    runner = own_database.test_cli_runner()
    dump = tmp_path / "before.dump"
    assert runner.invoke(args=["backup", "-o", str(dump)]).exit_code == 0
    with own_database.app_context():
        Factory(own_database).incident(title="Na de backup gemeld")
        db.session.remove()
    moment["now"] = T0 + timedelta(hours=1)
    result = runner.invoke(args=["restore", str(dump), "--yes"])
    assert result.exit_code == 0, result.output
    assert titles(own_database) == ["Laptop in de trein laten liggen"]
    # as on SQLite (below): what the backup had waiting may have gone out since
    assert "1 reminder(s) were waiting in the backup and are held" in result.output
    with own_database.app_context():
        held = db.session.scalars(sa.select(Reminder).where(Reminder.status == FAILED)).all()
        assert [(row.kind, row.last_error) for row in held] == [("new_report", HELD)]
        db.session.remove()


@pytest.fixture
def new_database() -> Iterator[tuple[sa.URL, str]]:
    """An empty database owned by a role that is not a superuser, as on a new server after
    the README's step 3; yields its URL and its name."""
    name = "bl_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{name}" LOGIN'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    try:
        yield sa.make_url(pg_url()).set(database=name, username=name, password=None), name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE "{name}"'))
        admin.dispose()


def restored_app(url: sa.URL, tmp_path: Path) -> Flask:
    uri = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_app(app_config(tmp_path / "new", "sqlite") | {"SQLALCHEMY_DATABASE_URI": uri})


@needs_postgres
def test_restore_on_a_new_database_installs_the_extension_the_backup_needs(
    own_database: Flask, new_database: tuple[sa.URL, str], tmp_path: Path, moment: dict
) -> None:
    """Before: pg_restore failed on a new server, 'operator class gin_trgm_ops does not
    exist', since the restore leaves the dump's extensions out."""
    with own_database.app_context():
        Factory(own_database).incident(title="Laptop in de trein laten liggen")
        db.session.remove()
    dump = tmp_path / "before.dump"
    assert own_database.test_cli_runner().invoke(args=["backup", "-o", str(dump)]).exit_code == 0
    url, _ = new_database
    elsewhere = restored_app(url, tmp_path)
    result = elsewhere.test_cli_runner().invoke(args=["restore", str(dump), "--yes"])
    assert result.exit_code == 0, result.output
    assert titles(elsewhere) == ["Laptop in de trein laten liggen"]
    with elsewhere.app_context():
        db.engine.dispose()


@needs_postgres
def test_restore_says_who_can_install_an_extension_the_role_may_not(
    own_database: Flask, new_database: tuple[sa.URL, str], tmp_path: Path, moment: dict
) -> None:
    dump = tmp_path / "before.dump"
    assert own_database.test_cli_runner().invoke(args=["backup", "-o", str(dump)]).exit_code == 0
    url, name = new_database
    admin = sa.create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'REVOKE CREATE ON DATABASE "{name}" FROM "{name}"'))
    admin.dispose()
    elsewhere = restored_app(url, tmp_path)
    result = elsewhere.test_cli_runner().invoke(args=["restore", str(dump), "--yes"])
    assert result.exit_code == 2
    assert "A database superuser runs `CREATE EXTENSION pg_trgm;`" in result.output
    assert "The database was not changed." in result.output
    with elsewhere.app_context():
        tables = sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
    assert tables == []


def test_after_a_restore_reminders_that_may_have_gone_out_are_held(
    app: Flask, tmp_path: Path, moment: dict
) -> None:
    """Before: reminders sent after the backup went out again, with the same Message-ID."""
    with app.app_context():
        make = Factory(app)
        make.user("officer", email="anna@example.nl")
        incident = make.incident(now=T0)  # its new-report mail is due at once
        ref = incident.ref
        db.session.remove()
    runner = app.test_cli_runner()
    backend = app.config["SQLALCHEMY_DATABASE_URI"]
    if not backend.startswith("sqlite"):
        pytest.skip("the PostgreSQL restore is tested on a database of its own above")
    copy = tmp_path / "copy.sqlite"
    assert runner.invoke(args=["backup", "-o", str(copy)]).exit_code == 0
    moment["now"] = T0 + timedelta(hours=1)
    with app.app_context():
        db.engine.dispose()
    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) were waiting in the backup and are held" in result.output
    with app.app_context():
        held = db.session.scalars(sa.select(Reminder).where(Reminder.status == FAILED)).all()
        assert [(row.kind, row.last_error) for row in held] == [("new_report", HELD)]
        later = db.session.scalars(sa.select(Reminder).where(Reminder.status != FAILED)).all()
        assert later and all(row.due_at > moment["now"] for row in later)  # still to come
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"email": "anna@example.nl", "password": "correct horse battery"})
    dashboard = client.get("/").get_data(as_text=True)
    assert "1 reminder could not be sent" in dashboard and ref in dashboard
    assert "Held after restoring a backup" in dashboard
