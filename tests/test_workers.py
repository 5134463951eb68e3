"""Several processes: gunicorn with four workers on PostgreSQL, a reminder scheduler started in
every one of them by mistake, and database connections killed under load; and the reverse
proxy setting."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import pytest
import sqlalchemy as sa
from flask import Flask, request

from breachlog import clock, create_app
from breachlog.auth import services as auth_services
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.reminders.models import SENT, Reminder

from .conftest import PG_URL, app_config, pg_url
from .factories import Factory
from .test_faults import assert_every_incident_whole

WORKERS = 4
DUE = 50

# The mistake under test: a reminder scheduler in every worker (as BREACHLOG_SCHEDULER=inline
# would give if gunicorn workers started one). Each worker's first tick waits for the test's
# "go", so that all four claim at the same moment, and says how many mails it sent.
GUNICORN_CONFIG = """
import os, sys, time

def post_worker_init(worker):
    from breachlog.reminders import scheduler

    tick = scheduler.run_tick

    def reported_tick(app, stop=None):
        limit = time.monotonic() + 60
        while not os.path.exists(os.environ["TEST_GO"]) and time.monotonic() < limit:
            time.sleep(0.005)
        result = tick(app, stop)
        sent = len(result.sent) if result is not None else -1
        print(f"tick pid={os.getpid()} sent={sent}", file=sys.stderr, flush=True)
        return result

    scheduler.run_tick = reported_tick
    assert scheduler.start_inline(worker.wsgi) is not None
    print(f"scheduler pid={os.getpid()}", file=sys.stderr, flush=True)
"""


class Lines:
    """A child's standard error, read by a thread (so the child never blocks on a full pipe),
    with a way to wait until it says something."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            with self.changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.changed.notify_all()
        stream.close()

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> list[re.Match]:
        def found() -> list[re.Match]:
            return [m for line in self.lines if (m := re.search(pattern, line))]

        with self.changed:
            ok = self.changed.wait_for(lambda: len(found()) >= count, timeout=timeout)
            assert ok, f"not {count} x {pattern!r} in {timeout} s:\n" + "\n".join(self.lines)
            return found()


@pytest.fixture
def gunicorn(tmp_path: Path, mail_server: Any) -> Iterator[dict]:
    """gunicorn -w 4 "breachlog:create_app()" on a PostgreSQL schema of its own, configured
    through the environment as in production, with DUE reminders due when it starts."""
    schema = "t_workers_" + uuid.uuid4().hex[:12]
    name = "bl-" + schema  # the application_name of the workers' connections
    url = f"{pg_url()}?options=-csearch_path%3D{schema}&application_name={name}"
    admin = sa.create_engine(pg_url())
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(sa.text(f'SET search_path TO "{schema}"'))
        db.metadata.create_all(conn)
    config = app_config(tmp_path, "postgresql", schema) | {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    app = create_app(config)
    try:
        due, token = seed(app)
        with run_gunicorn(tmp_path, url, mail_server) as server:
            yield (
                server
                | {"app": app, "admin": admin, "name": name, "due": due}
                | {"bearer": {"Authorization": f"Bearer {token}"}}
            )
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed(app: Flask) -> tuple[set[int], str]:
    """DUE incidents reported a minute ago, each with its new-report mail due; an API token."""
    with app.app_context():
        catalogue.seed()
        make = Factory(app)
        org = make.organisation()
        make.user("officer", email="anna@example.nl")
        reporter = make.user("reporter")
        now = clock.now() - timedelta(minutes=1)
        for number in range(DUE):
            facts = {"title": f"Mail aan verkeerde klant {number}", "aware_at": now}
            incident_services.report_incident(reporter, org, facts, now)
        token = auth_services.issue_api_token(reporter, actor="test", now=now)
        db.session.commit()
        due = set(db.session.scalars(sa.select(Reminder.id).where(Reminder.due_at <= now)))
        assert len(due) == DUE  # one new-report mail each; the countdown starts later
        db.session.remove()
        db.engine.dispose()
    return due, token


@contextmanager
def run_gunicorn(tmp_path: Path, url: str, mail_server: Any) -> Iterator[dict]:
    """Start it as production would, configured through the environment; wait until each
    worker's first tick is done; always end every process of it."""
    go = tmp_path / "go"
    (tmp_path / "gunicorn_conf.py").write_text(GUNICORN_CONFIG)
    environment = {
        **os.environ,
        "BREACHLOG_DATABASE_URL": url,
        "BREACHLOG_SCHEDULER": "inline",
        "BREACHLOG_INSTANCE_PATH": str(tmp_path / "instance"),
        "BREACHLOG_SECRET_KEY": "test-secret",
        "BREACHLOG_BASE_URL": "http://breachlog.test",
        "BREACHLOG_SMTP_HOST": mail_server.host,
        "BREACHLOG_SMTP_PORT": str(mail_server.port),
        "BREACHLOG_SMTP_TIMEOUT": "10",
        "TEST_GO": str(go),
    }
    mail_server.clear()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            "127.0.0.1:0",
            "--config",
            str(tmp_path / "gunicorn_conf.py"),
            "breachlog:create_app()",
        ],
        stderr=subprocess.PIPE,
        env=environment,
        cwd=tmp_path,
        start_new_session=True,  # a process group of its own, to be ended as one
    )
    log = Lines(server.stderr)
    try:
        port = int(log.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)")[0].group(1))
        schedulers = log.wait_for(r"scheduler pid=(\d+)", count=WORKERS)
        go.touch()
        ticks = log.wait_for(r"tick pid=(\d+) sent=(-?\d+)", count=WORKERS)
        yield {
            "port": port,
            "schedulers": {m.group(1) for m in schedulers},
            "ticks": {m.group(1): int(m.group(2)) for m in ticks[:WORKERS]},
            "messages": list(mail_server.messages),
        }
    finally:
        # master and workers at once: a graceful stop costs seconds and proves nothing here
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=15)
        log.thread.join(timeout=5)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs BREACHLOG_TEST_DATABASE_URL")
