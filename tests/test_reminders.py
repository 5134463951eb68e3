"""Reminders go out at their time, to the right people, once; they stop when no longer needed.

A real SMTP server on 127.0.0.1 receives every mail; the tick gets `now`, nothing sleeps.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.reminders import tick as outbox
from breachlog.reminders.models import CANCELLED, PENDING, SENT, SUPERSEDED

from .reminder_helpers import (
    AWARE,
    DEADLINE,
    HOUR,
    SECOND,
    T0,
    assess,
    notify,
    page,
    recipients,
    report,
    run,
    stages,
    statuses,
)

STAGE_TIMES = [
    ("before-48h", 48),
    ("before-24h", 24),
    ("before-12h", 12),
    ("before-4h", 4),
    ("before-1h", 1),
    ("deadline", 0),
]


@pytest.fixture
def people(mail_app, make):
    """An organisation with an escalation address, two officers (one reading Dutch), an admin."""
    org = make.organisation(escalation_emails="directie@example.nl, cfo@example.nl")
    return {
        "org": org,
        "anna": make.user("officer", email="anna@example.nl"),
        "bram": make.user("officer", email="bram@example.nl", language="nl"),
        "admin": make.user("admin", email="beheer@example.nl"),
        "reporter": make.user("reporter", email="melder@example.nl"),
    }


def test_each_stage_goes_out_at_its_time_and_not_before(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)  # the new-report mail to the officers
    mailbox.clear()
    for stage, hours in STAGE_TIMES:
        due = DEADLINE - timedelta(hours=hours)
        assert run(due - SECOND).sent == []
        assert run(due).sent == [f"{incident.ref} {stage}"]
        assert statuses(incident)[stage] == SENT
    assert run(DEADLINE + timedelta(hours=24) - SECOND).sent == []
    assert run(DEADLINE + timedelta(hours=24)).sent == [f"{incident.ref} overdue-1"]
    # every 24 hours while overdue: the next one is planned when this one goes out
    assert stages(incident)["overdue-2"].due_at == DEADLINE + timedelta(hours=48)
    assert run(DEADLINE + timedelta(hours=48)).sent == [f"{incident.ref} overdue-2"]
    subjects = [str(m["Subject"]) for m in mailbox.to("anna@example.nl")]  # Anna reads English
    assert subjects[0] == (
        f"{incident.ref}: assess the risk now, 48 hours left until the deadline for the AP"
    )
    assert f"{incident.ref}: assess the risk now, the deadline for the AP is now" in subjects
    assert subjects[-1] == (
        f"{incident.ref} is 48 hours past the deadline for the AP: assess the risk now"
    )


def test_nothing_is_sent_twice_on_later_ticks(people, make, mailbox):
    report(make, reporter=people["reporter"])
    due = DEADLINE - timedelta(hours=48)
    assert len(run(due).sent) == 2  # the new report, and the 48-hour reminder
    count = len(mailbox.messages)
    for later in (due, due + SECOND, due + timedelta(minutes=30)):
        assert run(later).sent == []
    assert len(mailbox.messages) == count


def test_escalation_goes_from_assignee_to_officers_to_management(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    services.update_incident(incident, {"assignee_id": people["anna"].id}, people["bram"], T0)
    db.session.commit()
    run(T0)

    def mailed_at(hours: int) -> set[str]:
        mailbox.clear()
        run(DEADLINE - timedelta(hours=hours))
        return {address for message in mailbox.messages for address in recipients(message)}

    assert mailed_at(48) == {"anna@example.nl"}  # assignee
    assert mailed_at(12) == {"anna@example.nl", "bram@example.nl"}  # all officers
    assert mailed_at(1) == {  # management: escalation addresses and all officers
        "anna@example.nl",
        "bram@example.nl",
        "directie@example.nl",
        "cfo@example.nl",
    }
    # one message per language: Anna reads English; Bram and management read Dutch
    languages = {str(m["Content-Language"]): recipients(m) for m in mailbox.messages}
    assert languages == {
        "en": {"anna@example.nl"},
        "nl": {"bram@example.nl", "directie@example.nl", "cfo@example.nl"},
    }


def test_without_an_assignee_the_first_stages_go_to_all_officers(people, make, mailbox):
    report(make, reporter=people["reporter"])
    run(T0)
    mailbox.clear()
    run(DEADLINE - timedelta(hours=48))
    assert {a for m in mailbox.messages for a in recipients(m)} == {
        "anna@example.nl",
        "bram@example.nl",
    }


def test_without_officers_the_admins_are_reminded(mail_app, make, mailbox):
    make.organisation(escalation_emails="")
    make.user("admin", email="beheer@example.nl")
    reporter = make.user("reporter")
    report(make, reporter=reporter)
    run(DEADLINE - timedelta(hours=12))
    assert {a for m in mailbox.messages for a in recipients(m)} == {"beheer@example.nl"}


def test_notification_cancels_the_rest_and_history_says_so(people, make, mailbox, client, auth):
    incident = report(make, reporter=people["reporter"])
    run(DEADLINE - timedelta(hours=48))
    assess(incident, people["anna"], T0 + HOUR, "risk")
    notify(incident, people["anna"], DEADLINE - timedelta(hours=30))
    assert statuses(incident) == {
        "before-48h": SENT,
        "before-24h": CANCELLED,
        "before-12h": CANCELLED,
        "before-4h": CANCELLED,
        "before-1h": CANCELLED,
        "deadline": CANCELLED,
        "overdue-1": CANCELLED,
    }
    mailbox.clear()
    for hours in (24, 12, 4, 1, 0, -24, -48):
        assert run(DEADLINE - timedelta(hours=hours)).sent == []
    assert mailbox.messages == []

    auth.login(people["anna"].email)
    history = page(client, f"/incidents/{incident.ref}")
    assert "sent a reminder" in history
    assert "48 hours before the deadline" in history
    assert "anna@example.nl, bram@example.nl" in history  # to whom
    assert "cancelled reminders that are no longer needed" in history
    assert "24 hours before the deadline, 12 hours before the deadline" in history


def test_risk_none_cancels_the_reminders(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    assess(incident, people["anna"], T0 + HOUR, "none")
    assert set(statuses(incident).values()) == {CANCELLED}
    mailbox.clear()
    for hours in (48, 24, 12, 4, 1, 0, -24):
        run(DEADLINE - timedelta(hours=hours))
    assert mailbox.messages == []


def test_a_claimed_reminder_cancelled_meanwhile_is_not_sent(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    due = DEADLINE - timedelta(hours=48)

    def notify_while_claimed(ids):
        assess(incident, people["anna"], due, "none")

    result = run(due, on_claim=notify_while_claimed)
    assert result.sent == [] and result.cancelled == [f"{incident.ref} before-48h"]
    assert statuses(incident)["before-48h"] == CANCELLED


def test_moving_aware_at_moves_the_reminders(people, make):
    incident = report(make, reporter=people["reporter"])
    before = {name: row.due_at for name, row in stages(incident, "deadline").items()}
    services.update_incident(
        incident,
        {"discovered_at": AWARE - timedelta(hours=3), "aware_at": AWARE - timedelta(hours=3)},
        people["anna"],
        T0 + HOUR,
        reason="The processor told us earlier than we thought",
    )
    db.session.commit()
    after = {name: row.due_at for name, row in stages(incident, "deadline").items()}
    assert after.keys() == before.keys()
    assert all(after[name] == before[name] - timedelta(hours=3) for name in before)
    assert all(row.status == PENDING for row in stages(incident, "deadline").values())


def test_moving_aware_at_into_the_past_sends_only_the_most_urgent_stage(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    services.update_incident(
        incident,
        {"discovered_at": AWARE - timedelta(hours=60), "aware_at": AWARE - timedelta(hours=60)},
        people["anna"],
        T0 + HOUR,
        reason="Found an older log entry",
    )
    db.session.commit()
    # now 11 hours before the new deadline: 48 h and 24 h passed, 12 h is the one due
    assert statuses(incident)["before-48h"] == SUPERSEDED
    assert statuses(incident)["before-24h"] == SUPERSEDED
    assert run(T0 + HOUR).sent == [f"{incident.ref} before-12h"]


def test_catch_up_after_downtime_sends_one_mail_per_incident(people, make, mailbox):
    incidents = [report(make, reporter=people["reporter"]) for _ in range(3)]
    run(T0)
    mailbox.clear()
    result = run(DEADLINE - timedelta(minutes=30))  # down from T0 until half an hour before
    assert sorted(result.sent) == sorted(f"{i.ref} before-1h" for i in incidents)
    assert len(result.superseded) == 3 * 4
    assert len(mailbox.messages) == 3 * 2  # per incident one mail, in English and in Dutch
    assert all("30 minutes left" in s or "nog 30 minuten" in s for s in mailbox.subjects())
    for incident in incidents:
        assert statuses(incident) == {
            "before-48h": SUPERSEDED,
            "before-24h": SUPERSEDED,
            "before-12h": SUPERSEDED,
            "before-4h": SUPERSEDED,
            "before-1h": SENT,
            "deadline": PENDING,
            "overdue-1": PENDING,
        }


def test_catch_up_after_days_sends_one_overdue_mail_and_plans_the_next_ahead(
    people, make, mailbox
):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    back = DEADLINE + timedelta(days=4, hours=2)
    assert run(back).sent == [f"{incident.ref} overdue-1"]
    assert run(back).sent == []
    # the next overdue reminder lies ahead, not one per missed day right away
    rows = stages(incident, "deadline")
    pending = [row for row in rows.values() if row.status == PENDING]
    assert [row.stage for row in pending] == ["overdue-5"]
    assert pending[0].due_at == DEADLINE + timedelta(days=5)


def test_a_crash_between_sending_and_recording_resends_after_the_lease_same_message_id(
    people, make, mailbox
):
    incident = report(make, reporter=people["reporter"])
    services.update_incident(incident, {"assignee_id": people["anna"].id}, people["bram"], T0)
    db.session.commit()
    run(T0)
    mailbox.clear()

    class Crash(BaseException):
        """The process dies: nothing after the send is written."""

    def send_then_crash(row, now):
        outbox_send(row, now)
        raise Crash

    from breachlog.reminders.smtp import send as outbox_send

    due = DEADLINE - timedelta(hours=48)
    with pytest.raises(Crash):
        run(due, send=send_then_crash)
    db.session.rollback()
    first = mailbox.messages[-1]["Message-ID"]
    assert run(due + timedelta(minutes=1)).sent == []  # still leased to the dead process
    retaken = run(due + outbox.LEASE + SECOND)
    assert retaken.sent == [f"{incident.ref} before-48h"]
    assert [m["Message-ID"] for m in mailbox.messages] == [first, first]
    row = stages(incident)["before-48h"]
    assert first == f"<reminder-{row.id}-en@breachlog.test>"


def test_a_claim_by_another_worker_is_retaken_after_its_lease(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    mailbox.clear()
    due = DEADLINE - timedelta(hours=48)
    claimed = outbox.claim(due, "host-that-died:4242")
    assert claimed == [stages(incident)["before-48h"].id]
    assert run(due + outbox.LEASE - SECOND).sent == []
    assert run(due + outbox.LEASE + SECOND).sent == [f"{incident.ref} before-48h"]
    assert len({m["Message-ID"] for m in mailbox.messages}) == len(mailbox.messages) == 2


def test_a_later_assessment_does_not_revive_stages_older_than_the_one_sent(people, make, mailbox):
    # reported 70 hours after awareness: of the passed stages only "4 hours before" was planned
    incident = report(
        make,
        reporter=people["reporter"],
        discovered_at=T0 - timedelta(hours=70),
        aware_at=T0 - timedelta(hours=70),
    )
    assert run(T0).sent == [f"{incident.ref} before-4h", f"{incident.ref} new-report"]
    assess(incident, people["anna"], T0 + timedelta(minutes=5), "risk")
    assert set(statuses(incident)) == {"before-4h", "before-1h", "deadline", "overdue-1"}
    mailbox.clear()
    assert run(T0 + timedelta(minutes=6)).sent == []
    assert run(T0 + HOUR).sent == [f"{incident.ref} before-1h"]
    [mail] = mailbox.to("anna@example.nl")
    assert str(mail["Subject"]) == f"{incident.ref}: 1 hour left to notify the AP"
