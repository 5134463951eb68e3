"""How the outbox is doing, for /healthz and the dashboard: failed rows and rows left waiting."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..incidents.models import Incident
from .models import FAILED, PENDING, SENT, Reminder

# a tick runs every 30 s; a row due longer ago than this means no tick is running
LATE = timedelta(minutes=5)


def failed_count() -> int:
    return int(
        db.session.scalar(sa.select(sa.func.count(Reminder.id)).where(Reminder.status == FAILED))
        or 0
    )


def mail_delivering(now: datetime) -> tuple[bool, int]:
    """Whether reminders are being delivered (no delivery failed since the last mail went
    out, see mail_trouble), and how many have failed for good."""
    return mail_trouble(now) is None, failed_count()


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


def mail_trouble(now: datetime) -> str | None:
    """Why reminder mail is not going out, or None: the mail server's answer to the latest
    delivery that failed, unless a mail went out after it. Shown at the first failure, not
    after the last retry: the officer must not believe reminders go out while none do."""
    failing = sa.or_(
        Reminder.status == FAILED,
        sa.and_(Reminder.status == PENDING, Reminder.attempts > 0, Reminder.last_error != ""),
    )
    latest = db.session.execute(
        sa.select(Reminder.last_error, Reminder.updated_at)
        .where(failing, Reminder.updated_at <= now)
        .order_by(Reminder.updated_at.desc(), Reminder.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    sent_since = db.session.scalar(
        sa.select(Reminder.id)
        .where(Reminder.status == SENT, Reminder.sent_at > latest.updated_at)
        .limit(1)
    )
    return None if sent_since is not None else (latest.last_error or "unknown error")


def server_level(reason: str | None) -> str | None:
    """The reason when it is about the mail server itself (safe to show to every officer);
    None when it names recipients, who may belong to another organisation."""
    return reason if reason and reason.startswith("mail server ") else None
