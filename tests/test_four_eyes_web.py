"""R14 in the browser: the admin asks for four eyes; a held decision shows with its
Approve button for another officer, and takes effect only when they press it."""

from __future__ import annotations

import sqlalchemy as sa

from breachlog.audit.models import AuditEvent
from breachlog.extensions import db
from breachlog.orgs.models import Organisation

from .test_admin import organisation_form
from .test_law_web import assess, complete, notify


def text(response):
    return response.get_data(as_text=True)


def officers(make, auth):
    make.organisation(four_eyes_required=True)
    first = make.user("officer", name="Eva Eerste")
    second = make.user("officer", name="Tom Tweede")
    auth.login(first.email)
    return first, second


def as_second(auth, second):
    auth.logout()
    auth.login(second.email)


def approve(client, incident):
    return client.post(f"/incidents/{incident.ref}/pending-act/approve", follow_redirects=True)


def approvals():
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "incident.act_approved")
    ).all()


def test_the_admin_turns_four_eyes_on(client, make, auth):
    org = make.organisation()
    auth.login(make.user("admin").email)
    page = text(client.get(f"/admin/organisations/{org.id}"))
    assert "A second officer approves risk none, not a breach and a withdrawal" in page
    data = organisation_form(name=org.name, ref_prefix=org.ref_prefix, four_eyes_required="y")
    assert client.post(f"/admin/organisations/{org.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).four_eyes_required
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.updated")
    ).one()
    assert event.after["four_eyes_required"] is True


def test_risk_none_waits_for_a_second_officer(client, make, auth):
    first, second = officers(make, auth)
    incident = complete(make)
    held = assess(client, incident, "none", rationale="Versleutelde schijf")
    page = text(client.get(held.headers["Location"]))
    assert "requires a second officer for this decision" in page
    assert "Eva Eerste assessed the risk as none" in page and "Versleutelde schijf" in page
    assert "Approve as second officer" not in page
    db.session.refresh(incident)
    assert incident.risk == "unassessed" and incident.pending_act == "risk_none"

    refused = approve(client, incident)
    assert "you proposed it yourself" in text(refused)
    db.session.refresh(incident)
    assert incident.risk == "unassessed"

    as_second(auth, second)
    assert "Approve as second officer" in text(client.get(f"/incidents/{incident.ref}"))
    page = text(approve(client, incident))
    assert "Approved; the decision is recorded." in page
    assert "approved a decision as second officer" in page
    db.session.refresh(incident)
    assert (incident.risk, incident.pending_act) == ("none", "")
    assert [e.actor for e in approvals()] == [second.email]


def test_not_a_breach_waits_for_a_second_officer(client, make, auth):
    first, second = officers(make, auth)
    incident = complete(make)
    assess(client, incident, "risk", is_personal_data_breach="no", not_breach_rationale="Test")
    db.session.refresh(incident)
    assert incident.is_personal_data_breach and incident.pending_act == "not_breach"
    assert "you proposed it yourself" in text(approve(client, incident))
    as_second(auth, second)
    approve(client, incident)
    db.session.refresh(incident)
    assert not incident.is_personal_data_breach and incident.not_breach_rationale == "Test"
    assert len(approvals()) == 1


def test_a_withdrawal_waits_for_a_second_officer(client, make, auth):
    first, second = officers(make, auth)
    incident = complete(make)
    assess(client, incident, "high")
    notify(client, incident, make.now)
    withdrawn = notify(
        client, incident, make.now, kind="withdrawal", note="Melding bij vergissing"
    )
    page = text(client.get(withdrawn.headers["Location"]))
    assert "Eva Eerste withdrew the AP notification" in page
    db.session.refresh(incident)
    assert not incident.is_withdrawn and incident.status == "notified"
    assert "you proposed it yourself" in text(approve(client, incident))
    as_second(auth, second)
    approve(client, incident)
    db.session.refresh(incident)
    assert incident.is_withdrawn and incident.risk == "unassessed"
    assert [n.kind for n in incident.notifications] == ["initial", "withdrawal"]


def test_without_four_eyes_the_decisions_take_effect_at_once(client, make, auth):
    make.organisation()
    auth.login(make.user("officer").email)
    incident = complete(make)
    assess(client, incident, "none")
    db.session.refresh(incident)
    assert (incident.risk, incident.pending_act) == ("none", "")
    assess(client, incident, "high")
    notify(client, incident, make.now)
    notify(client, incident, make.now, kind="withdrawal", note="Melding bij vergissing")
    db.session.refresh(incident)
    assert incident.is_withdrawn and not approvals()
