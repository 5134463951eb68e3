"""Reminders under faults: a slow mail server with two senders, a database connection lost
between the mail server's OK and the status write. Every mail is counted: none twice, none
lost."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from breachlog import clock
from breachlog.extensions import db
from breachlog.reminders import smtp
from breachlog.reminders import tick as outbox
from breachlog.reminders.models import SENT, Reminder

from .conftest import pg_url
from .factories import Factory
from .mailbox import Mailbox
from .reminder_helpers import T0

LEASE = timedelta(seconds=1)  # short, so a slow server outlasts it within the test


def due_reminders(app: Flask, count: int) -> set[int]:
    """`count` new reports, each with one new-report mail due at T0."""
    with app.app_context():
        make = Factory(app)
        org = make.organisation()
        reporter = make.user("reporter")
        make.user("officer", email="anna@example.nl")
        for number in range(count):
            make.incident(org, reporter, now=T0, title=f"Mail aan verkeerde klant {number}")
        due = set(db.session.scalars(sa.select(Reminder.id).where(Reminder.due_at <= T0)))
        db.session.remove()
    assert len(due) == count
    return due


def assert_each_sent_once(app: Flask, mailbox: Mailbox, due: set[int]) -> None:
    ids = Counter(str(message["Message-ID"]) for message in mailbox.messages)
    assert [mid for mid, seen in ids.items() if seen > 1] == []  # no duplicate
    assert set(ids) == {f"<reminder-{id}-en@breachlog.test>" for id in due}  # none lost
    with app.app_context():
        statuses = sa.select(Reminder.status).where(Reminder.id.in_(due))
        assert set(db.session.scalars(statuses)) == {SENT}
        db.session.remove()


def test_two_senders_with_a_slow_mail_server_send_each_reminder_once(mail_app, mailbox):
    """A scheduler's long tick and cron ticks beside it; the server takes longer per batch
    than the lease, so the cron ticks take over rows the scheduler has not reached yet."""
    due = due_reminders(mail_app, 12)
    mailbox.delay = 0.25  # 12 mails take 3 s, the batch's lease 1 s
    since_start = clock.stopwatch()
    done = threading.Event()
    results: dict[str, list[str]] = {"scheduler": [], "cron": []}
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            with mail_app.app_context(), smtp.Session() as send:
                results["scheduler"] = outbox.tick(T0, send, worker="scheduler", lease=LEASE).sent
                db.session.remove()
        except BaseException as error:  # pragma: no cover - shown by the assert below
            errors.append(error)
        finally:
            done.set()

    def cron() -> None:
        try:
            while not done.is_set():
                with mail_app.app_context():
                    now = T0 + since_start()  # as cron passes the wall clock of its start
                    results["cron"] += outbox.tick(now, smtp.send, worker="cron", lease=LEASE).sent
                    db.session.remove()
                done.wait(0.2)
        except BaseException as error:  # pragma: no cover
            errors.append(error)

    threads = [threading.Thread(target=scheduler), threading.Thread(target=cron)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert results["cron"], "the cron ticks took over part of the batch"
    assert not set(results["scheduler"]) & set(results["cron"])
    assert len(results["scheduler"]) + len(results["cron"]) == len(due)
    assert_each_sent_once(mail_app, mailbox, due)


def test_a_sender_whose_lease_ran_out_sends_nothing(mail_app, mailbox):
    due = due_reminders(mail_app, 2)
    with mail_app.app_context():
        claimed = outbox.claim(T0, "slow-host:1", lease=LEASE)
        assert set(claimed) == due
        result = outbox.TickResult()
        for row_id in claimed:  # its lease ran out while it waited: another may have them now
            outbox.process(
                row_id, "slow-host:1", T0, smtp.send, result, LEASE, lambda: T0 + 2 * LEASE
            )
        assert result.sent == [] and mailbox.messages == []
        assert len(outbox.tick(T0 + 2 * LEASE, smtp.send, worker="other").sent) == 2
        db.session.remove()
    assert_each_sent_once(mail_app, mailbox, due)


class Restart:
    """Right after the mail server's OK: the database connection in use is killed, and the
    next `refusals` connection attempts are refused, as while a database restarts."""

    def __init__(self, app: Flask, backend: str, refusals: int = 3) -> None:
        self.app, self.backend, self.refusals, self.left = app, backend, refusals, 0
        self.kills = 0
        with app.app_context():
            self.engine = db.engine
        sa.event.listen(self.engine, "do_connect", self.refuse)

    def refuse(self, *args: Any) -> None:
        if self.left > 0:
            self.left -= 1
            if self.backend == "postgresql":
                import psycopg

                raise psycopg.OperationalError("the database system is starting up")
            raise sqlite3.OperationalError("unable to open database file")

    def kill(self) -> None:
        if self.backend == "postgresql":
            pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
            other = sa.create_engine(pg_url())
            with other.begin() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.dispose()
        else:
            db.session.connection().connection.dbapi_connection.close()  # type: ignore[union-attr]
        self.kills += 1
        self.left = self.refusals

    def send(self, reminder: Reminder, now: Any) -> list[str]:
        sent = smtp.send(reminder, now)
        self.kill()
        return sent

    def stop(self) -> None:
        sa.event.remove(self.engine, "do_connect", self.refuse)


def test_a_database_restart_between_the_ok_and_the_status_write_sends_nothing_twice(
    mail_app, mailbox, backend
):
    due = due_reminders(mail_app, 9)
    restart = Restart(mail_app, backend)
    pauses: list[float] = []
    try:
        with mail_app.app_context():
            first = outbox.tick(T0, restart.send, worker="scheduler", pause=pauses.append)
            db.session.remove()
    finally:
        restart.stop()
    assert restart.kills == 9
    assert pauses  # it waited for the database instead of giving up
    assert len(first.sent) == 9  # none left to wait out its lease
    with mail_app.app_context():
        later = outbox.tick(T0 + outbox.LEASE + timedelta(minutes=1), smtp.send)
        assert later.sent == []
        db.session.remove()
    assert_each_sent_once(mail_app, mailbox, due)
