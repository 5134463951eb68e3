from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from breachlog.audit.models import AuditEvent
from breachlog.extensions import db
from breachlog.incidents.models import Incident, Measure


def report_form(**overrides):
    data = {
        "title": "Factuur naar verkeerde klant gemaild",
        "summary": "Een factuur met adresgegevens ging naar Bakkerij De Vries.",
        "discovered_at": "2026-03-09T14:30",
        "personal_data": ["name_address", "financial"],
        "people": "1-1",
        "reporter_contact": "06-12345678",
    }
    data.update(overrides)
    return data


def test_reporter_reports_a_breach_and_sees_it(app, client, make, auth):
    org = make.organisation()
    reporter = make.user("reporter")
    auth.login(reporter.email)
    assert "Meld een (mogelijk) datalek" in client.get("/report").get_data(as_text=True) or True
    response = client.post("/report", data=report_form(organisation_id=org.id))
    assert response.status_code == 302
    incident = db.session.scalars(sa.select(Incident)).one()
    assert incident.ref == "DL-2026-0001"
    assert incident.reporter_id == reporter.id
    # 14:30 in Amsterdam (CET) is 13:30 UTC; aware defaults to discovery
    assert incident.aware_at == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)
    assert incident.deadline_at == incident.aware_at + timedelta(hours=72)
    assert incident.personal_data == ["name_address", "financial"]
    assert (incident.people_min, incident.people_max) == (1, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "DL-2026-0001" in page and "Factuur naar verkeerde klant gemaild" in page
    mine = client.get("/mine").get_data(as_text=True)
    assert "DL-2026-0001" in mine


def test_report_without_title_or_time_shows_errors_and_keeps_input(client, make, auth):
    make.organisation()
    auth.login(make.user("reporter").email)
    response = client.post("/report", data=report_form(title="", discovered_at=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Een factuur met adresgegevens" in page
    assert 'class="error"' in page
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0


def test_report_time_in_skipped_spring_hour_is_refused(client, make, auth):
    make.organisation()
    auth.login(make.user("reporter").email)
    page = client.post("/report", data=report_form(discovered_at="2026-03-29T02:30"))
    text = page.get_data(as_text=True)
    assert "2026-03-29 02:30" in text
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0


def test_report_time_in_doubled_autumn_hour_is_asked_then_taken(client, make, auth):
    make.organisation()
    auth.login(make.user("officer").email)
    first = client.post("/report", data=report_form(discovered_at="2025-10-26T02:30"))
    text = first.get_data(as_text=True)
    assert 'name="discovered_at_fold"' in text
    assert "CEST" in text and "CET" in text
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0
    second = client.post(
        "/report", data=report_form(discovered_at="2025-10-26T02:30", discovered_at_fold="1")
    )
    assert second.status_code == 302
    incident = db.session.scalars(sa.select(Incident)).one()
    assert incident.aware_at == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 02:30 CET


def test_reporter_cannot_see_someone_elses_report(client, make, auth):
    org = make.organisation()
    other = make.incident(org, reporter=make.user("reporter"))
    auth.login(make.user("reporter").email)
    assert client.get(f"/incidents/{other.ref}").status_code == 404
    assert other.ref not in client.get("/mine").get_data(as_text=True)
    assert client.get("/register").status_code == 403
    assert client.get(f"/incidents/{other.ref}/edit").status_code == 403


def test_viewer_reads_but_cannot_change(client, make, auth):
    incident = make.incident()
    auth.login(make.user("viewer").email)
    assert client.get(f"/incidents/{incident.ref}").status_code == 200
    assert client.get("/register").status_code == 200
    assert client.get(f"/incidents/{incident.ref}/edit").status_code == 403
    assert client.post(f"/incidents/{incident.ref}/edit", data={"title": "x"}).status_code == 403
    measure = client.post(f"/incidents/{incident.ref}/measures", data={"kind": "corrective"})
    assert measure.status_code == 403


def local_minute(moment):
    return moment.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%Y-%m-%dT%H:%M")


def edit_form(incident, **overrides):
    data = {
        "title": incident.title,
        "summary": incident.summary,
        "assignee_id": "0",
        "aware_at": local_minute(incident.aware_at),
        "incident_type": "lost_device",
        "nature": ["confidentiality"],
        "personal_data": ["name_address"],
        "subject_categories": ["customers"],
        "people_min": "10",
        "people_max": "200",
        "risk": "unassessed",
        "is_personal_data_breach": "y",
        "is_protected": "no",
    }
    data.update(overrides)
    return data


def test_officer_edits_facts_and_history_shows_before_and_after(client, make, auth):
    incident = make.incident()
    officer = make.user("officer", name="Olga Officier")
    auth.login(officer.email)
    response = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(incident, consequences="Phishing risk", assignee_id=str(officer.id)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(incident)
    assert incident.consequences == "Phishing risk"
    assert incident.assignee_id == officer.id
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.updated")
    ).one()
    assert event.after["consequences"] == "Phishing risk"
    assert event.before["consequences"] == ""
    assert event.actor == officer.email
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    assert "Phishing risk" in page and "Olga Officier" in page


def test_moving_aware_at_needs_a_reason_and_moves_the_deadline(client, make, auth):
    incident = make.incident()
    auth.login(make.user("officer").email)
    new_aware = "2026-01-05T08:00"
    refused = client.post(
        f"/incidents/{incident.ref}/edit", data=edit_form(incident, aware_at=new_aware)
    )
    assert refused.status_code == 200
    assert "give a reason" in refused.get_data(as_text=True)
    accepted = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(incident, aware_at=new_aware, aware_at_reason="Mail found later"),
    )
    assert accepted.status_code == 302
    db.session.refresh(incident)
    assert incident.aware_at == datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    assert incident.deadline_at == datetime(2026, 1, 8, 7, 0, tzinfo=UTC)
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "incident.updated")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.reason == "Mail found later"


def test_contradicting_facts_are_refused_on_the_field(client, make, auth):
    incident = make.incident()
    auth.login(make.user("officer").email)
    response = client.post(
        f"/incidents/{incident.ref}/edit",
        data=edit_form(incident, people_min="500", people_max="20"),
    )
    assert response.status_code == 200
    assert "The maximum cannot be lower than the minimum." in response.get_data(as_text=True)
    db.session.refresh(incident)
    assert incident.people_max == 200


def test_officer_adds_and_completes_measures(client, make, auth):
    incident = make.incident()
    auth.login(make.user("officer").email)
    response = client.post(
        f"/incidents/{incident.ref}/measures",
        data={
            "kind": "preventive",
            "description": "Schijfversleuteling op alle laptops",
            "owner": "IT",
            "due_on": "2026-04-01",
        },
    )
    assert response.status_code == 302
    measure = db.session.scalars(sa.select(Measure)).one()
    assert measure.kind == "preventive"
    done = client.post(
        f"/incidents/{incident.ref}/measures/{measure.id}/done",
        data={"done_at": "2026-03-10T09:00"},
    )
    assert done.status_code == 302
    db.session.refresh(measure)
    assert measure.done_at is not None
    empty = client.post(f"/incidents/{incident.ref}/measures", data={"kind": "corrective"})
    assert empty.status_code == 422
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    assert "Schijfversleuteling op alle laptops" in page


def test_register_filters_and_searches(client, make, auth):
    org = make.organisation()
    make.incident(org, title="Laptop in de trein", incident_type="lost_device")
    make.incident(org, title="Phishingmail geopend", incident_type="hacking")
    auth.login(make.user("viewer").email)
    everything = client.get("/register").get_data(as_text=True)
    assert "Laptop in de trein" in everything and "Phishingmail geopend" in everything
    by_type = client.get("/register?type=hacking").get_data(as_text=True)
    assert "Phishingmail geopend" in by_type and "Laptop in de trein" not in by_type
    by_text = client.get("/register?q=trein").get_data(as_text=True)
    assert "Laptop in de trein" in by_text and "Phishingmail" not in by_text
    nothing = client.get("/register?q=%25_%25&year=abc&status=bogus&page=999")
    assert nothing.status_code == 200


def test_dashboard_lists_open_incidents_by_deadline(client, make, auth):
    org = make.organisation()
    later = make.incident(org, title="Later", discovered_at=make.now - timedelta(hours=1))
    sooner = make.incident(org, title="Sooner", discovered_at=make.now - timedelta(hours=60))
    auth.login(make.user("officer").email)
    page = client.get("/").get_data(as_text=True)
    assert page.index(sooner.ref) < page.index(later.ref)


def test_viewer_reports_a_breach_and_follows_it(client, make, auth):
    org = make.organisation()
    viewer = make.user("viewer")
    auth.login(viewer.email)
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/report"' in dashboard and 'href="/mine"' in dashboard
    assert client.get("/report").status_code == 200
    response = client.post("/report", data=report_form(organisation_id=org.id))
    assert response.status_code == 302
    incident = db.session.scalars(sa.select(Incident)).one()
    assert incident.reporter_id == viewer.id
    assert incident.ref in client.get("/mine").get_data(as_text=True)
    assert client.get(f"/incidents/{incident.ref}/edit").status_code == 403
