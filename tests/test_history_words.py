"""The history names every field by its label and every code by its words, on the incident
page and in the register PDF: also what waits for a second officer (R14), what a
notification still owes (R11) and what a communication confirms (R12, R13)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.demo import create_demo
from breachlog.extensions import db
from breachlog.incidents.fields import label
from breachlog.incidents.history import HIDDEN
from breachlog.register.export_data import Formatter
from breachlog.register.export_facts import field_name
from breachlog.register.export_pdf import register_pdf

from .test_four_eyes_web import approve, as_second, assess, complete, officers, text
from .test_register_export import NOW, read_pdf


def recorded_fields() -> dict[str, str]:
    """Every field an incident's audit events recorded, with an action that recorded it."""
    found: dict[str, str] = {}
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.incident_id.is_not(None)))
    for event in events:
        for name in {**(event.before or {}), **(event.after or {})}:
            found.setdefault(name, event.action)
    return {name: action for name, action in found.items() if name not in HIDDEN}


def test_every_field_the_demos_history_records_has_a_label_in_both_languages(app):
    with app.app_context():
        create_demo(clock.now())
        db.session.commit()
        recorded = recorded_fields()
        assert {"parts_given", "names_contact", "public_channel", "receipt_at"} <= set(recorded)
        for language in ("nl", "en"):
            with app.test_request_context(), force_locale(language):
                fmt = Formatter(language, "Europe/Amsterdam")
                unnamed = {n: a for n, a in recorded.items() if label(n) == n}
                assert unnamed == {}, f"the page shows these by their internal name ({language})"
                unnamed = {n: a for n, a in recorded.items() if field_name(fmt, n) == n}
                assert unnamed == {}, f"the PDF shows these by their internal name ({language})"


def test_a_decision_held_for_a_second_officer_reads_in_words(client, make, auth):
    first, second = officers(make, auth)
    incident = complete(make)
    assess(client, incident, "none", rationale="Versleutelde schijf")
    as_second(auth, second)
    approve(client, incident)

    page = text(client.get(f"/incidents/{incident.ref}"))
    history = page[page.index('id="history"') :]
    for internal in ("pending_act", "risk_none", "pending_act_by_id", "pending_act_reason"):
        assert internal not in history
    assert "Decision waiting for a second officer" in history
    assert "Decision proposed by" in history and "Eva Eerste" in history
    assert "no risk" in history

    db.session.refresh(incident)
    data = register_pdf(
        incident.organisation, incident.ref_year, language="nl", generated_by="FG", now=NOW
    )
    pdf = read_pdf(data).flat()
    assert "Besluit dat op een tweede functionaris wacht" in pdf
    assert "Besluit voorgesteld door: Eva Eerste" in pdf
    assert "risk_none" not in pdf and "pending_act" not in pdf
