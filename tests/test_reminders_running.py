"""What drives the tick: the command, and the scheduler (never in tests, never twice)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from breachlog import create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.reminders import scheduler, smtp
from breachlog.reminders import tick as outbox
from breachlog.reminders.models import Reminder

from .conftest import app_config
from .factories import Factory
from .reminder_helpers import T0, read_until

# -- the command


def test_reminders_tick_sends_what_is_due_and_says_so(mail_app, make, runner, mailbox):
    make.user("officer", email="anna@example.nl")
    incident = make.incident()  # reported just now: the officers hear of it on the next tick
    result = runner.invoke(args=["reminders", "tick"])
    assert result.exit_code == 0, result.output
    assert f"sent        {incident.ref} new-report" in result.output
    assert "Reminders: 1 sent, 0 to retry, 0 failed, 0 superseded, 0 cancelled." in result.output
    assert len(mailbox.messages) == 1

    again = runner.invoke(args=["reminders", "tick"])
    assert again.exit_code == 0
    assert "Reminders: 0 sent" in again.output
    assert len(mailbox.messages) == 1


def test_reminders_tick_exits_0_when_the_mail_server_is_away(mail_app, make, runner):
    from .mailbox import free_port

    make.user("officer")
    make.incident()
    mail_app.config["SMTP_PORT"] = free_port()
    result = runner.invoke(args=["reminders", "tick"])
    assert result.exit_code == 0
    assert "retry later" in result.output and "1 to retry" in result.output


# -- the scheduler


def test_the_scheduler_is_not_started_by_create_app_or_in_tests(app):
    assert not scheduler.is_running()
    assert not any(thread.name.startswith("APScheduler") for thread in threading.enumerate())
    assert not scheduler.should_start_inline(app.config, use_reloader=False, environ={})


@pytest.mark.parametrize(
    ("mode", "use_reloader", "environ", "starts"),
    [
        ("inline", False, {}, True),  # `breachlog serve`: waitress, no reloader
        ("inline", True, {}, False),  # the reloader's parent only watches files
        ("inline", True, {"WERKZEUG_RUN_MAIN": "true"}, True),  # its child serves
        ("off", False, {}, False),  # several web processes; `breachlog scheduler` runs alone
    ],
)
def test_the_inline_scheduler_runs_in_the_serving_process_only(
    mode, use_reloader, environ, starts
):
    config = {"SCHEDULER": mode, "TESTING": False}
    assert scheduler.should_start_inline(config, use_reloader=use_reloader, environ=environ) is (
        starts
    )
    assert not scheduler.should_start_inline(
        {**config, "TESTING": True}, use_reloader=False, environ={}
    )


class FakeScheduler:
    def __init__(self) -> None:
        self.running = False

    def start(self) -> None:
        self.running = True

    def shutdown(self, wait: bool = True) -> None:
        self.running = False


def test_serve_starts_one_scheduler_and_not_one_under_the_reloader_parent(monkeypatch):
    created: list[FakeScheduler] = []

    def create(app: Any, stop: Any = None) -> FakeScheduler:
        created.append(FakeScheduler())
        return created[-1]

    monkeypatch.setattr(scheduler, "create", create)
    app = SimpleNamespace(config={"SCHEDULER": "inline", "TESTING": False})
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    try:
        assert scheduler.start_inline(app, use_reloader=True) is None
        assert created == []
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
        first = scheduler.start_inline(app, use_reloader=True)
        assert scheduler.start_inline(app, use_reloader=True) is first  # never a second one
        assert len(created) == 1 and scheduler.is_running()
    finally:
        scheduler.shutdown_inline()
    assert not scheduler.is_running()


def test_the_job_ticks_every_30_seconds_from_the_start(app):
    job = scheduler.create(app).get_job(scheduler.JOB_ID)
    assert job.trigger.interval == timedelta(seconds=30)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
    assert abs(job.next_run_time - outbox_now()) < timedelta(seconds=5)


def outbox_now():
    from breachlog import clock

    return clock.now()


def test_the_job_logs_a_failing_tick_and_lives_on(app, monkeypatch, caplog):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(outbox, "tick", broken)
    with caplog.at_level(logging.ERROR, logger="breachlog.reminders.scheduler"):
        assert scheduler.run_tick(app) is None
    assert "reminder tick failed" in caplog.text and "database went away" in caplog.text


def test_a_stopping_tick_gives_back_what_it_claimed_but_did_not_send(mail_app, make, mailbox):
    make.user("officer")
    reporter = make.user("reporter")
    for _ in range(3):
        make.incident(reporter=reporter, now=T0)
    asked = []

    def stop_after_one() -> bool:
        asked.append(True)
        return len(asked) > 1

    result = outbox.tick(T0, smtp.send, should_stop=stop_after_one)
    assert len(result.sent) == 1 and len(mailbox.messages) == 1
    statuses = db.session.scalars(sa.select(Reminder.status).where(Reminder.due_at <= T0))
    assert sorted(statuses) == ["pending", "pending", "sent"]  # not left to a lease
    assert len(outbox.tick(T0, smtp.send).sent) == 2


def test_breachlog_scheduler_sends_at_start_and_stops_cleanly_on_sigterm(tmp_path, mailbox):
    url = "sqlite:///" + str(tmp_path / "breachlog.sqlite")
    config = {**app_config(tmp_path, "sqlite"), "SQLALCHEMY_DATABASE_URI": url}
    app = create_app(config)
    with app.app_context():
        db.create_all()
        catalogue.seed()
        make = Factory(app)
        make.user("officer", email="anna@example.nl")
        ref = make.incident().ref
        db.session.remove()
        db.engine.dispose()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "BREACHLOG_INSTANCE_PATH": str(tmp_path / "instance"),
        "BREACHLOG_DATABASE_URL": url,
        "BREACHLOG_SECRET_KEY": "test-secret",
        "BREACHLOG_SMTP_HOST": mailbox.host,
        "BREACHLOG_SMTP_PORT": str(mailbox.port),
        "BREACHLOG_BASE_URL": "http://breachlog.test",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from breachlog.cli import main; main()", "scheduler"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        read_until(process.stdout, "Sending reminders every 30 seconds", timeout=60)
        read_until(process.stderr, f"{ref} new-report", timeout=60)  # the first run
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert b"Stopped." in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert len(mailbox.messages) == 1
