"""R14 over the API: where the organisation asks for it, risk none, not a breach and a
withdrawal wait for a second officer's approval; elsewhere they take effect at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.auth import services as auth_services
from breachlog.extensions import db

from .conftest import NOW
from .test_law_loopholes_api import API, assess, at, complete, errors, notify, shown


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def bearer(user):
    secret = auth_services.issue_api_token(user, actor="test", now=NOW)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def officers(make):
    make.organisation(four_eyes_required=True)
    return bearer(make.user("officer", email="eerste@example.nl")), bearer(
        make.user("officer", email="tweede@example.nl")
    )


def approve(client, headers, incident):
    return client.post(f"{API}/incidents/{incident.ref}/pending-act/approval", headers=headers)


def withdraw(client, headers, incident):
    body = {"kind": "withdrawal", "submitted_at": at(-timedelta(minutes=5))}
    body["note"] = "Toch geen persoonsgegevens op de laptop"
    return client.post(f"{API}/incidents/{incident.ref}/notifications", json=body, headers=headers)


def actions():
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_risk_none_waits_for_a_second_officer(client, make, officers):
    first, second = officers
    incident = complete(make)
    held = assess(client, first, incident, "none", risk_rationale="Versleuteld")
    assert held.status_code == 200
    body = held.get_json()
    assert body["risk"] == "unassessed"
    assert body["pending_act"]["act"] == "risk_none"
    assert body["pending_act"]["reason"] == "Versleuteld"
    assert body["pending_act"]["proposed_by"] == "eerste@example.nl"
    assert body["pending_act"]["values"]["risk"] == "none"
    assert "incident.act_proposed" in actions()

    own = errors(approve(client, first, incident))
    assert "you proposed it yourself" in own["pending_act"][0]
    assert shown(client, first, incident)["risk"] == "unassessed"

    approved = approve(client, second, incident)
    assert approved.status_code == 200
    body = approved.get_json()
    assert (body["risk"], body["risk_rationale"], body["pending_act"]) == (
        "none",
        "Versleuteld",
        None,
    )
    trail = actions()
    assert trail.index("incident.act_approved") < trail.index("incident.assessed")
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.act_approved")
    ).one()
    assert event.actor == "tweede@example.nl"
    assert event.reason == "Versleuteld"


def test_not_a_breach_waits_for_a_second_officer(client, make, officers):
    first, second = officers
    incident = complete(make)
    body = {"is_personal_data_breach": False, "not_breach_rationale": "Testgegevens"}
    held = assess(client, first, incident, **body).get_json()
    assert held["is_personal_data_breach"] is True
    assert held["pending_act"]["act"] == "not_breach"
    errors(approve(client, first, incident))
    approved = approve(client, second, incident).get_json()
    assert approved["is_personal_data_breach"] is False
    assert approved["not_breach_rationale"] == "Testgegevens"


def test_a_withdrawal_waits_for_a_second_officer(client, make, officers):
    first, second = officers
    incident = complete(make)
    assess(client, first, incident, "high")
    assert notify(client, first, incident).status_code == 201
    held = withdraw(client, first, incident)
    assert held.status_code == 202
    body = held.get_json()
    assert (body["is_withdrawn"], body["status"]) == (False, "notified")
    assert body["pending_act"]["act"] == "withdrawal"
    errors(approve(client, first, incident))
    approved = approve(client, second, incident).get_json()
    assert (approved["is_withdrawn"], approved["risk"]) == (True, "unassessed")
    assert [n["kind"] for n in approved["notifications"]] == ["initial", "withdrawal"]
    assert "notification.withdrawal" in actions()


def test_an_assessment_made_since_replaces_the_held_one(client, make, officers):
    first, second = officers
    incident = complete(make)
    assess(client, first, incident, "none")
    body = assess(client, second, incident, "high").get_json()
    assert (body["risk"], body["pending_act"]) == ("high", None)
    assert "No decision awaits" in errors(approve(client, second, incident))["pending_act"][0]


def test_without_the_setting_everything_takes_effect_at_once(client, make):
    make.organisation()
    headers = bearer(make.user("officer"))
    incident = complete(make)
    assert assess(client, headers, incident, "none").get_json()["risk"] == "none"
    assess(client, headers, incident, "high")
    assert notify(client, headers, incident).status_code == 201
    assert withdraw(client, headers, incident).status_code == 201
    body = shown(client, headers, incident)
    assert (body["is_withdrawn"], body["pending_act"]) == (True, None)
