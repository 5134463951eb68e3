"""(Re)planning an incident's reminder rows, in the transaction of the act that moved its clock."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..audit import chain
from ..domain import law
from ..domain import reminders as rules
from ..domain.deadlines import local_to_utc
from ..extensions import db
from ..incidents.models import Incident, Measure
from .models import CANCELLED, FAILED, PENDING, SENDING, SENT, SUPERSEDED, Reminder

MEASURE_REMINDER_TIME = time(9, 0)  # local time on the due date


def offsets() -> list[rules.Offset]:
    return rules.parse_offsets(current_app.config["REMINDER_OFFSETS"])


def _rows(incident: Incident, kind: str) -> dict[str, Reminder]:
    return {
        r.stage: r
        for r in db.session.scalars(
            sa.select(Reminder).where(Reminder.incident_id == incident.id, Reminder.kind == kind)
        )
    }


def _put(
    incident: Incident,
    kind: str,
    stage: rules.Stage,
    existing: dict[str, Reminder],
    now: datetime,
    **extra: object,
) -> None:
    row = existing.get(stage.stage)
    if row is None:
        existing[stage.stage] = Reminder(
            incident_id=incident.id,
            kind=kind,
            stage=stage.stage,
            purpose=stage.purpose,
            level=stage.level,
            due_at=stage.due_at,
            status=PENDING,
            created_at=now,
            updated_at=now,
            **extra,
        )
        db.session.add(existing[stage.stage])
    elif row.status in (PENDING, CANCELLED) and (
        row.due_at != stage.due_at or row.purpose != stage.purpose or row.status != PENDING
    ):
        row.due_at, row.purpose, row.level = stage.due_at, stage.purpose, stage.level
        row.status, row.attempts, row.next_attempt_at, row.updated_at = PENDING, 0, None, now


def _cancel(rows: dict[str, Reminder], keep: set[str], now: datetime) -> list[str]:
    cancelled = []
    for name, row in sorted(rows.items(), key=lambda item: item[1].due_at):
        if name not in keep and row.status == PENDING:
            row.status, row.updated_at = CANCELLED, now
            cancelled.append(name)
    return cancelled


def plan(incident: Incident, now: datetime, actor: object = "system") -> None:
    """Make the pending rows match what the law asks of this incident right now."""
    from ..notifications.services import situation

    s = situation(incident)
    existing = _rows(incident, "deadline")
    keep: set[str] = set()
    if law.clock_running(s):
        purpose = "assess" if s.risk == "unassessed" else "notify"
        stages = rules.deadline_stages(incident.deadline_at, offsets(), purpose)
        # a later overdue stage, planned when the one before went out, keeps rolling
        stages += [
            rules.overdue_stage(incident.deadline_at, _number(name), purpose)
            for name, row in existing.items()
            if name.startswith("overdue-")
            and name != "overdue-1"
            and row.status in (PENDING, CANCELLED)
        ]
        # stages not planned yet and already past: only the most urgent one goes out
        fresh = [
            st
            for st in stages
            if st.stage not in existing or existing[st.stage].status in (PENDING, CANCELLED)
        ]
        pending, skipped = rules.split_catch_up(fresh, now)
        # a due stage no later than one already sent is stale: never planned anew or revived
        done = [
            st.due_at
            for st in stages
            if st.stage in existing and existing[st.stage].status in (SENT, SENDING, FAILED)
        ]
        if done:
            stale = [st for st in pending if st.due_at <= now and st.due_at <= max(done)]
            pending = [st for st in pending if st not in stale]
            skipped += stale
        for stage in pending:
            _put(incident, "deadline", stage, existing, now)
            keep.add(stage.stage)
        for stage in skipped:
            row = existing.get(stage.stage)
            if row is not None and row.status == PENDING:
                row.status, row.updated_at = SUPERSEDED, now
                chain.record(
                    "reminder.superseded",
                    row,
                    actor=actor,
                    now=now,
                    after=row.audit_state(),
                    incident_id=incident.id,
                )
        keep |= {st.stage for st in skipped}
    cancelled = _cancel(existing, keep, now)

    subjects = _rows(incident, "subjects")
    needs_subjects = law.needs_subject_communication(s.risk, s.is_personal_data_breach) and not (
        s.has_subject_communication or s.has_exemption or s.is_closed
    )
    if needs_subjects and not any(r.status == PENDING for r in subjects.values()):
        stage = rules.subjects_stage(now, len(subjects) + 1)
        _put(incident, "subjects", stage, subjects, now)
    elif not needs_subjects:
        cancelled += _cancel(subjects, set(), now)
    db.session.flush()
    if cancelled:
        chain.record(
            "reminders.cancelled",
            incident,
            actor=actor,
            now=now,
            after={"stages": cancelled},
            incident_id=incident.id,
        )


def plan_new_report(incident: Incident, now: datetime) -> None:
    """All officers hear of a new report at once."""
    db.session.add(
        Reminder(
            incident_id=incident.id,
            kind="new_report",
            stage="new-report",
            purpose="new",
            level=rules.OFFICERS,
            due_at=now,
            status=PENDING,
            created_at=now,
            updated_at=now,
        )
    )
    db.session.flush()


def plan_measure(measure: Measure, now: datetime) -> None:
    """The owner of a measure hears of it on its due date; done or cancelled ones need none."""
    stage = f"measure-{measure.id}"
    row = db.session.scalars(
        sa.select(Reminder).where(
            Reminder.incident_id == measure.incident_id, Reminder.stage == stage
        )
    ).first()
    if measure.due_on is None or measure.done_at is not None or measure.cancelled_at is not None:
        if row is not None and row.status == PENDING:
            row.status, row.updated_at = CANCELLED, now
        return
    zone = measure.incident.organisation.timezone
    due_at = local_to_utc(datetime.combine(measure.due_on, MEASURE_REMINDER_TIME), zone, fold=0)
    if row is None:
        db.session.add(
            Reminder(
                incident_id=measure.incident_id,
                measure_id=measure.id,
                kind="measure_due",
                stage=stage,
                purpose="measure",
                level=rules.ASSIGNEE,
                due_at=due_at,
                status=PENDING,
                created_at=now,
                updated_at=now,
            )
        )
    elif row.status in (PENDING, CANCELLED):
        row.due_at, row.status, row.updated_at = due_at, PENDING, now
    db.session.flush()


def plan_provisional(
    incident: Incident,
    notification_id: int,
    submitted_at: datetime,
    now: datetime,
    number: int = 1,
) -> None:
    """While the AP notification is provisional, a weekly reminder to send the supplement."""
    stage = rules.Stage(
        f"provisional-{notification_id}-{number}",
        submitted_at + number * rules.PROVISIONAL_INTERVAL,
        rules.ASSIGNEE,
        "supplement",
    )
    _put(
        incident,
        "provisional",
        stage,
        _rows(incident, "provisional"),
        now,
        notification_id=notification_id,
    )
    db.session.flush()


def _number(stage: str) -> int:
    """overdue-3 -> 3, provisional-12-2 -> 2."""
    tail = stage.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def plan_follow_up(row: Reminder, now: datetime) -> None:
    """Rolling stages, each planned when the one before went out (or failed for good): every
    24 h while overdue or while the people are not informed, weekly while a notification is
    provisional. After downtime the next one lies ahead of `now`, never in the past."""
    incident, number = row.incident, _number(row.stage)
    if row.kind == "deadline" and row.stage.startswith("overdue-"):
        number = rules.next_number(incident.deadline_at, rules.OVERDUE_INTERVAL, number, now)
        stage = rules.overdue_stage(incident.deadline_at, number, row.purpose)
        _put(incident, "deadline", stage, _rows(incident, "deadline"), now)
    elif row.kind == "subjects":
        _put(
            incident,
            "subjects",
            rules.subjects_stage(now, number + 1),
            _rows(incident, "subjects"),
            now,
        )
    elif row.kind == "provisional" and row.notification_id is not None:
        from ..notifications.models import Notification

        notification = db.session.get(Notification, row.notification_id)
        if notification is not None and is_still_provisional(incident, notification):
            number = rules.next_number(
                notification.submitted_at, rules.PROVISIONAL_INTERVAL, number, now
            )
            plan_provisional(incident, notification.id, notification.submitted_at, now, number)


def is_still_provisional(incident: Incident, notification: Any) -> bool:
    """R11: the weekly reminder runs while a part of this notification is still owed; a
    withdrawal or a newer initial notification ends it."""
    newest = next((n for n in reversed(incident.notifications) if n.kind == "initial"), None)
    return (
        bool(notification.is_provisional)
        and newest is not None
        and newest.id == notification.id
        and not incident.is_withdrawn
        and bool(incident.owed_parts)
    )


def cancel_provisional(incident: Incident, now: datetime) -> None:
    _cancel(_rows(incident, "provisional"), set(), now)


def retry_failed(incident: Incident, actor: object, now: datetime) -> list[str]:
    """An officer fixed what made the mail fail (settings, an address): send those again.

    Whatever became pointless meanwhile is cancelled by the tick, and only the most urgent
    of several due deadline reminders goes out."""
    rows = db.session.scalars(
        sa.select(Reminder)
        .where(Reminder.incident_id == incident.id, Reminder.status == FAILED)
        .order_by(Reminder.due_at)
    ).all()
    for row in rows:
        row.status, row.attempts, row.next_attempt_at, row.updated_at = PENDING, 0, None, now
    if rows:
        chain.record(
            "reminders.retried",
            incident,
            actor=actor,
            now=now,
            after={"stages": [row.stage for row in rows]},
            incident_id=incident.id,
        )
    return [row.stage for row in rows]
