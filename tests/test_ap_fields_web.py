"""The AP form's yes/no facts in three states, and its own questions, through the web forms."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.extensions import db
from breachlog.incidents.models import Incident

from .conftest import NOW
from .test_ap_form import answer_html
from .test_incidents_web import edit_form, report_form
from .test_law_web import assess


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def facts_shown(page: str) -> dict[str, str]:
    """The incident page's facts: each <dt> with the text of its <dd>."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    return {html.unescape(k.strip()): html.unescape(v.strip()) for k, v in pairs}


def only(sql_model):
    return db.session.scalars(sa.select(sql_model)).one()


def test_a_fresh_report_shows_not_known_yet_never_no(client, make, auth):
    """A report nobody asked about these says 'nog onbekend', not 'nee'."""
    org = make.organisation()
    auth.login(make.user("reporter", language="nl").email)
    response = client.post("/report", data=report_form(organisation_id=org.id))
    assert response.status_code == 302
    incident = only(Incident)
    assert (incident.is_ongoing, incident.is_dpo_involved, incident.is_cross_border) == (
        None,
        None,
        None,
    )
    assert incident.has_special_categories is None
    auth.logout()
    auth.login(make.user("officer", language="nl").email)
    shown = facts_shown(client.get(f"/incidents/{incident.ref}").get_data(as_text=True))
    assert shown["Nog gaande"] == "nog onbekend"
    assert shown["FG betrokken"] == "nog onbekend"
    assert shown["Grensoverschrijdende verwerking"] == "nog onbekend"


