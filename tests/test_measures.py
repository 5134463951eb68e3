"""Measures are changed, completed on a chosen day, cancelled with a reason, and shown
overdue once their due day has passed: each act audited."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.domain.errors import RuleViolation
from breachlog.domain.measures import is_overdue
from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.incidents.models import Measure
from breachlog.measures import services as measures
from breachlog.reminders.models import Reminder

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@pytest.fixture
def measure(make, fixed_now):
    incident = make.incident(now=NOW)
    officer = make.user("officer")
    item = services.add_measure(
        incident,
        officer,
        NOW,
        kind="corrective",
        description="Wachtwoorden resetten",
        owner="IT",
        due_on=date(2026, 3, 20),
    )
    db.session.commit()
    return item


def url(m: Measure, action: str) -> str:
    return f"/incidents/{m.incident.ref}/measures/{m.id}/{action}"


def events(m: Measure, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type == "measure",
                AuditEvent.object_id == m.id,
                AuditEvent.action == action,
            )
        )
    )


def test_a_measure_is_overdue_only_when_open_past_its_day():
    day = date(2026, 3, 10)
    assert is_overdue(date(2026, 3, 9), day, None, None)
    assert not is_overdue(date(2026, 3, 10), day, None, None)
    assert not is_overdue(None, day, None, None)
    assert not is_overdue(date(2020, 1, 1), day, NOW, None)
    assert not is_overdue(date(2020, 1, 1), day, None, NOW)


def test_officer_changes_description_owner_and_due_date(client, auth, make, measure):
    auth.login(make.user("officer").email)
    page = client.get(url(measure, "edit"))
    assert page.status_code == 200 and "Wachtwoorden resetten" in page.get_data(as_text=True)
    response = client.post(
        url(measure, "edit"),
        data={"description": "Alle wachtwoorden resetten", "owner": "Jan", "due_on": "2026-04-01"},
    )
    assert response.status_code == 302
    db.session.refresh(measure)
    assert (measure.description, measure.owner, measure.due_on) == (
        "Alle wachtwoorden resetten",
        "Jan",
        date(2026, 4, 1),
    )
    [event] = events(measure, "measure.edited")
    assert event.before == {
        "description": "Wachtwoorden resetten",
        "owner": "IT",
        "due_on": "2026-03-20",
    }
    history = client.get(f"/incidents/{measure.incident.ref}").get_data(as_text=True)
    assert "changed a measure" in history


def test_an_empty_description_is_refused_with_a_message(client, auth, make, measure):
    auth.login(make.user("officer").email)
    response = client.post(url(measure, "edit"), data={"description": " ", "owner": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    db.session.refresh(measure)
    assert measure.description == "Wachtwoorden resetten"


def test_a_measure_is_done_on_the_day_the_officer_gives(client, auth, make, measure):
    auth.login(make.user("officer").email)
    form = client.get(url(measure, "edit")).get_data(as_text=True)
    assert 'value="2026-03-10T10:00"' in form  # now, in Amsterdam, as the proposal
    response = client.post(url(measure, "done"), data={"done_at": "2026-03-08T16:30"})
    assert response.status_code == 302
    db.session.refresh(measure)
    assert measure.done_at == datetime(2026, 3, 8, 15, 30, tzinfo=UTC)  # not now
    [event] = events(measure, "measure.completed")
    assert event.after["done_at"].startswith("2026-03-08T15:30")


def test_done_in_the_future_or_without_a_day_is_refused(client, auth, make, measure):
    auth.login(make.user("officer").email)
    future = client.post(url(measure, "done"), data={"done_at": "2026-03-12T09:00"})
    assert future.status_code == 422
    assert "This time lies in the future." in future.get_data(as_text=True)
    empty = client.post(url(measure, "done"), data={"done_at": ""})
    assert empty.status_code == 422
    assert "This time is required." in empty.get_data(as_text=True)
    db.session.refresh(measure)
    assert measure.done_at is None


def test_cancelling_needs_a_reason_and_is_kept_with_it(client, auth, make, measure):
    auth.login(make.user("officer").email)
    refused = client.post(url(measure, "cancel"), data={"reason": ""})
    assert refused.status_code == 422
    db.session.refresh(measure)
    assert measure.cancelled_at is None
    response = client.post(url(measure, "cancel"), data={"reason": "Systeem wordt uitgefaseerd"})
    assert response.status_code == 302
    db.session.refresh(measure)
    assert measure.cancelled_at == NOW and measure.cancel_reason == "Systeem wordt uitgefaseerd"
    [event] = events(measure, "measure.cancelled")
    assert event.reason == "Systeem wordt uitgefaseerd"
    page = client.get(f"/incidents/{measure.incident.ref}").get_data(as_text=True)
    assert "cancelled" in page and "Systeem wordt uitgefaseerd" in page
    reminder = db.session.scalars(
        sa.select(Reminder).where(Reminder.stage == f"measure-{measure.id}")
    ).one()
    assert reminder.status == "cancelled"
    client.post(url(measure, "reopen"))
    db.session.refresh(measure)
    assert measure.cancelled_at is None and measure.cancel_reason == ""


def test_a_done_measure_cannot_be_cancelled(make, measure):
    officer = make.user("officer")
    measures.complete_measure(measure, officer, NOW, done_at=NOW)
    with pytest.raises(RuleViolation):
        measures.cancel_measure(measure, officer, NOW, "te laat")


def test_a_measure_due_in_2020_shows_overdue_on_the_incident_and_the_dashboard(
    client, auth, make, fixed_now
):
    incident = make.incident(now=NOW)
    officer = make.user("officer")
    old = services.add_measure(
        incident,
        officer,
        NOW,
        kind="preventive",
        description="Laptops versleutelen",
        due_on=date(2020, 6, 1),
    )
    services.add_measure(
        incident,
        officer,
        NOW,
        kind="preventive",
        description="Training geven",
        due_on=date(2026, 12, 1),
    )
    db.session.commit()
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    row = page[page.index(f'data-measure="{old.id}"') - 40 :].split("</tr>")[0]
    assert 'class="overdue' in row and "overdue</span>" in row
    assert page.count("overdue</span>") == 1
    dashboard = client.get("/").get_data(as_text=True)
    assert "1 measure is overdue" in dashboard and "Laptops versleutelen" in dashboard
    assert "due 1 Jun 2020" in dashboard  # the day as every page shows it
    assert "2020-06-01" not in dashboard.replace('datetime="2020-06-01"', "")
    assert "Training geven" not in dashboard


def test_a_cancelled_measure_stays_in_the_register_with_its_reason(client, auth, make, measure):
    officer = make.user("officer")
    measures.cancel_measure(measure, officer, NOW, "Systeem wordt uitgefaseerd")
    db.session.commit()
    auth.login(officer.email)
    org = measure.incident.organisation_id
    csv = client.get(f"/register/2026.csv?organisation={org}&lang=en&sep=;")
    assert csv.status_code == 200
    text = csv.data.decode("utf-8-sig")
    assert (
        "Wachtwoorden resetten (cancelled 10 Mar 2026, 10:00: Systeem wordt uitgefaseerd)" in text
    )
    pdf = client.get(f"/register/2026.pdf?organisation={org}")
    assert pdf.status_code == 200
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    words = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    assert "Cancelled at: 10 Mar 2026, 10:00" in words and "Systeem wordt uitgefaseerd" in words


def test_the_api_shows_a_cancelled_measure_with_its_reason(client, make, measure):
    from breachlog.auth import services as auth_services

    officer = make.user("officer")
    measures.cancel_measure(measure, officer, NOW, "Systeem wordt uitgefaseerd")
    token = auth_services.issue_api_token(officer, actor="test", now=NOW)
    db.session.commit()
    found = client.get(
        f"/api/v1/incidents/{measure.incident.ref}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    [shown] = found["measures"]
    assert shown["cancel_reason"] == "Systeem wordt uitgefaseerd"
    assert shown["cancelled_at"].startswith("2026-03-10T09:00")
