"""R14: a second officer lets a held decision (risk none, not a breach, withdrawal) stand."""

from __future__ import annotations

from datetime import datetime

from ..audit import chain
from ..auth.models import User
from ..domain import four_eyes
from ..incidents.models import Incident
from . import held, services


def approve_act(incident: Incident, approver: User, now: datetime) -> Incident:
    """The approval is its own audit event, naming the act and its rationale; the act then
    runs as the approver's, through the same service and checks as any other."""
    four_eyes.check_act_approval(
        incident.pending_act,
        incident.pending_act_by_id,
        approver.id,
        approver.can_handle_in(incident.organisation_id),
    )
    act, arguments = incident.pending_act, held.values(incident)
    reason = incident.pending_act_reason
    before = incident.audit_state()
    held.clear(incident)
    old, new = chain.rules.changes(before, incident.audit_state())
    chain.record(
        "incident.act_approved",
        incident,
        actor=approver,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=reason,  # the decision itself is in the fields, in the reader's words
    )
    if act == four_eyes.WITHDRAWAL:
        services.record_notification(incident, approver, now, approved=True, **arguments)
    else:
        services.assess(incident, approver, now, approved=True, **arguments)
    return incident
