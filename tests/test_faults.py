"""Faults: a read-only or full database, a lost connection, a process killed mid-write.

Each ends in a clear 503 (page or JSON) and a failing /healthz where that applies, never a
traceback, and never half an act in the database: an incident is there with its reference,
history and reminders, or not at all.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import namedtuple
from collections.abc import Callable
from contextlib import closing
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event

from breachlog import health
from breachlog.audit.models import AuditEvent
from breachlog.extensions import db
from breachlog.incidents.models import Incident, RefCounter
from breachlog.reminders.models import Reminder

from .conftest import PG_URL, app_config, pg_url
from .factories import PASSWORD, Factory
from .reminder_helpers import read_until

REPORT = {"title": "USB-stick met salarisgegevens kwijt", "discovered_at": "2026-03-09T14:30"}
STORAGE_MESSAGE = "its disk is full or it is read-only"
STORAGE_MESSAGE_NL = "de schijf is vol of de database is alleen-lezen"
RETRY_MESSAGE = "The database could not save this. Nothing was changed; please try again."


def people(app: Flask, language: str = "en") -> dict[str, Any]:
    """An organisation, a reporter (e-mail) and an API token of an officer."""
    from breachlog.auth import services as auth_services

    with app.app_context():
        make = Factory(app)
        make.organisation()
        reporter = make.user("reporter", language=language)
        officer = make.user("officer")
        token = auth_services.issue_api_token(officer, actor="test", now=make.now)
        db.session.commit()
        found = {"reporter": reporter.email, "bearer": {"Authorization": f"Bearer {token}"}}
        db.session.remove()
    return found


def login(client: Any, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def on_every_connection(app: Flask, statement: str) -> Callable[[], None]:
    """Run `statement` on each new database connection from now on; returns the undo."""
    with app.app_context():
        engine = db.engine

        def run(dbapi_connection: Any, record: Any) -> None:
            if engine.dialect.name == "postgresql":
                dbapi_connection.autocommit = True  # a SET inside a transaction is rolled back
                dbapi_connection.execute(statement)
                dbapi_connection.autocommit = False
            else:
                dbapi_connection.execute(statement)

        event.listen(engine, "connect", run)
        engine.dispose()

    def undo() -> None:
        with app.app_context():
            event.remove(engine, "connect", run)
            engine.dispose()

    return undo


def stored(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            "incidents": db.session.scalar(sa.select(sa.func.count(Incident.id))),
            "counters": db.session.scalar(sa.select(sa.func.count()).select_from(RefCounter)),
            "reported": db.session.scalar(
                sa.select(sa.func.count(AuditEvent.id)).where(
                    AuditEvent.action == "incident.reported"
                )
            ),
        }
        db.session.remove()
    return counts


NOTHING = {"incidents": 0, "counters": 0, "reported": 0}


def assert_clean_503(response: Any, message: str) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Content-Security-Policy" in response.headers
    text = response.get_data(as_text=True)
    assert message in text
    assert "Traceback" not in text and "sqlite3" not in text and "psycopg" not in text


# -- a database that takes no writes


def test_a_read_only_database_gives_a_clear_page_and_a_failing_healthz(app, client, backend):
    who = people(app, language="nl")  # the page needs no user row to speak the user's language
    login(client, who["reporter"])
    statement = {
        "sqlite": "PRAGMA query_only = ON",  # what a read-only file or folder does
        "postgresql": "SET default_transaction_read_only = on",  # what a standby does
    }[backend]
    writable_again = on_every_connection(app, statement)
    try:
        page = client.post("/report", data=REPORT)
        assert_clean_503(page, STORAGE_MESSAGE_NL)
        script = app.test_client()  # an API client, with no browser session
        api = script.post("/api/v1/incidents", json={"title": "x"}, headers=who["bearer"])
        assert_clean_503(api, STORAGE_MESSAGE)
        assert api.get_json() == {"error": api.get_json()["error"]}
        assert client.get("/mine").status_code == 200  # the register can still be read

        health = client.get("/healthz")
        assert health.status_code == 503
        body = health.get_json()
        assert body["status"] == "error"
        assert body["database"] == {
            "backend": backend,
            "ok": False,
            "writable": False,
            "error": "read-only",
        }
        assert stored(app) == NOTHING
    finally:
        writable_again()

    assert client.get("/healthz").get_json()["database"]["writable"] is True
    assert "registered as" not in client.get("/mine").get_data(as_text=True)
    again = client.post("/report", data=REPORT)
    assert again.status_code == 302 and again.headers["Location"].endswith("/DL-2026-0001")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_full_disk_gives_a_clear_page_and_saves_nothing(app, client):
    """A genuine SQLITE_FULL: the database may not grow by a single page."""
    who = people(app)
    login(client, who["reporter"])
    with app.app_context():
        pages = db.session.execute(sa.text("PRAGMA page_count")).scalar()
        db.session.remove()
    room_again = on_every_connection(app, f"PRAGMA max_page_count = {pages}")
    try:
        response = client.post("/report", data=REPORT | {"summary": "Wie, wat, waar. " * 1200})
        assert_clean_503(response, STORAGE_MESSAGE)
        assert stored(app) == NOTHING
    finally:
        room_again()
    assert client.post("/report", data=REPORT).headers["Location"].endswith("/DL-2026-0001")


def test_a_commit_refused_at_the_end_of_the_request_leaves_nothing_behind(
    app, client, monkeypatch
):
    """The act got through every rule and was flushed; the one commit of the request fails.
    Nothing is kept, and the browser is not told "registered as ..." on its next page."""
    who = people(app)
    login(client, who["reporter"])
    with app.app_context():
        dialect = db.engine.dialect

    def disk_full(connection: Any) -> None:
        raise dialect.loaded_dbapi.OperationalError("database or disk is full")

    monkeypatch.setattr(dialect, "do_commit", disk_full)
    response = client.post("/report", data=REPORT)
    assert_clean_503(response, STORAGE_MESSAGE)
    monkeypatch.undo()

    assert stored(app) == NOTHING
    mine = client.get("/mine").get_data(as_text=True)
    assert "registered as" not in mine and "DL-2026" not in mine
    assert client.post("/report", data=REPORT).headers["Location"].endswith("/DL-2026-0001")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_healthz_fails_when_the_disk_beside_the_database_is_nearly_full(app, client, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(health.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 10**6))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == {
        "backend": "sqlite",
        "ok": False,
        "writable": False,
        "error": "disk full",
    }


def test_healthz_says_the_database_takes_writes(app, client):
    body = client.get("/healthz").get_json()
    assert body["database"]["ok"] is True and body["database"]["writable"] is True


# -- a lost connection (PostgreSQL restarted, failed over, or a connection killed)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs BREACHLOG_TEST_DATABASE_URL")
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_lost_connection_fails_that_request_cleanly_and_the_next_one_works(app, client):
    who = people(app)
    login(client, who["reporter"])
    name = "bl-faults-" + os.urandom(6).hex()
    untag = on_every_connection(app, f"SET application_name = '{name}'")
    admin = sa.create_engine(pg_url())

    def kill_connections() -> None:
        with admin.begin() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    armed = {"on": False}

    def mid_act(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # the incident row is written, its history and reminders are not yet
        if armed["on"] and statement.startswith("INSERT INTO incidents"):
            armed["on"] = False
            kill_connections()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", mid_act)
    try:
        assert client.get("/mine").status_code == 200
        kill_connections()  # between requests: the pool notices before using it
        assert client.get("/mine").status_code == 200

        armed["on"] = True
        assert_clean_503(client.post("/report", data=REPORT), RETRY_MESSAGE)
        assert not armed["on"]  # the connection was killed in the middle of the act
        armed["on"] = True
        api = client.post("/api/v1/incidents", json={"title": "x"}, headers=who["bearer"])
        assert_clean_503(api, RETRY_MESSAGE)
        assert not armed["on"]
        assert stored(app) == NOTHING

        response = client.post("/report", data=REPORT)
        assert response.headers["Location"].endswith("/DL-2026-0001")
    finally:
        event.remove(engine, "after_cursor_execute", mid_act)
        untag()
        admin.dispose()


# -- a process killed in the middle of writing


WRITER = """
import json, sys
from breachlog import create_app

