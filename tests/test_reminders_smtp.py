"""A mail server that says "later" is tried again; one that says "no" fails visibly."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.reminders import smtp
from breachlog.reminders.models import FAILED, PENDING, SENT

from .mailbox import free_port
from .reminder_helpers import DEADLINE, SECOND, T0, page, report, run, stages

DUE = DEADLINE - timedelta(hours=48)
LATER = "451 4.3.0 Mailbox busy, try again later"
NEVER = "550 5.7.1 Relaying denied"


@pytest.fixture
def incident(mail_app, make):
    make.organisation(escalation_emails="directie@example.nl")
    officer = make.user("officer", email="anna@example.nl")
    incident = report(make, reporter=make.user("reporter"))
    services.update_incident(incident, {"assignee_id": officer.id}, officer, T0)
    db.session.commit()
    run(T0)  # the new-report mail
    return incident


def test_a_451_is_retried_with_backoff_then_sent(incident, mailbox):
    mailbox.clear()
    mailbox.refuse_next(LATER)
    result = run(DUE)
    assert result.sent == [] and result.retried == [f"{incident.ref} before-48h"]
    row = stages(incident)["before-48h"]
    assert (row.status, row.attempts) == (PENDING, 1)
    assert row.next_attempt_at == DUE + timedelta(minutes=1)
    assert "451" in row.last_error
    assert run(DUE + timedelta(minutes=1) - SECOND).sent == []  # not before its backoff
    assert run(DUE + timedelta(minutes=1)).sent == [f"{incident.ref} before-48h"]
    assert len(mailbox.messages) == 1
    assert stages(incident)["before-48h"].status == SENT


def test_temporary_failures_end_as_failed_after_the_last_try(incident, mailbox):
    mailbox.refuse_next(LATER, count=10)
    now = DUE
    for wait in (1, 5, 15, 60):  # the backoff stored in the row
        assert run(now).retried
        now += timedelta(minutes=wait)
    assert run(now).failed == [f"{incident.ref} before-48h"]
    row = stages(incident)["before-48h"]
    assert (row.status, row.attempts) == (FAILED, 5)


def test_a_550_fails_at_once_and_shows_on_healthz_and_dashboard(incident, mailbox, client, auth):
    mailbox.refuse_next(NEVER)
    assert run(DUE).failed == [f"{incident.ref} before-48h"]
    row = stages(incident)["before-48h"]
    assert row.status == FAILED and "550 5.7.1 Relaying denied" in row.last_error

    health = client.get("/healthz")
    assert health.status_code == 200  # the app works; mail does not
    body = health.get_json()
    assert body["status"] == "degraded"
    assert body["reminders"]["failed"] == 1

    auth.login("anna@example.nl")
    dashboard = page(client, "/")
    assert "1 reminder could not be sent" in dashboard
    assert f'href="/incidents/{incident.ref}#history"' in dashboard
    assert "550 5.7.1 Relaying denied" in dashboard
    history = page(client, f"/incidents/{incident.ref}")
    assert "could not send a reminder" in history and "Relaying denied" in history


def test_healthz_counts_reminders_left_waiting(incident, client):
    body = client.get("/healthz").get_json()
    # reported on 10 March 2026 and never ticked since: every planned reminder is late
    assert body["reminders"] == {"failed": 0, "pending_overdue": 7, "mail_trouble": False}
    assert body["status"] == "ok"
    assert body["scheduler"] == {"mode": "off", "running_here": False}


def test_a_refused_connection_is_temporary(incident, mail_app, mailbox):
    mail_app.config["SMTP_PORT"] = free_port()  # nobody listens there
    result = run(DUE)
    assert result.retried == [f"{incident.ref} before-48h"]
    assert "refused" in stages(incident)["before-48h"].last_error.lower()


def test_a_server_that_does_not_answer_times_out_and_is_retried(incident, mail_app):
    with socket.socket() as silent:  # accepts the connection, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        mail_app.config.update(SMTP_PORT=silent.getsockname()[1], SMTP_TIMEOUT=0.2)
        result = run(DUE)
    assert result.retried == [f"{incident.ref} before-48h"]
    assert "timed out" in stages(incident)["before-48h"].last_error


def test_one_refused_address_does_not_stop_the_others(incident, mailbox):
    mailbox.clear()
    mailbox.refuse_next("550 5.1.1 No such user", at="RCPT", address="directie@example.nl")
    result = run(DEADLINE - timedelta(hours=1))  # management: officers and directie
    assert result.sent == [f"{incident.ref} before-1h"]
    assert stages(incident)["before-1h"].recipients == ["anna@example.nl"]
    assert mailbox.envelopes == [["anna@example.nl"]]


def test_every_address_refused_for_now_is_retried(incident, mailbox):
    mailbox.refuse_next("450 4.2.1 Mailbox unavailable", at="RCPT", count=5)
    result = run(DEADLINE - timedelta(hours=1))
    assert result.retried == [f"{incident.ref} before-1h"]


def test_nobody_to_remind_fails_with_a_clear_message(mail_app, make, mailbox):
    make.organisation(escalation_emails="")
    incident = report(make, reporter=make.user("reporter"))  # no officer, no admin
    result = run(T0)
    assert result.failed == [f"{incident.ref} new-report"]
    assert "nobody to send this reminder to" in stages(incident)["new-report"].last_error
    assert mailbox.messages == []


def test_one_tick_uses_one_connection_for_all_its_mail(mail_app, make, mailbox):
    make.user("officer", email="anna@example.nl")
    reporter = make.user("reporter")
    for _ in range(3):
        report(make, reporter=reporter)
    with smtp.Session() as send:
        assert len(run(T0, send=send).sent) == 3
    assert len(mailbox.messages) == 3
    assert len(set(mailbox.connections)) == 1


def test_an_officer_sends_failed_reminders_again_once_mail_works(incident, mailbox, client, auth):
    mailbox.refuse_next(NEVER)
    run(DUE)
    auth.login("anna@example.nl")
    response = client.post(f"/incidents/{incident.ref}/reminders/retry")
    assert response.status_code == 302
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert "could not be sent" not in page(client, "/")
    db.session.expire_all()
    assert stages(incident)["before-48h"].status == PENDING
    mailbox.clear()
    assert run(DUE + timedelta(minutes=10)).sent == [f"{incident.ref} before-48h"]
    assert len(mailbox.messages) == 1
    assert "asked to send failed reminders again" in page(client, f"/incidents/{incident.ref}")
