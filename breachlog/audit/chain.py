"""Appending to and checking the audit chain (R10)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..db import lock_for_chain
from ..domain import audit as rules
from ..domain.deadlines import ensure_aware
from ..extensions import db
from . import seal

AUDIT_LOCK_KEY = 0x6272_6C61  # arbitrary, constant: "brla"


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def record(
    action: str,
    obj: Any,
    *,
    actor: Any,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    incident_id: int | None = None,
    reason: str = "",
) -> Any:
    """Append one event; the caller's transaction commits it with the change it describes."""
    from .models import AuditEvent

    lock_for_chain(db.session, AUDIT_LOCK_KEY)
    db.session.flush()  # obj needs its id before we describe it
    last = db.session.execute(
        sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    event = AuditEvent(
        at=ensure_aware(now),
        actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system"),
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        incident_id=incident_id,
        before=before or {},
        after=after or {},
        reason=reason,
        prev_hash=last or rules.GENESIS,
    )
    event.hash = rules.event_hash(event.prev_hash, event.chain_fields(), seal.key())
    db.session.add(event)
    db.session.flush()
    return event


def links() -> Iterator[rules.ChainLink]:
    """The chain in id order, streamed."""
    from .models import AuditEvent

    query = sa.select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
    events = db.session.scalars(query)
    try:
        for event in events:
            yield rules.ChainLink(event.id, event.prev_hash, event.hash, event.chain_fields())
    finally:
        events.close()  # a break found early would leave a server-side cursor open


def verify() -> rules.ChainBreak | None:
    """The chain checked with the key and against every anchored head."""
    anchored, _unreadable = seal.anchors()
    return rules.verify_chain(links(), seal.key(), anchored)


def fingerprint() -> str:
    """The hash of the newest event: the whole register's state at this moment."""
    from .models import AuditEvent

    last = db.session.execute(
        sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    return last or rules.GENESIS
