"""Logs an operator can use, and /metrics for Prometheus."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from breachlog import clock, create_app
from breachlog.ops.log_format import JSONFormatter, UTCFormatter
from breachlog.reminders import scheduler

from .conftest import app_config
from .reminder_helpers import T0, report, run
from .test_csrf import csrf_app  # noqa: F401 - the fixture

LINE = logging.LogRecord("breachlog.access", logging.INFO, __file__, 1, "GET / 200", (), None)


def messages(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_one_format_with_utc_time_and_its_zone() -> None:
    """Before: three styles (with +0000, without a zone, local time without a zone)."""
    LINE.created = T0.timestamp()
    assert UTCFormatter().format(LINE) == (
        "2026-03-10T09:00:00.000+00:00 INFO breachlog.access: GET / 200"
    )
    entry = json.loads(JSONFormatter().format(LINE))
    assert entry == {
        "time": "2026-03-10T09:00:00.000+00:00",
        "level": "INFO",
        "logger": "breachlog.access",
        "message": "GET / 200",
    }


def test_the_log_format_setting_chooses_json(tmp_path, monkeypatch) -> None:
    from breachlog.ops import logs

    chosen = []
    monkeypatch.setattr(logs, "install_handler", chosen.append)
    config = app_config(tmp_path, "sqlite") | {"TESTING": False, "LOG_FORMAT": "json"}
    create_app(config)
    assert chosen == ["json"]


def test_every_request_has_an_access_line(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="breachlog")
    assert client.get("/login").status_code == 200
    (line,) = messages(caplog, "breachlog.access")
    assert line.startswith("GET /login 200 ") and line.endswith(" ms from 127.0.0.1 user=- auth=-")


def test_logins_ok_failed_and_throttled_are_logged(client, make, auth, caplog):
    caplog.set_level(logging.INFO, logger="breachlog")
    make.user("officer", email="anna@example.nl")
    auth.login("anna@example.nl")
    assert "login ok: anna@example.nl from 127.0.0.1" in messages(caplog, "breachlog.security")
    client.post("/logout")
    for _ in range(5):
        auth.login("anna@example.nl", "wrong password!")
    said = messages(caplog, "breachlog.security")
    # this browser logged in before, so its failures count on their own
    assert "login failed: account anna@example.nl from a known browser (1 in a row)" in said
    assert "throttled: account anna@example.nl from a known browser after 5 failed logins" in said
    elsewhere = client.application.test_client()  # another browser
    elsewhere.post("/login", data={"email": "anna@example.nl", "password": "wrong password!"})
    said = messages(caplog, "breachlog.security")
    assert "login failed: account anna@example.nl (1 in a row)" in said


def test_a_refused_form_is_logged(csrf_app, caplog) -> None:  # noqa: F811
    caplog.set_level(logging.INFO, logger="breachlog")
    response = csrf_app.test_client().post("/login", data={"email": "x@example.nl"})
    assert response.status_code == 400
    (line,) = messages(caplog, "breachlog.security")
    assert line.startswith("form refused (") and line.endswith("POST /login from 127.0.0.1")


def test_a_new_report_and_admin_acts_are_logged_once_committed(make, caplog) -> None:
    caplog.set_level(logging.INFO, logger="breachlog")
    incident = make.incident()
    said = messages(caplog, "breachlog.audit")
    assert f"incident.reported incident:{incident.id} by officer-1@example.nl" in said or any(
        s.startswith(f"incident.reported incident:{incident.id} by ") for s in said
    )
    assert any(s.startswith("user.created user:") for s in said)


def test_a_mail_failure_is_logged_with_the_servers_answer(mail_app, make, mailbox, caplog):
    caplog.set_level(logging.INFO, logger="breachlog")
    make.user("officer", email="anna@example.nl")
    report(make, reporter=make.user("reporter"))
    mailbox.refuse_next("550 5.7.1 Relaying denied")
    assert run(T0).failed
    (line,) = [
        m for m in messages(caplog, "breachlog.reminders.tick") if "550 5.7.1 Relaying denied" in m
    ]
    assert "new-report" in line and "not sent" in line


def test_a_database_that_is_away_is_logged_once_a_minute_in_one_line(
    tmp_path, monkeypatch, caplog
) -> None:
    """Before: a 130-line traceback every 30 seconds."""
    caplog.set_level(logging.INFO, logger="breachlog")
    config = app_config(tmp_path, "sqlite") | {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "gone" / "db.sqlite")
    }
    app = create_app(config)
    now = {"now": T0}
    monkeypatch.setattr(clock, "now", lambda: now["now"])
    monkeypatch.setitem(scheduler._outage, "since", None)
    monkeypatch.setitem(scheduler._outage, "said", None)
    for seconds in (0, 30, 60, 90):
        now["now"] = T0 + timedelta(seconds=seconds)
        assert scheduler.run_tick(app) is None
    records = [r for r in caplog.records if r.name == "breachlog.reminders.scheduler"]
    assert [r.getMessage().split(":")[0] for r in records] == [
        "database unreachable since 2026-03-10T09",
        "database unreachable since 2026-03-10T09",
    ]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in records)
    assert "unable to open database file" in records[0].getMessage()


# -- /metrics


def test_metrics_count_reminders_incidents_and_requests(app, client, make) -> None:
    long_ago = T0 - timedelta(hours=80)
    report(make, reporter=make.user("reporter"), aware_at=long_ago, discovered_at=long_ago)
    client.get("/login")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'breachlog_reminders{state="pending"} ' in text
    assert "breachlog_incidents_open 1" in text
    assert "breachlog_incidents_overdue 1" in text
    assert "breachlog_last_tick_seconds 0" in text
    assert 'method="GET",status="200"}' in text
    assert "breachlog_request_seconds_count{" in text


def test_metrics_are_refused_to_other_addresses(client) -> None:
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 403


def test_metrics_with_a_token_need_the_token(app, client) -> None:
    app.config["METRICS_TOKEN"] = "a-long-enough-metrics-token"
    away = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get("/metrics").status_code == 403  # loopback alone is not enough then
    bearer = {"Authorization": "Bearer a-long-enough-metrics-token"}
    assert client.get("/metrics", headers=bearer, environ_base=away).status_code == 200
