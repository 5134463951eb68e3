"""The branches of Articles 33 and 34 through the web forms, each refusal saying why."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from breachlog.audit import chain
from breachlog.extensions import db
from breachlog.incidents import services
from breachlog.notifications.models import Notification

AMS = ZoneInfo("Europe/Amsterdam")


def local(moment):
    return moment.astimezone(AMS).strftime("%Y-%m-%dT%H:%M")


def complete(make, **facts):
    """An incident with every Art. 33(3) part filled in."""
    values = dict(
        nature=["confidentiality"],
        subject_categories=["customers"],
        consequences="Kans op phishing",
        incident_type="lost_device",
        cause="Laptop onbeheerd achtergelaten",
    )
    values.update(facts)
    incident = make.incident(**values)
    services.add_measure(
        incident,
        incident.reporter,
        make.now,
        kind="corrective",
        description="Laptop op afstand gewist",
        done_at=make.now,
    )
    db.session.commit()
    return incident


def assess(client, incident, risk, rationale="Klantgegevens, niet versleuteld", **extra):
    data = {
        "is_personal_data_breach": "yes",
        "risk": risk,
        "risk_rationale": rationale,
        "enisa_dpc": "",
        "enisa_ei": "",
        "cb_confidentiality": "0",
        "cb_integrity": "0",
        "cb_availability": "0",
    }
    data.update(extra)
    return client.post(f"/incidents/{incident.ref}/assessment", data=data)


def notify(client, incident, submitted_at, **extra):
    data = {"kind": "initial", "submitted_at": local(submitted_at), "meldnummer": "M-2026-123"}
    data.update(extra)
    return client.post(f"/incidents/{incident.ref}/notifications/new", data=data)


def close(client, incident):
    return client.post(f"/incidents/{incident.ref}/close", data={"evaluation": "Geleerd"})


def test_no_risk_is_assessed_and_closed(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assert assess(client, incident, "none").status_code == 302
    db.session.refresh(incident)
    assert (incident.risk, incident.status) == ("none", "assessed")
    assert close(client, incident).status_code == 302
    db.session.refresh(incident)
    assert incident.status == "closed" and incident.evaluation == "Geleerd"


def test_assessment_without_rationale_is_refused_on_the_field(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    response = assess(client, incident, "risk", rationale=" ")
    assert response.status_code == 200
    assert 'id="risk_rationale-error"' in response.get_data(as_text=True)
    db.session.refresh(incident)
    assert incident.risk == "unassessed"


def test_risk_notified_on_time_then_closed(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assess(client, incident, "risk")
    refused = close(client, incident)
    assert "notify the AP" in refused.get_data(as_text=True)
    response = notify(client, incident, make.now)
    assert response.status_code == 302
    db.session.refresh(incident)
    assert incident.status == "notified" and incident.meldnummer == "M-2026-123"
    notification = db.session.scalars(sa.select(Notification)).one()
    assert not notification.is_late
    assert notification.answers["parts"]["consequences"] == "Kans op phishing"
    assert close(client, incident).status_code == 302


def test_late_notification_needs_reasons(client, make, auth):
    incident = complete(make, discovered_at=make.now - timedelta(hours=80))
    auth.login(make.user("officer").email)
    assess(client, incident, "risk")
    late = incident.deadline_at + timedelta(hours=2)
    refused = notify(client, incident, late)
    assert refused.status_code == 200
    assert 'id="reasons_for_delay-error"' in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    accepted = notify(client, incident, late, reasons_for_delay="FG pas maandag bereikbaar")
    assert accepted.status_code == 302
    assert db.session.scalars(sa.select(Notification)).one().is_late


def test_missing_parts_must_be_marked_as_following(client, make, auth):
    incident = make.incident()  # no consequences, nature or subject categories yet
    auth.login(make.user("officer").email)
    assess(client, incident, "risk")
    refused = notify(client, incident, make.now)
    assert refused.status_code == 200
    assert "Art. 33(4)" in refused.get_data(as_text=True)
    services.update_incident(
        incident, {"nature": ["confidentiality"]}, incident.reporter, make.now
    )
    db.session.commit()
    accepted = notify(
        client,
        incident,
        make.now,
        is_provisional="y",
        follows=["subjects", "consequences", "measures"],
    )
    assert accepted.status_code == 302


def test_high_risk_needs_subjects_informed_before_closing(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assess(client, incident, "high")
    notify(client, incident, make.now)
    refused = close(client, incident)
    assert "inform the people concerned" in refused.get_data(as_text=True)
    form = client.get(f"/incidents/{incident.ref}/subjects").get_data(as_text=True)
    assert "Wat is er gebeurd?" in form or "What happened?" in form
    sent = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={
            "c-sent_at": local(make.now),
            "c-channel": "email",
            "c-people_reached": "180",
            "c-text": "Beste klant, uw gegevens stonden op een verloren laptop. Vragen: "
            "fg@example.nl. Let op phishing; de laptop is gewist.",
            "c-names_contact": "y",
            "c-names_consequences": "y",
            "c-names_measures": "y",
        },
    )
    assert sent.status_code == 302
    assert close(client, incident).status_code == 302


def test_high_risk_with_exemption_c_needs_public_communication(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assess(client, incident, "high")
    notify(client, incident, make.now)
    refused = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={"e-ground": "disproportionate", "e-rationale": "Oude adressen onbekend"},
    )
    assert 'id="e-public_communication-error"' in refused.get_data(as_text=True)
    accepted = client.post(
        f"/incidents/{incident.ref}/subjects",
        data={
            "e-ground": "disproportionate",
            "e-rationale": "Oude adressen onbekend",
            "e-public_communication": "Bericht op de website: een laptop met klantgegevens "
            "is verloren.",
            "e-public_sent_at": local(make.now),
            "e-public_channel": "website",
        },
    )
    assert accepted.status_code == 302
    assert close(client, incident).status_code == 302


def test_withdrawn_notification_refers_to_the_meldnummer(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assess(client, incident, "risk")
    notify(client, incident, make.now)
    wrong = notify(client, incident, make.now, kind="withdrawal", meldnummer="X-1")
    assert "M-2026-123" in wrong.get_data(as_text=True)
    withdrawn = notify(
        client,
        incident,
        make.now,
        kind="withdrawal",
        meldnummer="",
        note="Toch geen persoonsgegevens",
    )
    assert withdrawn.status_code == 302
    db.session.refresh(incident)
    # R15: withdrawn, the breach is assessed anew
    assert incident.is_withdrawn and (incident.status, incident.risk) == ("open", "unassessed")
    kinds = db.session.scalars(sa.select(Notification.kind).order_by(Notification.id)).all()
    assert kinds == ["initial", "withdrawal"]
    assert chain.verify() is None


def test_not_a_breach_stays_in_the_register_with_its_rationale(client, make, auth):
    incident = make.incident()
    auth.login(make.user("officer").email)
    refused = assess(client, incident, "none", is_personal_data_breach="no")
    assert 'id="not_breach_rationale-error"' in refused.get_data(as_text=True)
    assess(
        client,
        incident,
        "none",
        is_personal_data_breach="no",
        not_breach_rationale="Alleen fictieve testgegevens",
    )
    db.session.refresh(incident)
    assert not incident.is_personal_data_breach
    register = client.get("/register").get_data(as_text=True)
    assert incident.ref in register and "not applicable" in register
    history = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    assert "assessed the risk" in history and "incident.assessed" not in history
    assert close(client, incident).status_code == 302


def test_ap_form_page_marks_what_is_missing(client, make, auth):
    incident = make.incident()
    auth.login(make.user("viewer").email)
    page = client.get(f"/incidents/{incident.ref}/ap-form").get_data(as_text=True)
    assert "not known yet" in page or "nog onbekend" in page
    assert incident.organisation.name in page


def test_closed_incident_refuses_changes_until_reopened(client, make, auth):
    incident = complete(make)
    auth.login(make.user("officer").email)
    assess(client, incident, "none")
    close(client, incident)
    refused = assess(client, incident, "risk")
    assert "closed" in refused.get_data(as_text=True) or "gesloten" in refused.get_data(
        as_text=True
    )
    client.post(f"/incidents/{incident.ref}/reopen", data={"reason": "Nieuwe informatie"})
    db.session.refresh(incident)
    assert incident.status == "assessed"


def test_dashboard_says_what_to_do_next_most_urgent_first(client, make, auth):
    late = complete(make, title="Te laat", discovered_at=make.now - timedelta(hours=75))
    high = complete(make, title="Hoog risico")
    calm = complete(make, title="Geen risico")
    auth.login(make.user("officer").email)
    assess(client, high, "high")
    assess(client, calm, "none")
    page = client.get("/").get_data(as_text=True)
    assert page.index(late.ref) < page.index(high.ref) < page.index(calm.ref)
    assert "assess now" in page and "overdue by" in page
    assert "notify the AP" in page and "inform the people concerned" in page
    assert "clock stopped" in page
