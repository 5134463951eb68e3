"""What a user types is shown as text everywhere, never run as markup, script or template.

Every text field of an incident, and of what hangs off it (assessment, AP notification,
communication to the people concerned, exemption, measures, the reason of a change), gets
script and HTML payloads through the same services the forms and the API use. Then every
page that shows them, the JSON API, the reminder mail, the PDF and the CSV are read back.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape
from pypdf import PdfReader

from breachlog import clock
from breachlog.auth.services import issue_api_token
from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.incidents.models import Incident
from breachlog.notifications import services as law
from breachlog.register.export_csv import FORMULA_STARTS, register_csv
from breachlog.register.export_pdf import register_pdf

from .factories import Factory
from .reminder_helpers import html_of, page, run, text_of

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
AWARE = NOW - timedelta(hours=100)  # the 72 hours are past: the notification is late
ATTACKS = '<script>alert(1)</script> "><img src=x onerror=alert(1)> {{7*7}} &lt;b&gt;'
# what must never reach a page from the payloads: a live tag, or a template evaluated
LIVE = ("<script>alert(1)", "<img src=x", "&lt;b&gt;</")


def attack(name: str) -> str:
    """A payload that also says which field it sits in, so a miss names the field."""
    return f"{name}: {ATTACKS}"


TEXT_FACTS = (
    "title",
    "summary",
    "reporter_contact",
    "how_discovered",
    "processor_name",
    "personal_data_details",
    "protection_details",
    "consequences",
    "subject_description",
    "cause",
    "evaluation",
)
# short columns get a payload that fits them on PostgreSQL
SHORT = '<script>alert(1)</script>"><img src=x>{{7*7}}'


@dataclass
class Attacked:
    incident: Incident
    not_a_breach: Incident
    values: dict[str, str]
    token: str


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def build(make: Factory) -> Attacked:
    values = {name: attack(name) for name in TEXT_FACTS}
    values.update(
        organisation=attack("organisation"),
        fg_name=attack("fg_name"),
        reporter=attack("reporter name"),
        officer=attack("officer name"),
        member_state=SHORT,
        change_reason=attack("change_reason"),
        risk_rationale=attack("risk_rationale"),
        not_breach_rationale=attack("not_breach_rationale"),
        meldnummer="M-2026-4711",
        reasons_for_delay=attack("reasons_for_delay"),
        note=attack("note"),
        answer_nature=attack("answer_nature"),
        answer_measures=attack("answer_measures"),
        communication=attack("communication"),
        exemption=attack("exemption"),
        public_communication=attack("public_communication"),
        measure=attack("measure"),
        measure_owner=attack("owner"),
    )
    organisation = make.organisation(values["organisation"], fg_name=values["fg_name"])
    reporter = make.user("reporter", name=values["reporter"])
    officer = make.user("officer", email="fg@example.nl", name=values["officer"])
    facts = {name: values[name] for name in TEXT_FACTS}
    incident = make.incident(
        organisation,
        reporter=reporter,
        now=NOW,
        aware_at=AWARE,
        discovered_at=AWARE - timedelta(minutes=10),
        assignee_id=officer.id,
        is_cross_border=True,
        member_states=["BE", values["member_state"]],
        **facts,
    )
    incidents.update_incident(
        incident,
        {"aware_at": AWARE - timedelta(minutes=5), "summary": values["summary"] + " (2)"},
        officer,
        NOW,
        reason=values["change_reason"],
    )
    values["summary"] += " (2)"
    law.assess(incident, officer, NOW, risk="high", risk_rationale=values["risk_rationale"])
    law.record_notification(
        incident,
        officer,
        NOW,
        kind="initial",
        submitted_at=NOW,
        meldnummer=values["meldnummer"],
        reasons_for_delay=values["reasons_for_delay"],
        answers={"nature": values["answer_nature"], "measures": values["answer_measures"]},
        follows=["subjects", "records", "contact", "consequences"],
        note=values["note"],
    )
    law.record_subject_communication(
        incident,
        officer,
        NOW,
        sent_at=NOW,
        channel="letter",
        people_reached=12,
        text=values["communication"],
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )
    law.record_exemption(
        incident,
        officer,
        NOW,
        ground="disproportionate",
        rationale=values["exemption"],
        public_communication=values["public_communication"],
        public_sent_at=NOW,
        public_channel="website",
    )
    incidents.add_measure(
        incident,
        officer,
        NOW,
        kind="corrective",
        description=values["measure"],
        owner=values["measure_owner"],
        due_on=NOW.date(),
    )
    other = make.incident(organisation, reporter=reporter, now=NOW, title=attack("other title"))
    law.assess(
        other,
        officer,
        NOW,
        risk="none",
        risk_rationale="",
        is_personal_data_breach=False,
        not_breach_rationale=values["not_breach_rationale"],
    )
    token = issue_api_token(officer, actor="test", now=NOW)
    db.session.commit()
    return Attacked(incident, other, values, token)


@pytest.fixture
def attacked(make: Factory) -> Attacked:
    return build(make)


def assert_only_as_text(html: str, shown: list[str], where: str) -> None:
    """Each value is there escaped, and nothing of any payload is live markup or evaluated."""
    for live in LIVE:
        assert live not in html, f"{where}: {live!r} is live"
    for value in shown:
        assert str(escape(value)) in html, f"{where}: {value[:30]!r} is missing or mangled"
    # {{7*7}} is shown as typed, never worked out by the template engine
    assert html.count("{{7*7}}") >= len(shown), where


# -- web pages


def test_the_incident_page_and_its_history_show_every_payload_as_text(attacked, client, auth):
    auth.login("fg@example.nl")
    values = attacked.values
    html = page(client, f"/incidents/{attacked.incident.ref}")
    shown = [
        *(values[name] for name in TEXT_FACTS),
        values["organisation"],
        values["reporter"],
        values["officer"],
        values["member_state"],
        values["risk_rationale"],
        values["meldnummer"],
        values["reasons_for_delay"],
        values["communication"],
        values["exemption"],
        values["public_communication"],
        values["measure"],
        values["measure_owner"],
        values["change_reason"],  # in the history
    ]
    assert_only_as_text(html, shown, "incident page")
    history = html[html.index('id="history"') :]
    # the history has the summary before and after the change
    assert str(escape(values["summary"].removesuffix(" (2)"))) in history
    assert_only_as_text(history, [values["summary"], values["change_reason"]], "history")

    other = page(client, f"/incidents/{attacked.not_a_breach.ref}")
    assert_only_as_text(other, [values["not_breach_rationale"]], "not-a-breach page")


def test_lists_show_titles_as_text(attacked, client, auth):
    auth.login("fg@example.nl")
    title = attacked.values["title"]
    assert_only_as_text(page(client, "/"), [title], "dashboard")
    assert_only_as_text(page(client, "/register"), [title], "register list")
    searched = page(client, "/register?q=" + ATTACKS)  # the search box echoes the query
    assert_only_as_text(searched, [ATTACKS], "register search")


def test_the_ap_form_page_shows_the_answers_as_text(attacked, client, auth):
    auth.login("fg@example.nl")
    values = attacked.values
    html = page(client, f"/incidents/{attacked.incident.ref}/ap-form")
    shown = [
        values["summary"],
        values["organisation"],
        values["processor_name"],
        values["protection_details"],
        values["consequences"],
        values["member_state"],
        values["reasons_for_delay"],
        values["measure"],
    ]
    assert_only_as_text(html, shown, "AP form page")


def test_forms_show_the_stored_values_as_text(attacked, client, auth):
    """The edit form puts values in input attributes and textareas; the letter draft too."""
    auth.login("fg@example.nl")
    values = attacked.values
    ref = attacked.incident.ref
    edit = page(client, f"/incidents/{ref}/edit")
    assert_only_as_text(edit, [values[name] for name in TEXT_FACTS], "edit form")
    assessment = page(client, f"/incidents/{ref}/assessment")
    assert_only_as_text(assessment, [values["risk_rationale"]], "assessment form")
    letter = page(client, f"/incidents/{ref}/subjects")
    # the letter starts from what the people are told, never from the internal summary
    shown = [values["subject_description"], values["measure"]]
    assert_only_as_text(letter, shown, "letter draft")
    assert "</textarea><" not in letter.split("<textarea", 1)[1].split("</textarea>")[0]


def test_a_reporter_sees_their_report_as_text(attacked, client, auth):
    auth.login(attacked.incident.reporter.email)
    title = attacked.values["title"]
    assert_only_as_text(page(client, "/mine"), [title], "my reports")
    html = page(client, f"/incidents/{attacked.incident.ref}")
    assert_only_as_text(html, [title, attacked.values["summary"]], "reporter's incident page")


# -- the JSON API


def test_the_api_returns_payloads_verbatim_as_json_strings(attacked, client):
    values = attacked.values
    headers = {"Authorization": f"Bearer {attacked.token}"}
    response = client.get(f"/api/v1/incidents/{attacked.incident.ref}", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_json()
    for name in TEXT_FACTS:
        assert body[name] == values[name], name
    assert body["risk_rationale"] == values["risk_rationale"]
    assert body["organisation"]["name"] == values["organisation"]
    assert values["member_state"] in body["member_states"]
    (notification,) = body["notifications"]
    assert notification["meldnummer"] == values["meldnummer"]
    assert notification["reasons_for_delay"] == values["reasons_for_delay"]
    assert notification["note"] == values["note"]
    assert notification["answers"]["nature"] == values["answer_nature"]
    communication, exemption = body["subject_communications"]
    assert communication["text"] == values["communication"]
    assert exemption["rationale"] == values["exemption"]
    assert exemption["public_communication"] == values["public_communication"]
    (measure,) = body["measures"]
    assert (measure["description"], measure["owner"]) == (
        values["measure"],
        values["measure_owner"],
    )
    form = client.get(f"/api/v1/incidents/{attacked.incident.ref}/ap-form", headers=headers)
    answers = [a["value"] for s in form.get_json()["sections"] for a in s["answers"]]
    assert any(values["summary"] in str(answer) for answer in answers)


# -- the reminder mail


def test_the_reminder_mail_escapes_payloads_in_html_and_keeps_them_in_text(
    mail_app, make, mailbox
):
    values = {"title": attack("title"), "summary": attack("summary")}
    organisation = make.organisation(attack("organisation"))
    officer = make.user("officer", email="fg@example.nl", name=attack("officer name"))
    incident = make.incident(
        organisation,
        reporter=officer,
        now=NOW,
        aware_at=NOW - timedelta(hours=1),
        discovered_at=NOW - timedelta(hours=1),
        assignee_id=officer.id,
        **values,
    )
    incidents.add_measure(
        incident,
        officer,
        NOW,
        kind="corrective",
        description=attack("measure"),
        owner=attack("owner"),
        due_on=NOW.date(),
    )
    db.session.commit()
    run(NOW)  # the new report
    run(NOW + timedelta(days=1))  # the measure's due date and the deadline reminders
    mails = mailbox.to("fg@example.nl")
    assert len(mails) >= 2
    shown = {
        "new_report": [values["title"], attack("organisation"), attack("officer name")],
        "measure": [attack("measure"), attack("owner")],
    }
    seen = set()
    for mail in mails:
        html, text = html_of(mail), text_of(mail)
        kind = "measure" if attack("measure") in text else "new_report"
        seen.add(kind)
        assert_only_as_text(html, shown[kind], f"{mail['Subject']} (HTML)")
        for value in shown[kind]:
            assert value in text  # plain text is not markup: it reads as typed
    assert seen == {"new_report", "measure"}


def test_line_breaks_in_a_title_add_no_mail_headers_or_calendar_lines(mail_app, make, mailbox):
    officer = make.user("officer", email="fg@example.nl")
    title = "Lek\r\nBcc: everyone@example.com\rX-Injected: yes\nATTENDEE:mailto:x@example.com"
    incident = make.incident(make.organisation(), reporter=officer, now=NOW, title=title)
    run(NOW)
    (mail,) = mailbox.to("fg@example.nl")
    assert mail["Bcc"] is None and mail["X-Injected"] is None
    assert str(mail["Subject"]) == (
        f"New report {incident.ref}: Lek Bcc: everyone@example.com X-Injected: yes "
        "ATTENDEE:mailto:x@example.com"
    )
    assert mailbox.to("everyone@example.com") == []
    (calendar,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    lines = re.split(r"\r\n|\r|\n", calendar.get_content())
    assert not [line for line in lines if line.startswith(("ATTENDEE", "X-Injected"))]


# -- the exports


def test_the_pdf_builds_and_prints_payloads_literally(attacked):
    data = register_pdf(
        attacked.incident.organisation,
        attacked.incident.ref_year,
        language="en",
        generated_by=attack("generated by"),
        now=NOW,
    )
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for value in (
        attacked.values["title"],
        attacked.values["summary"],
        attacked.values["organisation"],
        attacked.values["risk_rationale"],
        attacked.values["measure"],
        attacked.values["communication"],
        attack("generated by"),
    ):
        assert " ".join(value.split()) in text, value[:30]  # with {{7*7}} as typed


def test_the_csv_escapes_formulas_and_keeps_markup_as_typed(make):
    organisation = make.organisation()
    officer = make.user("officer")
    formulas = {
        "title": '=HYPERLINK("http://evil.example/","klik")',
        "summary": "+1+2",
        "consequences": "-2+3",
        "cause": "@SUM(A1:A9)",
        "evaluation": "\t=1+1",
    }
    facts = {"now": NOW, "aware_at": AWARE, "discovered_at": AWARE}
    make.incident(organisation, reporter=officer, **facts, **formulas)
    make.incident(organisation, reporter=officer, **facts, title=attack("t"))
    data = register_csv(organisation, AWARE.year, language="en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'" + formulas["title"] in cells  # shown as typed, never run
    assert attack("t") in cells  # markup is just text to a spreadsheet