app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
login = client.post("/login", data={"email": sys.argv[2], "password": sys.argv[3]})
assert login.status_code == 302, login.status_code
print("ready", flush=True)
number = 0
while True:
    number += 1
    title = f"Laptop {number} {sys.argv[4]} verloren"
    data = {"title": title, "discovered_at": "2026-03-09T14:30", "summary": "Klantgegevens. " * 50}
    response = client.post("/report", data=data)
    assert response.status_code == 302, response.status_code
    print(number, flush=True)
"""


def start_writer(app: Flask, config: dict[str, Any], email: str, tag: str) -> subprocess.Popen:
    """A process reporting incidents through the web form, one request after another."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, json.dumps(config), email, PASSWORD, tag],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    read_until(child.stdout, "ready", timeout=60)
    return child


def stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    child.stdout.close()


def reports_made(output: str) -> int:
    numbers = [int(line) for line in output.split() if line.isdigit()]
    return max(numbers, default=0)


def assert_every_incident_whole(app: Flask) -> list[str]:
    """Each incident with its reported event and reminders; per year refs 1..n, counter n."""
    with app.app_context():
        incidents = db.session.scalars(sa.select(Incident).order_by(Incident.id)).all()
        ids = {incident.id for incident in incidents}
        reported = db.session.scalars(
            sa.select(AuditEvent.incident_id).where(AuditEvent.action == "incident.reported")
        ).all()
        reminded = set(db.session.scalars(sa.select(Reminder.incident_id)))
        counters = dict(db.session.execute(sa.select(RefCounter.year, RefCounter.last_seq)).all())
        refs = [incident.ref for incident in incidents]
        db.session.remove()
    assert sorted(reported) == sorted(ids)  # exactly one each
    assert reminded == ids
    for year, last in counters.items():
        of_year = [ref for ref in refs if ref.startswith(f"DL-{year}-")]
        assert of_year == [f"DL-{year}-{n:04d}" for n in range(1, last + 1)]
    assert sum(counters.values()) == len(refs)
    return refs


@pytest.mark.parametrize("backend", ["sqlite"])
def test_kill_9_while_reporting_leaves_no_half_written_incident(app, tmp_path, runner):
    who = people(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    config = app_config(tmp_path, "sqlite")
    database = tmp_path / "test.sqlite"
    acknowledged = 0
    for round_ in range(2):  # the second writer starts on what the killed one left
        child = start_writer(app, config, who["reporter"], f"r{round_}")
        try:
            seen = read_until(child.stdout, "\n3\n", timeout=30)
            time.sleep(random.uniform(0, 0.05))  # into one of the next requests, anywhere
            os.kill(child.pid, signal.SIGKILL)
            seen += child.stdout.read().decode()
        finally:
            stop(child)
        assert child.returncode == -signal.SIGKILL
        before, acknowledged = acknowledged, acknowledged + reports_made(seen)
        assert acknowledged > before

    with closing(sqlite3.connect(database)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    refs = assert_every_incident_whole(app)
    # every acknowledged report is kept; at most the one in flight per kill besides
    assert acknowledged <= len(refs) <= acknowledged + 2
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "Audit chain intact" in result.output
