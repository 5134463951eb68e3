"""What a reminder mail says, in which language, and what comes with it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.measures import services as measures
from breachlog.notifications import ap_form
from breachlog.notifications import services as law_services

from .reminder_helpers import (
    DEADLINE,
    HOUR,
    SECOND,
    T0,
    assess,
    html_of,
    notify,
    recipients,
    report,
    run,
    stages,
    text_of,
)

FOUR_HOURS = DEADLINE - timedelta(hours=4)


@pytest.fixture
def people(mail_app, make):
    make.organisation(escalation_emails="directie@example.nl")
    return {
        "anna": make.user("officer", email="anna@example.nl", name="Anna de Vries"),
        "bram": make.user("officer", email="bram@example.nl", language="nl"),
        "reporter": make.user("reporter", email="melder@example.nl"),
    }


def one_mail(mailbox, address):
    mails = mailbox.to(address)
    assert len(mails) == 1, [str(m["Subject"]) for m in mails]
    return mails[0]


def calendar(message) -> dict[str, list[str]]:
    """The .ics attachment, unfolded (RFC 5545 3.1) into NAME -> values."""
    attachments = [
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    assert len(attachments) == 1
    part = attachments[0]
    assert part.get_filename().endswith(".ics")
    assert part.get_param("method") == "PUBLISH"
    raw = part.get_content().replace("\r\n", "\n").replace("\n ", "")
    fields: dict[str, list[str]] = {}
    for line in raw.splitlines():
        name, _, value = line.partition(":")
        fields.setdefault(name.split(";")[0], []).append(value)
    return fields


def test_the_mail_has_text_html_and_the_deadline_as_ics(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    assess(incident, people["anna"], T0, "risk")
    run(T0)
    mailbox.clear()
    run(FOUR_HOURS)
    mail = one_mail(mailbox, "anna@example.nl")
    row = stages(incident)["before-4h"]

    assert str(mail["Subject"]) == f"{incident.ref}: 4 hours left to notify the AP"
    assert str(mail["From"]) == "datalek@example.nl"
    assert str(mail["Message-ID"]) == f"<reminder-{row.id}-en@breachlog.test>"
    assert str(mail["Content-Language"]) == "en"
    assert mail.get_content_type() == "multipart/mixed"
    body = next(mail.iter_parts())
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.iter_parts()] == ["text/plain", "text/html"]

    text = text_of(mail)
    assert "13 Mar 2026, 09:00 CET (08:00 UTC)" in text  # local and UTC
    assert "4 h 0 min left" in text
    assert f"http://breachlog.test/incidents/{incident.ref}" in text
    assert "- notify the AP" in text
    with force_locale("en"):
        missing = ap_form.missing(incident)
    assert missing and all(f"- {item}" in text for item in missing)
    html = html_of(mail)
    assert f'href="http://breachlog.test/incidents/{incident.ref}"' in html
    assert "13 Mar 2026, 09:00 CET (08:00 UTC)" in html

    event = calendar(mail)
    assert event["METHOD"] == ["PUBLISH"]
    assert event["UID"] == [f"deadline-{incident.ref}@breachlog.test"]
    assert event["DTSTART"][0] == "20260313T080000Z"
    assert event["DTSTAMP"][0] == "20260313T040000Z"  # when it was sent
    assert event["BEGIN"] == ["VCALENDAR", "VEVENT", "VALARM"]
    assert event["TRIGGER"] == ["-PT60M"]


def test_dutch_readers_get_dutch_wording(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    mailbox.clear()
    run(FOUR_HOURS)  # risk not assessed yet
    mail = one_mail(mailbox, "bram@example.nl")
    assert str(mail["Subject"]) == (
        f"{incident.ref}: beoordeel nu het risico, nog 4 uur tot de meldtermijn"
    )
    text = text_of(mail)
    assert "13-3-2026 09:00 CET (08:00 UTC)" in text
    assert "Beoordeel nu het risico van dit datalek" in text
    assert "- het risico beoordelen" in text
    assert "Open het incident in breachlog" in text

    assess(incident, people["anna"], FOUR_HOURS, "high")
    mailbox.clear()
    run(DEADLINE - HOUR)
    assert str(one_mail(mailbox, "bram@example.nl")["Subject"]) == (
        f"{incident.ref}: nog 1 uur om te melden bij de AP"
    )
    # management reads Dutch too, as a plain address without an account
    assert str(one_mail(mailbox, "directie@example.nl")["Subject"]).endswith("melden bij de AP")


def test_overdue_wording_counts_past_the_deadline(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    assess(incident, people["anna"], T0, "risk")
    run(T0)
    mailbox.clear()
    run(DEADLINE + timedelta(hours=5))  # nobody ticked since: the deadline stage, 5 h late
    assert str(one_mail(mailbox, "bram@example.nl")["Subject"]) == (
        f"{incident.ref} is 5 uur over de meldtermijn"
    )
    assert str(one_mail(mailbox, "anna@example.nl")["Subject"]) == (
        f"{incident.ref} is 5 hours past the deadline to notify the AP"
    )
    assert "overdue by 5 h 0 min" in text_of(one_mail(mailbox, "anna@example.nl"))


def test_user_text_is_escaped_in_the_html_part(people, make, mailbox):
    report(make, reporter=people["reporter"], title="<script>alert('x')</script> & USB-stick")
    run(T0)
    mail = one_mail(mailbox, "anna@example.nl")
    html = html_of(mail)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; USB-stick" in html
    assert "<script>alert('x')</script> & USB-stick" in text_of(mail)  # plain text stays plain


def test_a_new_report_is_mailed_to_all_officers_at_once(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    assert run(T0 - SECOND).sent == []
    assert run(T0).sent == [f"{incident.ref} new-report"]
    assert str(one_mail(mailbox, "anna@example.nl")["Subject"]) == (
        f"New report {incident.ref}: Laptop verloren in de trein"
    )
    assert str(one_mail(mailbox, "bram@example.nl")["Subject"]) == (
        f"Nieuwe melding {incident.ref}: Laptop verloren in de trein"
    )
    assert not mailbox.to("melder@example.nl") and not mailbox.to("directie@example.nl")
    assert calendar(one_mail(mailbox, "anna@example.nl"))["DTSTART"] == ["20260313T080000Z"]


def measure_mails(mailbox, address):
    return [
        m
        for m in mailbox.to(address)
        if "measure" in str(m["Subject"]) or "maatregel" in str(m["Subject"])
    ]


def test_a_measure_reminds_its_owner_on_the_due_date(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    make.user("viewer", email="it@example.nl", language="nl")  # the owner is a member
    run(T0)
    services.add_measure(
        incident,
        people["anna"],
        T0,
        kind="corrective",
        description="Wachtwoorden van alle klantaccounts resetten",
        owner="it@example.nl",
        due_on=date(2026, 3, 12),
    )
    db.session.commit()
    nine_local = DEADLINE - timedelta(days=1)  # Thursday 12 March, 09:00 CET
    run(nine_local - SECOND)
    assert mailbox.to("it@example.nl") == []
    mailbox.clear()
    run(nine_local)
    mail = one_mail(mailbox, "it@example.nl")
    assert recipients(mail) == {"it@example.nl"}  # the owner only
    assert str(mail["Subject"]) == f"{incident.ref}: een maatregel moet af zijn"  # Dutch
    text = text_of(mail)
    assert "Wachtwoorden van alle klantaccounts resetten" in text
    assert "12-3-2026" in text
    assert measure_mails(mailbox, "anna@example.nl") == []


def test_a_measure_owned_by_a_name_reminds_the_officers_and_done_cancels(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    run(T0)
    first, second = (
        services.add_measure(
            incident,
            people["anna"],
            T0,
            kind="preventive",
            description=description,
            owner="Jan van IT",
            due_on=date(2026, 3, 12),
        )
        for description in ("Versleuteling op alle laptops", "Training")
    )
    measures.complete_measure(second, people["anna"], T0 + HOUR, done_at=T0 + HOUR)
    db.session.commit()
    mailbox.clear()
    run(DEADLINE - timedelta(days=1))
    [mail] = measure_mails(mailbox, "anna@example.nl")
    assert str(mail["Subject"]) == f"{incident.ref}: a measure is due"
    assert "Versleuteling op alle laptops" in text_of(mail)
    assert len(measure_mails(mailbox, "bram@example.nl")) == 1  # no assignee: all officers
    assert stages(incident)[f"measure-{second.id}"].status == "cancelled"


def test_a_provisional_notification_is_followed_up_weekly(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    assess(incident, people["anna"], T0, "risk")
    notify(incident, people["anna"], T0 + HOUR, provisional=True)
    run(T0 + HOUR)
    mailbox.clear()
    week = T0 + HOUR + timedelta(days=7)
    assert run(week - SECOND).sent == []
    assert len(run(week).sent) == 1
    assert str(one_mail(mailbox, "anna@example.nl")["Subject"]) == (
        f"{incident.ref}: the AP notification is still provisional, send a supplement"
    )
    provisional = stages(incident, "provisional")
    assert [row.due_at for row in provisional.values()] == [week, week + timedelta(days=7)]

    notify(incident, people["anna"], week + HOUR, kind="supplement")
    mailbox.clear()
    assert run(week + timedelta(days=7)).sent == []
    assert mailbox.messages == []


def test_high_risk_reminds_to_inform_the_people_until_it_is_done(people, make, mailbox):
    incident = report(make, reporter=people["reporter"])
    assess(incident, people["anna"], T0, "high")
    notify(incident, people["anna"], T0 + HOUR)
    run(T0 + HOUR)
    mailbox.clear()
    assert run(T0 + timedelta(hours=24)).sent == [f"{incident.ref} subjects-1"]
    assert str(one_mail(mailbox, "bram@example.nl")["Subject"]) == (
        f"{incident.ref}: informeer de betrokkenen"
    )
    law_services.record_subject_communication(
        incident,
        people["anna"],
        T0 + timedelta(hours=30),
        sent_at=T0 + timedelta(hours=30),
        channel="email",
        people_reached=180,
        text="Beste klant, uw gegevens lagen op straat. Vragen: fg@example.nl. Wij wisten de "
        "laptop op afstand.",
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )
    db.session.commit()
    mailbox.clear()
    assert run(T0 + timedelta(hours=48)).sent == []
    assert mailbox.messages == []
