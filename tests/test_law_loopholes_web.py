"""The law in the browser: each loophole a new user found, now refused on the form."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.incidents.models import Incident

from .test_incidents_web import edit_form, report_form
from .test_law_web import AMS, assess, close, complete, local, notify


def text(response):
    return response.get_data(as_text=True)


def officer(make, auth):
    user = make.user("officer")
    auth.login(user.email)
    return user


# -- 1. R5


def test_report_with_a_processors_notice_counts_from_the_notice(client, make, auth):
    org = make.organisation()
    auth.login(make.user("reporter").email)
    notice = make.now - timedelta(days=5)
    response = client.post(
        "/report",
        data=report_form(
            organisation_id=org.id,
            discovered_at=local(notice),
            processor_name="Hosting B.V.",
            processor_notified_at=local(notice),
        ),
    )
    assert response.status_code == 302
    incident = db.session.scalars(sa.select(Incident)).one()
    assert incident.aware_at == notice.replace(second=0)
    assert incident.deadline_at == incident.aware_at + timedelta(hours=72)


def test_report_discovered_after_the_processors_notice_is_refused_naming_it(client, make, auth):
    org = make.organisation()
    auth.login(make.user("reporter").email)
    notice = make.now - timedelta(days=5)
    response = client.post(
        "/report",
        data=report_form(
            organisation_id=org.id,
            discovered_at=local(make.now - timedelta(hours=1)),
            processor_name="Hosting B.V.",
            processor_notified_at=local(notice),
        ),
    )
    assert response.status_code == 200
    shown = notice.astimezone(AMS)
    assert (
        f"The breach was discovered no later than the processor&#39;s notice of "
        f"{shown:%d-%m-%Y %H:%M}"
    ) in text(response)
    assert "cannot have become aware before the breach was discovered" not in text(response)
    assert db.session.scalars(sa.select(Incident)).all() == []


def test_edit_form_takes_awareness_before_the_notice_and_refuses_it_after(client, make, auth):
    incident = make.incident(discovered_at=None)
    officer(make, auth)
    earlier = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(
            incident,
            aware_at=local(make.now - timedelta(hours=27)),
            aware_at_reason="Eerder bekend",
            processor_name="Hosting B.V.",
            processor_notified_at=local(make.now - timedelta(hours=21)),
        ),
    )
    assert earlier.status_code == 302
    notice = make.now - timedelta(days=5)
    later = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(
            incident,
            aware_at=local(make.now - timedelta(hours=27)),
            processor_name="Hosting B.V.",
            processor_notified_at=local(notice),
        ),
    )
    assert later.status_code == 200
    shown = notice.astimezone(AMS)
    assert f"no later than the processor&#39;s notice of {shown:%d-%m-%Y %H:%M}" in text(later)


# -- 2. R11


def test_notify_form_refuses_the_nature_as_following(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    assess(client, incident, "risk")
    refused = notify(client, incident, make.now, follows=["nature", "consequences"])
    assert refused.status_code == 200
    assert "gives at least the nature" in text(refused)


def test_dashboard_and_incident_page_name_the_parts_owed(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    assess(client, incident, "risk")
    assert notify(client, incident, make.now, follows=["consequences", "measures"]).status_code
    assert "supplement owed: consequences, measures" in text(client.get("/"))
    assert "supplement owed: consequences, measures" in text(
        client.get(f"/incidents/{incident.ref}")
    )
    refused = close(client, incident)
    assert "still owed a supplement with consequences, measures" in text(refused)


# -- 3. R12


def test_the_draft_letter_starts_from_the_description_for_the_people(client, make, auth):
    incident = complete(
        make, summary="Jan de Vries (sales) mailde de lijst van klant Bakkerij Smit door."
    )
    officer(make, auth)
    assess(client, incident, "high")
    draft = text(client.get(f"/incidents/{incident.ref}/subjects?letter=nl"))
    assert "Jan de Vries" not in draft and "(nog aanvullen)" in draft
    services.update_incident(
        incident,
        {"subject_description": "Een lijst met uw adres is naar een verkeerde ontvanger gemaild."},
        incident.reporter,
        make.now,
    )
    db.session.commit()
    draft = text(client.get(f"/incidents/{incident.ref}/subjects?letter=nl"))
    assert "naar een verkeerde ontvanger gemaild" in draft and "Jan de Vries" not in draft


def test_the_draft_as_it_stands_is_not_a_sent_text(client, make, auth):
    incident = make.incident()
    officer(make, auth)
    assess(client, incident, "high")
    from breachlog.notifications.letters import subject_letter

    with client.application.test_request_context():
        draft = subject_letter(incident, "nl")
    refused = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={
            "c-sent_at": local(make.now),
            "c-channel": "letter",
            "c-people_reached": "200",
            "c-text": draft,
            "c-names_contact": "y",
            "c-names_consequences": "y",
            "c-names_measures": "y",
        },
    )
    assert refused.status_code == 200
    assert "still holds the draft&#39;s placeholders" in text(refused)
    unconfirmed = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={
            "c-sent_at": local(make.now - timedelta(days=40)),
            "c-channel": "email",
            "c-people_reached": "0",
            "c-text": "x",
        },
    )
    page = text(unconfirmed)
    assert "before the organisation was aware" in page
    assert "reaches at least one person" in page
    assert "must name a contact point" in page


# -- 4. R13


def test_exemption_a_is_refused_while_the_data_was_not_protected(client, make, auth):
    incident = complete(make, is_protected=False)
    officer(make, auth)
    assess(client, incident, "high")
    refused = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={"e-ground": "unintelligible", "e-rationale": "Versleuteld"},
    )
    assert "Ground (a) needs the data to have been protected" in text(refused)


# -- 6. R15


def test_withdrawal_without_reason_and_not_a_breach_while_notified_are_refused(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    assess(client, incident, "risk")
    notify(client, incident, make.now)
    flipped = assess(
        client, incident, "none", is_personal_data_breach="no", not_breach_rationale="Geen"
    )
    assert "withdraw the notification" in text(flipped)
    bare = notify(client, incident, make.now, kind="withdrawal", meldnummer="", note="")
    assert "Give the reason for the withdrawal" in text(bare)
    db.session.refresh(incident)
    assert not incident.is_withdrawn and incident.is_personal_data_breach


# -- 7. R16


def test_close_lists_open_measures_and_needs_their_confirmation(client, make, auth):
    incident = complete(make)
    user = officer(make, auth)
    services.add_measure(
        incident, user, make.now, kind="preventive", description="Training phishing"
    )
    db.session.commit()
    assess(client, incident, "none")
    page = client.get(f"/incidents/{incident.ref}/close")
    assert "Training phishing" in text(page)
    refused = close(client, incident)
    assert refused.status_code == 200 and "Confirm that you close" in text(refused)
    confirmed = client.post(
        f"/incidents/{incident.ref}/close",
        data={"evaluation": "Geleerd", "confirm_open_measures": "y"},
    )
    assert confirmed.status_code == 302


def test_closing_without_cause_is_refused_on_the_page(client, make, auth):
    incident = make.incident(consequences="Phishing")
    officer(make, auth)
    assess(client, incident, "none")
    refused = close(client, incident)
    assert "record the cause" in text(refused)
    assert "record at least one measure" in text(refused)


# -- 10.


def test_notify_form_refuses_a_meldnummer_that_is_not_one(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    assess(client, incident, "risk")
    refused = notify(client, incident, make.now, meldnummer="bel ik morgen")
    assert "A meldnummer is the number the AP gave" in text(refused)


# -- 9. ENISA


def _as_shown(page, names):
    """What the browser sends back when the form is saved as shown: selected options, ticks."""
    from html.parser import HTMLParser

    values = {}

    class Reader(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select in names and "selected" in a:
                values[self.select] = a.get("value")
            elif tag == "input" and a.get("name") in names and a.get("type") == "checkbox":
                if "checked" in a:
                    values[a["name"]] = a.get("value") or "y"
            elif tag == "textarea" and a.get("name") in names:
                values.setdefault(a["name"], "")

    Reader().feed(page)
    return values


def test_resaving_the_assessment_as_shown_keeps_the_enisa_score(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    saved = assess(
        client,
        incident,
        "risk",
        enisa_dpc="1",
        enisa_ei="1",
        cb_confidentiality="0.5",
        cb_malicious="y",
    )
    assert saved.status_code == 302
    db.session.refresh(incident)
    assert (incident.enisa_dpc * incident.enisa_ei + incident.enisa_cb) == 2.0
    page = text(client.get(f"/incidents/{incident.ref}/assessment"))
    names = {
        "enisa_dpc",
        "enisa_ei",
        "enisa_dpc_base",
        "cb_confidentiality",
        "cb_integrity",
        "cb_availability",
        "cb_malicious",
    }
    shown = _as_shown(page, names)
    assert shown["cb_confidentiality"] == "0.5" and shown["cb_malicious"] == "y"
    again = client.post(
        f"/incidents/{incident.ref}/assessment",
        data={
            "is_personal_data_breach": "yes",
            "risk": "risk",
            "risk_rationale": incident.risk_rationale,
            **shown,
        },
    )
    assert again.status_code == 302
    db.session.refresh(incident)
    assert (incident.enisa_cb, incident.enisa_malicious) == (1.0, True)
    assert incident.enisa_dpc * incident.enisa_ei + incident.enisa_cb == 2.0


def test_an_adjusted_context_is_recorded_with_its_reason(client, make, auth):
    incident = complete(make)
    officer(make, auth)
    refused = assess(client, incident, "risk", enisa_dpc="2", enisa_ei="1", enisa_dpc_base="1")
    assert "say what in the context adjusts it" in text(refused)
    saved = assess(
        client,
        incident,
        "risk",
        enisa_dpc="2",
        enisa_ei="1",
        enisa_dpc_base="1",
        enisa_dpc_reason="Klanten in schuldhulpverlening",
    )
    assert saved.status_code == 302
    db.session.refresh(incident)
    assert (incident.enisa_dpc_base, incident.enisa_dpc_reason) == (
        1.0,
        "Klanten in schuldhulpverlening",
    )


# -- 5. R14


def test_a_later_awareness_after_the_deadline_waits_for_a_second_officer(client, make, auth):
    aware = make.now - timedelta(hours=80)
    incident = make.incident(discovered_at=None, aware_at=aware)
    first_deadline = incident.deadline_at
    officer(make, auth)
    later = make.now - timedelta(hours=20)
    held = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(incident, aware_at=local(later), aware_at_reason="Toen pas duidelijk"),
        follow_redirects=True,
    )
    assert "takes effect when a second officer approves it" in text(held)
    assert "awaits a second officer" in text(held)
    db.session.refresh(incident)
    assert incident.deadline_at == first_deadline and incident.aware_at == aware
    client.post("/logout")
    officer(make, auth)
    approved = client.post(f"/incidents/{incident.ref}/aware-at/approve", follow_redirects=True)
    assert "First recorded awareness" in text(approved)
    db.session.refresh(incident)
    assert incident.aware_at == later.replace(second=0) and incident.pending_aware_at is None
    assert incident.first_deadline_at == first_deadline