def test_four_workers_send_each_reminder_once_and_survive_killed_connections(gunicorn):
    """One gunicorn for both (starting four workers is what takes the time)."""
    each_reminder_is_sent_once(gunicorn)
    killed_connections_fail_requests_cleanly_and_lose_no_write(gunicorn)


def each_reminder_is_sent_once(gunicorn: dict) -> None:
    """A scheduler in each of the four workers, all claiming at once: every due reminder
    reaches the mail server exactly once."""
    assert len(gunicorn["schedulers"]) == WORKERS  # four processes, a scheduler in each
    assert set(gunicorn["ticks"]) == gunicorn["schedulers"]  # each of them ticked
    assert sum(gunicorn["ticks"].values()) == DUE, gunicorn["ticks"]

    message_ids = [str(message["Message-ID"]) for message in gunicorn["messages"]]
    assert len(message_ids) == len(set(message_ids)) == DUE
    assert set(message_ids) == {f"<reminder-{id}-en@breachlog.test>" for id in gunicorn["due"]}
    with gunicorn["app"].app_context():
        rows = db.session.scalars(sa.select(Reminder).where(Reminder.id.in_(gunicorn["due"])))
        assert {(row.status, row.claimed_by.split(":")[1]) for row in rows} <= {
            (SENT, pid) for pid in gunicorn["schedulers"]
        }
        db.session.remove()


def post_report(port: int, headers: dict[str, str], title: str) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = json.dumps({"title": title, "aware_at": clock.now().isoformat()})
        connection.request(
            "POST",
            "/api/v1/incidents",
            body=body,
            headers={**headers, "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), json.loads(response.read())
    finally:
        connection.close()


def killed_connections_fail_requests_cleanly_and_lose_no_write(gunicorn: dict) -> None:
    """Four clients report through the API while one of them kills every database connection
    of the workers after each of its requests: each answer is 201 or a clean 503, every
    acknowledged report is stored whole, and the first request afterwards succeeds."""
    admin, name, port = gunicorn["admin"], gunicorn["name"], gunicorn["port"]

    def kill_connections() -> None:
        with admin.begin() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            )

    answers: list[tuple[str, int, str, dict]] = []
    lock = threading.Lock()

    def client(number: int, between: Callable[[], None] | None) -> None:
        for request_number in range(10):
            title = f"Belasting {number}-{request_number}"
            status, kind, body = post_report(port, gunicorn["bearer"], title)
            with lock:
                answers.append((title, status, kind, body))
            if between is not None:
                between()  # while the other clients' requests are under way

    threads = [
        threading.Thread(target=client, args=(number, kill_connections if number == 0 else None))
        for number in range(WORKERS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert time.monotonic() - started < 60

    statuses = [status for _title, status, _kind, _body in answers]
    assert set(statuses) <= {201, 503}, statuses
    for _title, status, kind, body in answers:
        assert kind == "application/json"
        if status == 503:
            assert body == {
                "error": "The database could not save this. Nothing was changed; please try again."
            }
    after = post_report(port, gunicorn["bearer"], "Na de storing")
    assert after[0] == 201  # the first request after the storm succeeds

    acknowledged = {title for title, status, _kind, _body in answers if status == 201}
    sent = {title for title, *_rest in answers} | {"Na de storing"}
    app = gunicorn["app"]
    with app.app_context():
        titles = set(db.session.scalars(sa.text("SELECT title FROM incidents")))
        db.session.remove()
    stored = titles - {f"Mail aan verkeerde klant {n}" for n in range(DUE)}
    assert acknowledged | {"Na de storing"} <= stored <= sent  # no acknowledged write lost
    assert_every_incident_whole(app)  # and none half-written
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output


# -- behind a reverse proxy


def whoami_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxies: str | None) -> Any:
    """The app as configured from the environment, with one route that shows what it sees."""
    monkeypatch.setenv("BREACHLOG_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("BREACHLOG_SECRET_KEY", "test-secret")
    monkeypatch.setenv("BREACHLOG_DATABASE_URL", f"sqlite:///{tmp_path / 'proxy.sqlite'}")
    if proxies is None:
        monkeypatch.delenv("BREACHLOG_PROXY_FIX", raising=False)
    else:
        monkeypatch.setenv("BREACHLOG_PROXY_FIX", proxies)
    app = create_app()
    app.add_url_rule("/whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # where the request comes from: the proxy


def test_behind_a_proxy_the_client_address_and_https_come_from_its_headers(tmp_path, monkeypatch):
    app = whoami_app(tmp_path, monkeypatch, "1")
    assert app.config["PROXY_FIX"] == 1
    seen = app.test_client().get("/whoami", headers=FORWARDED, environ_base=PROXY)
    assert seen.get_data(as_text=True) == "203.0.113.7 https"


def test_without_the_proxy_setting_forwarded_headers_are_not_believed(tmp_path, monkeypatch):
    """Otherwise anyone could pick the address that login throttling counts."""
    app = whoami_app(tmp_path, monkeypatch, None)
    assert app.config["PROXY_FIX"] == 0
    seen = app.test_client().get("/whoami", headers=FORWARDED, environ_base=PROXY)
    assert seen.get_data(as_text=True) == "10.0.0.2 http"
