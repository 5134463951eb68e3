"""One act per change to a measure: each checks its rule, writes its audit event (R10),
re-plans the measure's reminder and flushes; the request commits.

A measure is added by incidents.services.add_measure, with the incident's other facts.
"""

from __future__ import annotations

from datetime import date, datetime

from ..audit import chain
from ..auth.models import User
from ..domain import measures as rules
from ..incidents.models import Measure
from ..reminders import planning as reminders


def edit_measure(
    measure: Measure,
    actor: User,
    now: datetime,
    *,
    description: str,
    owner: str,
    due_on: date | None,
) -> Measure:
    """Change what is to be done, by whom and when; only the changed fields are recorded."""
    rules.check_edit(description, owner, due_on, now)
    before = measure.audit_state()
    measure.description, measure.owner, measure.due_on = description.strip(), owner.strip(), due_on
    old, new = chain.rules.changes(before, measure.audit_state())
    if new:
        _record("measure.edited", measure, actor, now, old, new)
    return measure


def complete_measure(measure: Measure, actor: User, now: datetime, done_at: datetime) -> Measure:
    """Done on the moment the officer gives: often a day or two before it is recorded."""
    rules.check_done_at(done_at, now)
    before = measure.audit_state()
    measure.done_at = done_at
    _record("measure.completed", measure, actor, now, before, measure.audit_state())
    return measure


def reopen_measure(measure: Measure, actor: User, now: datetime) -> Measure:
    before = measure.audit_state()
    measure.done_at = None
    measure.cancelled_at, measure.cancel_reason = None, ""
    _record("measure.reopened", measure, actor, now, before, measure.audit_state())
    return measure


def cancel_measure(measure: Measure, actor: User, now: datetime, reason: str) -> Measure:
    """A measure is never deleted: cancelled, it stays in the register with its reason."""
    rules.check_cancel(reason, is_done=measure.done_at is not None)
    before = measure.audit_state()
    measure.cancelled_at, measure.cancel_reason = now, reason.strip()
    _record(
        "measure.cancelled", measure, actor, now, before, measure.audit_state(), reason.strip()
    )
    return measure


def _record(
    action: str,
    measure: Measure,
    actor: User,
    now: datetime,
    before: dict[str, object],
    after: dict[str, object],
    reason: str = "",
) -> None:
    chain.record(
        action,
        measure,
        actor=actor,
        now=now,
        before=before,
        after=after,
        incident_id=measure.incident_id,
        reason=reason,
    )
    reminders.plan_measure(measure, now)
