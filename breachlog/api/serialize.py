"""Incidents and measures as JSON: times in UTC with their offset, people by e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..incidents.models import EDITABLE_FIELDS, Incident, Measure


def moment(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def incident(item: Incident) -> dict[str, Any]:
    body = {name: _plain(getattr(item, name)) for name in EDITABLE_FIELDS}
    body.update(
        ref=item.ref,
        deadline_at=moment(item.deadline_at),
        status=item.status,
        organisation={"id": item.organisation.id, "name": item.organisation.name},
        reporter=item.reporter.email if item.reporter else None,
        assignee=item.assignee.email if item.assignee else None,
        created_at=moment(item.created_at),
        updated_at=moment(item.updated_at),
        closed_at=moment(item.closed_at),
        measures=[measure(m) for m in item.measures],
    )
    return body


def measure(item: Measure) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "description": item.description,
        "owner": item.owner,
        "due_on": _plain(item.due_on),
        "done_at": moment(item.done_at),
        "created_at": moment(item.created_at),
    }
