"""R14: a decision that ends the duty to notify, held until a second officer approves it.

The act's own values are kept on the incident as JSON (times as ISO strings) so the
approval replays the same service with the same checks against the incident as it is then:
what became wrong meanwhile (a notification made since) is refused at approval, not
applied. Proposing and approving are each an audit event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..audit import chain
from ..auth.models import User
from ..incidents.models import Incident

TIMES = ("submitted_at", "receipt_at")


def hold(
    incident: Incident,
    act: str,
    actor: User,
    now: datetime,
    *,
    reason: str,
    values: dict[str, Any],
) -> None:
    before = incident.audit_state()
    incident.pending_act = act
    incident.pending_act_by_id = actor.id
    incident.pending_act_at = now
    incident.pending_act_reason = reason.strip()
    incident.pending_act_values = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in values.items()
    }
    incident.updated_at = now
    old, new = chain.rules.changes(before, incident.audit_state())
    chain.record(
        "incident.act_proposed",
        incident,
        actor=actor,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=incident.pending_act_reason,
    )


def clear(incident: Incident) -> None:
    incident.pending_act, incident.pending_act_by_id, incident.pending_act_at = "", None, None
    incident.pending_act_reason, incident.pending_act_values = "", {}


def values(incident: Incident) -> dict[str, Any]:
    """The held act's arguments as the service takes them."""
    found = dict(incident.pending_act_values or {})
    for name in TIMES:
        if isinstance(found.get(name), str):
            found[name] = datetime.fromisoformat(found[name])
    for name in ("enisa_scores", "enisa_parts"):
        if isinstance(found.get(name), list):
            found[name] = tuple(found[name])
    return found
