"""One pass of the outbox: claim due rows, send them, record what happened.

Correctness comes from the claim, not from there being one scheduler: two ticks in two
processes never hold the same row, and a claim whose process died is retaken after its lease.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa

from .. import clock
from ..audit import chain
from ..db import writing
from ..domain import law
from ..domain import reminders as rules
from ..extensions import db
from ..incidents.models import Measure
from . import planning
from .lease import LEASE, durably, renew
from .models import CANCELLED, FAILED, PENDING, SENDING, SENT, SUPERSEDED, Reminder

BATCH = 100
ACTOR = "reminders"
# kinds of which only the newest due row of an incident is worth sending
ROLLING = ("deadline", "subjects")
logger = logging.getLogger(__name__)


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
    reasons: dict[str, str] = field(default_factory=dict)  # label: why it was not sent


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(
    now: datetime,
    worker: str,
    lease: timedelta = LEASE,
    limit: int = BATCH,
    at: datetime | None = None,
) -> list[int]:
    """Take due rows with one conditional UPDATE; SKIP LOCKED keeps PostgreSQL ticks apart.
    Rows are due by `now`, the tick's moment; leases run by `at`, the time it is now (later
    than `now` in a long tick)."""
    at = at or now
    due = sa.or_(
        sa.and_(
            Reminder.status == PENDING,
            Reminder.due_at <= now,
            sa.or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        ),
        sa.and_(Reminder.status == SENDING, Reminder.lease_until < at),
    )
    pick = sa.select(Reminder.id).where(due).order_by(Reminder.due_at, Reminder.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    statement = (
        sa.update(Reminder)
        .where(Reminder.id.in_(pick.scalar_subquery()), due)
        .values(status=SENDING, claimed_by=worker, lease_until=at + lease, updated_at=now)
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
    """After downtime only the most urgent due stage of each incident goes out.

    "Most urgent" is judged against every due row of the incident, not only this batch: a
    newer stage claimed by another tick, waiting for a retry, or left for the next batch
    makes this one stale just the same."""
    rows = db.session.scalars(sa.select(Reminder).where(Reminder.id.in_(ids))).all()
    rolling = [row for row in rows if row.kind in ROLLING]
    newest: dict[tuple[int, str], datetime] = {}
    if rolling:
        due = db.session.execute(
            sa.select(Reminder.incident_id, Reminder.kind, sa.func.max(Reminder.due_at))
            .where(
                Reminder.incident_id.in_({row.incident_id for row in rolling}),
                Reminder.kind.in_(ROLLING),
                Reminder.status.in_((PENDING, SENDING)),
                Reminder.due_at <= now,
            )
            .group_by(Reminder.incident_id, Reminder.kind)
        )
        newest = {(incident_id, kind): latest for incident_id, kind, latest in due}
    keep = []
    for row in rows:
        latest = newest.get((row.incident_id, row.kind))
        if row.kind in ROLLING and latest is not None and row.due_at < latest:
            row.status, row.updated_at, row.lease_until = SUPERSEDED, now, None
            _note(row, "reminder.superseded", now)
            result.superseded.append(_label(row))
        else:
            keep.append(row.id)
    db.session.commit()
    return sorted(keep)


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
    if row.kind == "measure_due":
        # R16: an incident may close with measures open; they are still to be done
        measure = db.session.get(Measure, row.measure_id) if row.measure_id else None
        return measure is not None and measure.done_at is None
    if row.incident.status == "closed":
        return False  # also a new report already closed, e.g. one imported from an old register
    if row.kind == "provisional":
        from ..notifications.models import Notification
        from .planning import is_still_provisional

        notification = db.session.get(Notification, row.notification_id or 0)
        return notification is not None and is_still_provisional(row.incident, notification)
    return True


def process(
    row_id: int,
    worker: str,
    now: datetime,
    send: Sender,
    result: TickResult,
    lease: timedelta = LEASE,
    at: Callable[[], datetime] | None = None,
    pause: Callable[[float], None] | None = None,
) -> None:
    """Send one claimed row, if this worker still holds its lease; see lease.py for why
    that makes every mail go out once."""
    at = at or (lambda: now)
    waiting = {"pause": pause} if pause is not None else {}
    if not durably(lambda: renew(row_id, worker, at(), lease), "renewing a lease", **waiting):
        return  # another worker has it, or will: sending it here could send it twice
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
        except Exception as error:
            # a fault of ours or a database hiccup while composing: retried, then failed
            # visibly, rather than left claimed and the rest of the batch not sent
            logger.exception("reminder %s could not be sent", row_id)
            outcome = ("temporary", error)
    # the mail is out: its status must reach the database even across a reconnect
    durably(
        lambda: _write(row_id, worker, outcome, now, result),
        "recording a sent reminder",
        **waiting,
    )


def _write(
    row_id: int, worker: str, outcome: tuple[str, object], now: datetime, result: TickResult
) -> None:
    # no database lock is held while the mail server is talked to; write the outcome now
    db.session.rollback()
    with writing():
        row = db.session.get(Reminder, row_id)
        if row is None or row.status != SENDING or row.claimed_by != worker:
            db.session.rollback()
            return
        partial = TickResult()  # counted only once the write is committed
        _record(row, outcome, now, partial)
        row.lease_until, row.updated_at = None, now
        db.session.commit()
    for name in ("sent", "retried", "failed", "cancelled"):
        getattr(result, name).extend(getattr(partial, name))
    result.reasons.update(partial.reasons)


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
        planning.plan_follow_up(row, now)
    else:
        row.attempts += 1
        row.last_error = str(detail)[:2000]
        retry = rules.retry_at(row.attempts, now) if kind == "temporary" else None
        result.reasons[_label(row)] = row.last_error
        if retry is None:
            row.status = FAILED
            _note(row, "reminder.failed", now)
            result.failed.append(_label(row))
            logger.error("reminder %s not sent, for good: %s", _label(row), row.last_error)
            planning.plan_follow_up(row, now)  # tomorrow's overdue reminder still goes out
        else:
            row.status, row.next_attempt_at = PENDING, retry
            result.retried.append(_label(row))
            logger.warning(
                "reminder %s not sent (%s); trying again at %s",
                _label(row),
                row.last_error,
                retry.isoformat(timespec="minutes"),
            )


def release(ids: list[int], worker: str, now: datetime) -> None:
    """Give claimed rows back at once (on shutdown) instead of leaving them to their lease."""
    if not ids:
        return
    with writing():
        db.session.execute(
            sa.update(Reminder)
            .where(Reminder.id.in_(ids), Reminder.status == SENDING, Reminder.claimed_by == worker)
            .values(status=PENDING, lease_until=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def tick(
    now: datetime,
    send: Sender,
    worker: str | None = None,
    on_claim: Callable[[list[int]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    lease: timedelta = LEASE,
    elapsed: Callable[[], timedelta] | None = None,
    pause: Callable[[float], None] | None = None,
) -> TickResult:
    """One pass: batch after batch until nothing is due. `now` comes in; leases run by `now`
    plus the time this tick has taken so far (`elapsed`, a monotonic stopwatch)."""
    worker = worker or worker_id()
    elapsed = elapsed or clock.stopwatch()
    result = TickResult()

    def at() -> datetime:
        return now + elapsed()

    while True:
        with writing():
            claimed = claim(now, worker, lease, at=at())
            ids = supersede_older(claimed, now, result) if claimed else []
        if not claimed:
            return result
        if on_claim is not None:
            on_claim(ids)
        for index, row_id in enumerate(ids):
            if should_stop is not None and should_stop():
                release(ids[index:], worker, now)
                return result
            process(row_id, worker, now, send, result, lease, at, pause)
