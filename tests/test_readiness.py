"""/readyz answers 503, with the reason, whenever a monitor should wake someone up."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from breachlog import __version__, clock
from breachlog.extensions import db
from breachlog.ops import heartbeat
from breachlog.ops.readiness import expected_revisions
from breachlog.reminders import scheduler

from .reminder_helpers import T0, report, run


@pytest.fixture
def moment(monkeypatch):
    """The wall clock as the app reads it, set by the test."""
    now = {"now": T0}
    monkeypatch.setattr(clock, "now", lambda: now["now"])
    return now


@pytest.fixture
def stamped(app, moment):
    """The tests' tables come from create_all; say they are at the code's revision, as
    init-db would."""
    with app.app_context():
        stamp(expected_revisions())
    return app


def stamp(revisions: tuple[str, ...]) -> None:
    db.session.execute(
        sa.text(
            "CREATE TABLE IF NOT EXISTS alembic_version "
            "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
        )
    )
    db.session.execute(sa.text("DELETE FROM alembic_version"))
    for revision in revisions:
        db.session.execute(sa.text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    db.session.commit()


def readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.get_json()


def test_ready_when_the_database_is_current_and_a_sender_ticks(stamped, client):
    with stamped.app_context():
        heartbeat.beat(T0 - timedelta(seconds=30))
    status, body = readyz(client)
    assert (status, body["status"], body["problems"]) == (200, "ready", [])
    assert body["version"] == __version__
    assert body["schema"] == list(expected_revisions()) == body["expected_schema"]


def test_a_stopped_scheduler_with_a_reminder_overdue_is_not_ready(stamped, client, make, moment):
    """Before: /healthz said 200, "pending_overdue": 1, "status": "ok"."""
    with stamped.app_context():
        heartbeat.beat(T0 - timedelta(seconds=30))
    report(make, reporter=make.user("reporter"))  # its new-report mail is due at once
    moment["now"] = T0 + timedelta(minutes=10)  # and the scheduler stopped
    status, body = readyz(client)
    assert status == 503 and body["status"] == "not ready"
    assert body["problems"][0].startswith("no reminder sender running: none seen since 2026-03-10")
    assert "1 reminder(s) overdue and not sent" in body["problems"]


def test_gunicorn_with_the_scheduler_left_inline_is_not_ready(stamped, client):
    """Before: "running_here": false, "status": "ok" with 200. gunicorn workers never tick,
    so no heartbeat is ever written."""
    status, body = readyz(client)
    assert status == 503
    assert body["problems"] == [
        "no reminder sender running: none seen since the start (run `breachlog scheduler`, "
        "or `serve` with SCHEDULER = inline)"
    ]


def test_a_tick_of_the_scheduler_writes_the_heartbeat(stamped, client, moment):
    scheduler.run_tick(stamped)
    assert readyz(client)[0] == 200
    moment["now"] = T0 + timedelta(seconds=61)  # two ticks missed
    assert readyz(client)[0] == 503


def test_failed_mail_makes_it_not_ready(stamped, client, make, mailbox, moment):
    """Before: "degraded" came with 200."""
    stamped.config.update(SMTP_HOST=mailbox.host, SMTP_PORT=mailbox.port)
    make.user("officer", email="anna@example.nl")
    report(make, reporter=make.user("reporter"))
    mailbox.refuse_next("550 5.7.1 Relaying denied")
    with stamped.app_context():
        assert run(T0).failed
        heartbeat.beat(T0)
    status, body = readyz(client)
    assert status == 503
    assert body["problems"] == ["mail not delivered: 1 reminder(s) failed (see the dashboard)"]
    assert client.get("/healthz").status_code == 200  # the process itself answers


def test_a_database_behind_the_code_is_not_ready(stamped, client):
    with stamped.app_context():
        stamp(("0007",))
        heartbeat.beat(T0)
    status, body = readyz(client)
    assert status == 503
    assert body["schema"] == ["0007"]
    assert "run `breachlog init-db`" in body["problems"][0]


def test_an_unreachable_database_is_not_ready(tmp_path, moment):
    from breachlog import create_app

    from .conftest import app_config

    config = app_config(tmp_path, "sqlite") | {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "missing" / "db.sqlite")
    }
    status, body = readyz(create_app(config).test_client())
    assert status == 503
    assert body["problems"] == ["database unreachable: OperationalError"]
