"""How the outbox is doing, for /healthz and the dashboard: failed rows and rows left waiting."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..incidents.models import Incident
from .models import FAILED, PENDING, Reminder

# a tick runs every 30 s; a row due longer ago than this means no tick is running
LATE = timedelta(minutes=5)


def failed_count() -> int:
    return int(
        db.session.scalar(sa.select(sa.func.count(Reminder.id)).where(Reminder.status == FAILED))
        or 0
    )


def mail_delivering() -> tuple[bool, int]:
    """Whether reminders are being delivered, and how many failed. One place for /readyz to
    ask, so a finer signal of mail trouble can take its place."""
    failed = failed_count()
    return failed == 0, failed


def pending_overdue_count(now: datetime) -> int:
    """Rows that should have gone out a while ago and are not waiting for a retry."""
    late = now - LATE
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Reminder.id)).where(
                Reminder.status == PENDING,
                Reminder.due_at < late,
                sa.or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at < late),
            )
        )
        or 0
    )


@dataclass
class Failed:
    incident: Incident
    count: int
    last_error: str


def failed_by_incident(readable: Collection[int]) -> list[Failed]:
    """The incidents of the `readable` organisations with reminders that could not be sent,
    most recent failure first."""
    rows = db.session.scalars(
        sa.select(Reminder)
        .join(Incident, Incident.id == Reminder.incident_id)
        .where(Reminder.status == FAILED, Incident.organisation_id.in_(sorted(readable)))
        .order_by(Reminder.updated_at.desc(), Reminder.id.desc())
    ).all()
    result: dict[int, Failed] = {}
    for row in rows:
        if row.incident_id in result:
            result[row.incident_id].count += 1
        else:
            result[row.incident_id] = Failed(row.incident, 1, row.last_error)
    return list(result.values())
