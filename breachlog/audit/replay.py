"""The register as its history tells it, against the rows in the database.

Every change to an incident, measure, notification or communication is an audit event whose
`after` holds the new values of the fields that changed (R10), and an object's first event
holds all of them. Playing the events in order therefore gives what each object must look
like now; a row changed straight in the database (without an event) differs from it, and a
row without any event, or an event whose row is gone, is found too. The chain's seals
(chain.py, seal.py) in turn keep the events themselves from being rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..domain.audit import canonical
from ..extensions import db
from ..incidents.models import Incident, Measure
from ..notifications.models import Notification, SubjectCommunication
from .models import AuditEvent

KINDS: dict[str, Any] = {
    "incident": Incident,
    "measure": Measure,
    "notification": Notification,
    "subjectcommunication": SubjectCommunication,
}
MISSING = "(no row)"


@dataclass(frozen=True)
class Difference:
    ref: str  # the incident's reference
    kind: str  # incident, measure, notification, subjectcommunication
    object_id: int
    field: str
    recorded: Any  # what the history says
    stored: Any  # what the database holds


def same(stored: Any, recorded: Any) -> bool:
    """Equal as the register shows them: a score stored as 3.0 was recorded as 3."""
    return bool(stored == recorded) or canonical(stored) == canonical(recorded)


def recorded_states() -> dict[tuple[str, int], tuple[int | None, dict[str, Any]]]:
    """Each object's incident and fields as its events leave them, in the chain's order."""
    states: dict[tuple[str, int], tuple[int | None, dict[str, Any]]] = {}
    query = (
        sa.select(
            AuditEvent.object_type, AuditEvent.object_id, AuditEvent.incident_id, AuditEvent.after
        )
        .where(AuditEvent.object_type.in_(KINDS))
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000)
    )
    for kind, object_id, incident_id, after in db.session.execute(query):
        if object_id is None:
            continue
        if kind == "incident":
            incident_id = object_id
        known = states.setdefault((kind, int(object_id)), (incident_id, {}))
        known[1].update(after or {})
    return states


def differences() -> Iterator[Difference]:
    """Every field where the database and the replayed history disagree."""
    states = recorded_states()
    refs = {
        number: ref for number, ref in db.session.execute(sa.select(Incident.id, Incident.ref))
    }
    for (kind, object_id), (_incident, after) in states.items():
        if kind == "incident" and "ref" in after:
            refs.setdefault(object_id, after["ref"])  # the incident's row may be gone
    for kind, model in KINDS.items():
        query = sa.select(model).order_by(model.id).execution_options(yield_per=500)
        for row in db.session.scalars(query):
            ref = refs.get(row.id if kind == "incident" else row.incident_id, "?")
            known = states.pop((kind, row.id), None)
            if known is None:
                yield Difference(ref, kind, row.id, "*", MISSING, "a row without history")
                continue
            recorded, stored = known[1], row.audit_state()
            for field in stored:
                if field not in recorded:
                    continue  # a field added to the register after the object's last event
                if not same(stored[field], recorded[field]):
                    yield Difference(ref, kind, row.id, field, recorded[field], stored[field])
        db.session.expunge_all()  # a large register is not held in memory twice
    for (kind, object_id), (incident_id, _after) in sorted(states.items()):
        ref = refs.get(incident_id or 0, "?")
        yield Difference(ref, kind, object_id, "*", "recorded in the history", MISSING)
