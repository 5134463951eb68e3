"""Mail trouble shows at once: at start, in /healthz, on the dashboard, in the log with its
reason; and an admin can send a test mail from the admin pages and the command line."""

from __future__ import annotations

import logging

from breachlog.extensions import db
from breachlog.reminders import smtp
from breachlog.reminders import tick as outbox

from .conftest import Auth
from .factories import Factory
from .mailbox import free_port
from .reminder_helpers import T0, page, report


def no_mail_server(app) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=2)


def test_the_first_failed_delivery_turns_healthz_degraded_and_shows_on_the_dashboard(
    mail_app, client, caplog, monkeypatch
):
    monkeypatch.setattr("breachlog.clock.now", lambda: T0 + outbox.LEASE)
    no_mail_server(mail_app)
    with mail_app.app_context():
        make = Factory(mail_app)
        make.organisation()
        officer = make.user("officer", email="anna@example.nl")
        report(make)
        assert client.get("/healthz").get_json()["status"] == "ok"
        with caplog.at_level(logging.WARNING, logger="breachlog"):
            result = outbox.tick(T0, smtp.send)
        assert result.retried and not result.failed  # the first try, an hour before "failed"
        assert "Connection refused" in caplog.text  # the reason, in the log

        health = client.get("/healthz").get_json()
        assert health["status"] == "degraded"
        assert health["reminders"]["mail_trouble"] is True
        assert "refused" not in str(health)  # no details without a login

        Auth(client).login(officer.email)
        dashboard = page(client, "/")
        assert "Reminder e-mails are not going out." in dashboard
        assert "mail server 127.0.0.1: [Errno 111] Connection refused" in dashboard
        db.session.remove()


def test_mail_trouble_clears_once_a_mail_goes_out_again(mail_app, client, mailbox, monkeypatch):
    monkeypatch.setattr("breachlog.clock.now", lambda: T0 + outbox.LEASE * 100)
    real_port = mail_app.config["SMTP_PORT"]
    no_mail_server(mail_app)
    with mail_app.app_context():
        make = Factory(mail_app)
        make.organisation()
        make.user("officer")
        report(make)
        outbox.tick(T0, smtp.send)
        assert client.get("/healthz").get_json()["status"] == "degraded"
        mail_app.config["SMTP_PORT"] = real_port
        assert outbox.tick(T0 + outbox.LEASE * 2, smtp.send).sent
        assert client.get("/healthz").get_json()["status"] == "ok"
        db.session.remove()


def test_serve_warns_at_start_when_the_mail_server_cannot_be_reached(
    empty_app, monkeypatch, caplog
):
    no_mail_server(empty_app)
    monkeypatch.setattr("waitress.serve", lambda app, **options: None)
    with caplog.at_level(logging.WARNING, logger="breachlog"):
        result = empty_app.test_cli_runner().invoke(args=["serve"])
    assert result.exit_code == 0, result.output
    assert "Warning: reminders cannot be sent now: mail server 127.0.0.1:" in result.stderr
    assert "Connection refused" in caplog.text


def test_scheduler_warns_at_start_when_the_mail_server_cannot_be_reached(app, monkeypatch):
    no_mail_server(app)
    started = []
    monkeypatch.setattr(
        "breachlog.reminders.scheduler.run_foreground", lambda app, announce: started.append(app)
    )
    result = app.test_cli_runner().invoke(args=["scheduler"])
    assert started and result.exit_code == 0
    assert "Warning: reminders cannot be sent now: mail server" in result.stderr


def test_mail_test_command_sends_or_says_why_not(app, mail_app, mailbox):
    runner = mail_app.test_cli_runner()
    sent = runner.invoke(args=["mail-test", "fg@example.nl"])
    assert sent.exit_code == 0, sent.output
    assert mailbox.subjects() == ["breachlog: test mail"]
    assert mailbox.envelopes == [["fg@example.nl"]]
    mailbox.refuse_next("550 5.1.1 No such user", at="RCPT")
    refused = runner.invoke(args=["mail-test", "niemand@example.nl"])
    assert refused.exit_code == 1 and "550 5.1.1 No such user" in refused.stderr
    no_mail_server(mail_app)
    away = runner.invoke(args=["mail-test", "fg@example.nl"])
    assert away.exit_code == 1 and "Connection refused" in away.stderr
    assert runner.invoke(args=["mail-test", "geen adres"]).exit_code == 2


def test_an_admin_sends_a_test_mail_from_the_admin_pages(mail_app, client, mailbox):
    with mail_app.app_context():
        make = Factory(mail_app)
        admin = make.user("admin")
        Auth(client).login(admin.email)
        assert "Send test mail" in page(client, "/admin/mail")
        answer = client.post("/admin/mail", data={"address": "fg@example.nl"})
        assert answer.status_code == 302
        assert "A test mail was sent to fg@example.nl." in page(client, "/admin/mail")
        assert mailbox.envelopes == [["fg@example.nl"]]
        no_mail_server(mail_app)
        client.post("/admin/mail", data={"address": "fg@example.nl"})
        assert "The test mail was not sent: mail server 127.0.0.1:" in page(client, "/admin/mail")
        db.session.remove()
