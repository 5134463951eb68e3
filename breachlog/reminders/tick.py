"""One pass of the outbox: claim due rows, send them, record what happened.

Correctness comes from the claim, not from there being one scheduler: two ticks in two
processes never hold the same row, and a claim whose process died is retaken after its lease.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa

from ..audit import chain
from ..db import writing
from ..domain import law
from ..domain import reminders as rules
from ..extensions import db
from .models import CANCELLED, FAILED, PENDING, SENDING, SENT, SUPERSEDED, Reminder

LEASE = timedelta(minutes=5)
BATCH = 100
ACTOR = "reminders"


class TemporaryFailure(Exception):
    """The mail server could not take it now (4xx, refused connection, timeout)."""


class PermanentFailure(Exception):
    """The mail server refused it for good (5xx), or there is nobody to send it to."""


class Sender(Protocol):
    def __call__(self, reminder: Reminder, now: datetime) -> list[str]:
        """Send the mail; return its recipients. Raise Temporary/PermanentFailure."""


@dataclass
class TickResult:
    sent: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(now: datetime, worker: str, lease: timedelta = LEASE, limit: int = BATCH) -> list[int]:
    """Take due rows with one conditional UPDATE; SKIP LOCKED keeps PostgreSQL ticks apart."""
    due = sa.or_(
        sa.and_(
            Reminder.status == PENDING,
            Reminder.due_at <= now,
            sa.or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        ),
        sa.and_(Reminder.status == SENDING, Reminder.lease_until < now),
    )
    pick = sa.select(Reminder.id).where(due).order_by(Reminder.due_at, Reminder.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    statement = (
        sa.update(Reminder)
        .where(Reminder.id.in_(pick.scalar_subquery()), due)
        .values(status=SENDING, claimed_by=worker, lease_until=now + lease, updated_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(db.session.execute(statement).scalars())
    db.session.commit()
    return sorted(ids)


def _note(row: Reminder, action: str, now: datetime) -> None:
    chain.record(
        action, row, actor=ACTOR, now=now, after=row.audit_state(), incident_id=row.incident_id
    )


def supersede_older(ids: list[int], now: datetime, result: TickResult) -> list[int]:
    """After downtime only the most urgent due stage of each incident goes out."""
    rows = db.session.scalars(sa.select(Reminder).where(Reminder.id.in_(ids))).all()
    newest: dict[tuple[int, str], Reminder] = {}
    for row in rows:
        if row.kind not in ("deadline", "subjects"):
            continue
        key = (row.incident_id, row.kind)
        if key not in newest or row.due_at > newest[key].due_at:
            newest[key] = row
    keep = []
    for row in rows:
        if row.kind in ("deadline", "subjects") and newest[(row.incident_id, row.kind)] is not row:
            row.status, row.updated_at, row.lease_until = SUPERSEDED, now, None
            _note(row, "reminder.superseded", now)
            result.superseded.append(_label(row))
        else:
            keep.append(row.id)
    db.session.commit()
    return keep


def _label(row: Reminder) -> str:
    return f"{row.incident.ref} {row.stage}"


def still_wanted(row: Reminder) -> bool:
    """The act that made a reminder pointless cancels it; this guards the row claimed meanwhile."""
    from ..notifications.services import situation

    s = situation(row.incident)
    if row.kind == "deadline":
        return law.clock_running(s)
    if row.kind == "subjects":
        return law.needs_subject_communication(s.risk, s.is_personal_data_breach) and not (
            s.has_subject_communication or s.has_exemption or s.is_closed
        )
    return row.incident.status != "closed" or row.kind == "new_report"


def process(row_id: int, worker: str, now: datetime, send: Sender, result: TickResult) -> None:
    row = db.session.get(Reminder, row_id)
    if row is None or row.status != SENDING or row.claimed_by != worker:
        db.session.rollback()
        return
    wanted = still_wanted(row)
    outcome: tuple[str, object]
    if not wanted:
        outcome = ("cancelled", None)
    else:
        try:
            outcome = ("sent", send(row, now))
        except TemporaryFailure as error:
            outcome = ("temporary", error)
        except PermanentFailure as error:
            outcome = ("permanent", error)
    # no database lock is held while the mail server is talked to; write the outcome now
    db.session.rollback()
    with writing():
        row = db.session.get(Reminder, row_id)
        if row is None or row.status != SENDING or row.claimed_by != worker:
            db.session.rollback()
            return
        _record(row, outcome, now, result)
        row.lease_until, row.updated_at = None, now
        db.session.commit()


def _record(row: Reminder, outcome: tuple[str, object], now: datetime, result: TickResult) -> None:
    kind, detail = outcome
    if kind == "cancelled":
        row.status = CANCELLED
        _note(row, "reminder.cancelled", now)
        result.cancelled.append(_label(row))
    elif kind == "sent":
        row.status, row.sent_at, row.last_error = SENT, now, ""
        row.recipients = list(detail)  # type: ignore[call-overload]
        _note(row, "reminder.sent", now)
        result.sent.append(_label(row))
        follow_up(row, now)
    else:
        row.attempts += 1
        row.last_error = str(detail)[:2000]
        retry = rules.retry_at(row.attempts, now) if kind == "temporary" else None
        if retry is None:
            row.status = FAILED
            _note(row, "reminder.failed", now)
            result.failed.append(_label(row))
        else:
            row.status, row.next_attempt_at = PENDING, retry
            result.retried.append(_label(row))


def follow_up(row: Reminder, now: datetime) -> None:
    """Rolling stages: every 24 h while overdue or the people are not informed, weekly while
    a notification is provisional."""
    from . import planning

    number = int(row.stage.rsplit("-", 1)[-1]) if row.stage[-1].isdigit() else 0
    if row.kind == "deadline" and row.stage.startswith("overdue-"):
        stage = rules.overdue_stage(row.incident.deadline_at, number + 1, row.purpose)
        db.session.add(
            Reminder(
                incident_id=row.incident_id,
                kind="deadline",
                stage=stage.stage,
                purpose=stage.purpose,
                level=stage.level,
                due_at=stage.due_at,
                status=PENDING,
                created_at=now,
                updated_at=now,
            )
        )
    elif row.kind == "subjects":
        stage = rules.subjects_stage(now, number + 1)
        db.session.add(
            Reminder(
                incident_id=row.incident_id,
                kind="subjects",
                stage=stage.stage,
                purpose=stage.purpose,
                level=stage.level,
                due_at=stage.due_at,
                status=PENDING,
                created_at=now,
                updated_at=now,
            )
        )
    elif row.kind == "provisional" and row.notification_id is not None:
        from ..notifications.models import Notification

        notification = db.session.get(Notification, row.notification_id)
        if (
            notification is not None
            and notification.is_provisional
            and not any(
                n.kind in ("supplement", "withdrawal") and n.id > notification.id
                for n in row.incident.notifications
            )
        ):
            planning.plan_provisional(
                row.incident, notification.id, notification.submitted_at, now, number + 1
            )


def tick(
    now: datetime,
    send: Sender,
    worker: str | None = None,
    on_claim: Callable[[list[int]], None] | None = None,
) -> TickResult:
    """One pass. `now` comes in; nothing here reads the clock or sleeps."""
    worker = worker or worker_id()
    result = TickResult()
    with writing():
        ids = claim(now, worker)
        ids = supersede_older(ids, now, result)
    if on_claim is not None:
        on_claim(ids)
    for row_id in ids:
        process(row_id, worker, now, send, result)
    return result


def failed_count() -> int:
    return int(
        db.session.scalar(sa.select(sa.func.count(Reminder.id)).where(Reminder.status == FAILED))
        or 0
    )