def test_the_ap_form_does_not_say_no_special_categories_when_nobody_was_asked(client, make, auth):
    """A report made on the form, where the reporter skipped the special-data question: the
    AP form said "Bijzondere persoonsgegevens: geen"."""
    org = make.organisation()
    auth.login(make.user("reporter", language="nl").email)
    assert client.post("/report", data=report_form(organisation_id=org.id)).status_code == 302
    incident = only(Incident)
    auth.logout()
    auth.login(make.user("officer", language="nl").email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    for key in ("has_special_categories", "is_ongoing", "is_dpo_involved", "is_cross_border"):
        shown = answer_html(page, key)
        assert 'data-state="unknown"' in shown and "nog onbekend" in shown, key
        assert not re.search(r">\s*(nee|geen)\s*<", shown), key


def test_reporter_answers_special_categories_in_plain_words(client, make, auth):
    org = make.organisation()
    auth.login(make.user("reporter", language="nl").email)
    form = client.get("/report").get_data(as_text=True)
    assert "gezondheid" in form and "weet ik niet" in form
    response = client.post(
        "/report",
        data=report_form(
            organisation_id=org.id,
            has_special_categories="",
            special_categories=["health"],
            is_ongoing="yes",
        ),
    )
    assert response.status_code == 302
    incident = only(Incident)
    # listing a category is a yes
    assert (incident.has_special_categories, incident.special_categories) == (True, ["health"])
    assert incident.is_ongoing is True


def test_reporter_saying_no_while_listing_categories_is_told_on_the_field(client, make, auth):
    org = make.organisation()
    auth.login(make.user("reporter").email)
    response = client.post(
        "/report",
        data=report_form(
            organisation_id=org.id, has_special_categories="no", special_categories=["health"]
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="has_special_categories-error"' in page
    assert "You answered no, but listed special categories" in page
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0


def test_reporter_who_does_not_know_leaves_them_not_known(client, make, auth):
    org = make.organisation()
    auth.login(make.user("reporter").email)
    client.post(
        "/report",
        data=report_form(organisation_id=org.id, has_special_categories="", is_ongoing=""),
    )
    incident = only(Incident)
    assert (incident.has_special_categories, incident.is_ongoing) == (None, None)


def test_a_resaved_edit_form_keeps_not_known_yet(client, make, auth):
    incident = make.incident(now=NOW)
    auth.login(make.user("officer").email)
    page = client.get(f"/incidents/{incident.ref}/edit").get_data(as_text=True)
    # the three-way choice shows "not known yet" chosen
    for name in ("is_ongoing", "is_cross_border", "has_special_categories"):
        assert re.search(
            rf'<input checked id="{name}-0" name="{name}" type="radio" value="">', page
        )
    data = edit_form(incident, is_ongoing="", is_cross_border="", is_protected="")
    assert client.post(f"/incidents/{incident.ref}/edit", data=data).status_code == 302
    db.session.refresh(incident)
    assert (incident.is_ongoing, incident.is_cross_border, incident.is_protected) == (
        None,
        None,
        None,
    )
    data = edit_form(incident, is_ongoing="no", is_cross_border="yes", member_states="BE")
    assert client.post(f"/incidents/{incident.ref}/edit", data=data).status_code == 302
    db.session.refresh(incident)
    assert (incident.is_ongoing, incident.is_cross_border) == (False, True)
    page = client.get(f"/incidents/{incident.ref}/edit").get_data(as_text=True)
    assert re.search(
        r'<input checked id="is_ongoing-2" name="is_ongoing" type="radio" value="no">', page
    )


def test_assessment_keeps_the_fg_question_open_until_answered(client, make, auth):
    incident = make.incident(now=NOW)
    auth.login(make.user("officer").email)
    response = assess(client, incident, "none")
    assert response.status_code == 302
    db.session.refresh(incident)
    assert incident.is_dpo_involved is None
    assess(client, incident, "none", is_dpo_involved="no")
    db.session.refresh(incident)
    assert incident.is_dpo_involved is False
    page = client.get(f"/incidents/{incident.ref}/assessment").get_data(as_text=True)
    assert re.search(r'<input checked id="is_dpo_involved-2"[^>]*value="no">', page)


def ap_answers(**overrides):
    data = {
        "other_organisations": "Drukkerij Jansen (verwerker)",
        "data_outcomes": ["read", "copied"],
        "has_special_categories": "yes",
        "special_categories": ["health"],
        "consequences_confidentiality": "Klantgegevens gelezen door derden.",
        "consequences_integrity": "",
        "consequences_availability": "Niet beschikbaar gedurende een dag.",
        "harm_kinds": ["material", "immaterial"],
        "severity": "high",
        "other_authorities_notified": "yes",
        "other_authorities-0-authority": "Autorité de protection des données",
        "other_authorities-0-country": "be",
        "other_authorities-0-notified_on": "2026-03-09",
        "other_authorities-0-reference": "APD-2026-77",
        "other_authorities-1-authority": "",
        "other_authorities-1-country": "",
        "subjects_plan": "planned",
        "subjects_planned_on": "2026-03-20",
        "other_remarks": "Het datalek is ook aan de politie gemeld.",
    }
    data.update(overrides)
    return data


def test_officer_answers_the_ap_forms_own_questions_and_history_says_them(client, make, auth):
    incident = make.incident(now=NOW)
    auth.login(make.user("officer").email)
    data = edit_form(incident, **ap_answers())
    response = client.post(f"/incidents/{incident.ref}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(incident)
    assert incident.data_outcomes == ["read", "copied"]
    assert incident.harm_kinds == ["material", "immaterial"]
    assert incident.severity == "high"
    assert incident.other_authorities == [
        {
            "authority": "Autorité de protection des données",
            "country": "BE",
            "notified_on": "2026-03-09",
            "reference": "APD-2026-77",
        }
    ]
    assert incident.other_authorities_notified is True
    assert incident.subjects_planned_on == date(2026, 3, 20)
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).one()
    assert event.after["severity"] == "high"
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    text = html.unescape(page)
    assert (
        "Autorité de protection des données (BE), told 9 Mar 2026, their reference APD-2026-77"
        in text
    )
    assert "read, copied" in text and "material harm, immaterial harm" in text
    assert "not yet, but they will be" in text and "20 Mar 2026" in text
    # the form shows the recorded authority again, with blank rows to add more
    form = client.get(f"/incidents/{incident.ref}/edit").get_data(as_text=True)
    assert 'value="APD-2026-77"' in form and 'name="other_authorities-2-authority"' in form


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"data_outcomes": ["read", "unknown"]}, "data_outcomes", "excludes the others"),
        ({"harm_kinds": ["none", "material"]}, "harm_kinds", "excludes the others"),
        ({"other_authorities_notified": "no"}, "other_authorities_notified", "You answered no"),
        ({"other_authorities-0-country": "XX"}, "other_authorities", "not a country code"),
        ({"other_authorities-0-country": ""}, "other_authorities", "not a country code"),
        ({"other_authorities-0-authority": ""}, "other_authorities", "Name each authority"),
        ({"other_authorities-0-notified_on": "2026-04-01"}, "other_authorities", "future"),
        ({"other_authorities-0-notified_on": "1999-12-31"}, "other_authorities", "before 2000"),
        ({"other_authorities-0-reference": "x" * 101}, "other_authorities", "reference"),
        ({"subjects_plan": "not"}, "subjects_plan_reason", "will not be informed"),
        ({"subjects_planned_on": "2040-01-01"}, "subjects_planned_on", "year"),
        ({"severity": "extreme"}, "severity", "Not a valid choice"),
        ({"has_special_categories": "no"}, "has_special_categories", "You answered no"),
    ],
)
def test_wrong_ap_answers_are_refused_on_their_field(
    client, make, auth, overrides, field, message
):
    incident = make.incident(now=NOW)
    auth.login(make.user("officer").email)
    data = edit_form(incident, **ap_answers(**overrides))
    response = client.post(f"/incidents/{incident.ref}/edit", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error">(.*?)</div>', page, re.S)
    assert error and message in error.group(1), page[page.find("error-summary") :][:1500]
    db.session.refresh(incident)
    assert incident.severity == ""


def test_notification_records_the_law_and_who_notifies_prefilled_from_the_account(
    client, make, auth
):
    incident = make.incident(now=NOW, nature=["confidentiality"])
    officer = make.user("officer", name="Fenna de Groot", email="fg@example.nl")
    auth.login(officer.email)
    assess(client, incident, "risk")
    form = client.get(f"/incidents/{incident.ref}/notifications/new").get_data(as_text=True)
    assert 'value="Fenna de Groot"' in form and 'value="fg@example.nl"' in form
    assert '<option selected value="avg">' in form
    body = {
        "kind": "initial",
        "submitted_at": "2026-03-10T09:30",
        "meldnummer": "AP-2026-1",
        "follows": ["subjects", "consequences", "measures"],
        "law": "telecom",
        "notifier_name": "Fenna de Groot",
        "notifier_role": "Functionaris gegevensbescherming",
        "notifier_email": "fg@example",
        "notifier_phone": "06-1234 5678",
    }
    refused = client.post(f"/incidents/{incident.ref}/notifications/new", data=body)
    assert 'id="notifier_email-error"' in refused.get_data(as_text=True)
    response = client.post(
        f"/incidents/{incident.ref}/notifications/new",
        data={**body, "notifier_email": "fg@example.nl"},
    )
    assert response.status_code == 302, re.findall(r'class="error">(.*?)<', response.text)
    db.session.refresh(incident)
    assert (incident.law, incident.notifier_role, incident.notifier_phone) == (
        "telecom",
        "Functionaris gegevensbescherming",
        "06-1234 5678",
    )
    updated = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).all()
    assert updated[-1].after["law"] == "telecom"
    # the notification keeps its Art. 33(3) parts as given, and the register still prints
    notification = incident.notifications[0]
    assert notification.answers["parts"]["nature"]
    assert client.get("/register/2026.pdf").status_code == 200
