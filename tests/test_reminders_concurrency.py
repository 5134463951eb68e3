"""Two ticks in two processes at once, against PostgreSQL: every reminder goes out once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from breachlog import create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.reminders.models import SENT, Reminder

from .conftest import PG_URL, app_config, pg_url
from .factories import Factory
from .reminder_helpers import T0, read_until

CHILD = """
import json, sys
from datetime import datetime
from breachlog import create_app
from breachlog.extensions import db
from breachlog.reminders import smtp, tick

config, now, worker = json.loads(sys.argv[1]), datetime.fromisoformat(sys.argv[2]), sys.argv[3]
app = create_app(config)
with app.app_context():
    db.session.execute(db.text("SELECT 1"))
    db.session.rollback()
    print("ready", flush=True)
    sys.stdin.readline()
    result = tick.tick(now, smtp.send, worker=worker)
    print("sent " + json.dumps(result.sent), flush=True)
"""


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs BREACHLOG_TEST_DATABASE_URL")
def test_two_ticks_in_two_processes_send_every_reminder_exactly_once(tmp_path, mailbox):
    schema = "t_two_ticks_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(pg_url())
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(sa.text(f'SET search_path TO "{schema}"'))
        db.metadata.create_all(conn)
    config = {
        **app_config(tmp_path, "postgresql", schema),
        "SMTP_HOST": mailbox.host,
        "SMTP_PORT": mailbox.port,
        "SMTP_TIMEOUT": 10,
    }
    app = create_app(config)
    try:
        with app.app_context():
            catalogue.seed()
            make = Factory(app)
            org = make.organisation()
            make.user("officer", email="anna@example.nl")
            reporter = make.user("reporter")
            for number in range(200):
                incident_services.report_incident(
                    reporter,
                    org,
                    {
                        "title": f"Mail aan verkeerde klant {number}",
                        "aware_at": T0 - timedelta(hours=1),
                    },
                    T0,
                )
            db.session.commit()
            due = set(db.session.scalars(sa.select(Reminder.id).where(Reminder.due_at <= T0)))
            assert len(due) == 200  # one new-report mail per incident
            db.session.remove()
            db.engine.dispose()

        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, json.dumps(config), T0.isoformat(), f"tick-{n}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            for n in (1, 2)
        ]
        try:
            for child in children:
                read_until(child.stdout, "ready", timeout=60)
            for child in children:  # both start their tick at the same moment
                child.stdin.write(b"go\n")
                child.stdin.flush()
            outputs = [child.communicate(timeout=120)[0].decode() for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
        assert [child.returncode for child in children] == [0, 0], outputs
        sent = [json.loads(out.split("sent ", 1)[1]) for out in outputs]
        assert not set(sent[0]) & set(sent[1])  # no reminder sent by both
        assert len(sent[0]) + len(sent[1]) == 200

        message_ids = [str(message["Message-ID"]) for message in mailbox.messages]
        assert len(message_ids) == len(set(message_ids)) == 200  # no duplicate, none missing
        assert set(message_ids) == {f"<reminder-{id}-en@breachlog.test>" for id in due}
        with app.app_context():
            statuses = db.session.scalars(sa.select(Reminder.status).where(Reminder.id.in_(due)))
            assert set(statuses) == {SENT}
            db.session.remove()
            db.engine.dispose()
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
