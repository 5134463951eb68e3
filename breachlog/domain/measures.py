"""Measures taken or planned after a breach: the register records them (Art. 33(5)).

A measure is open until it is done or cancelled. Its due date is a calendar day in the
organisation's zone, so "overdue" is decided against that zone's today, passed in.
"""

from __future__ import annotations

from datetime import date, datetime

from .deadlines import ensure_aware
from .errors import N_, Problems
from .incidents import FUTURE_TOLERANCE, TEXT_MAX, check_due_on

OWNER_MAX = 200


def check_edit(
    description: str, owner: str, due_on: date | None = None, now: datetime | None = None
) -> None:
    """Art. 33(5): the register documents "the remedial action taken", so it must say what;
    a changed due day keeps to the years a new measure's may have."""
    problems = Problems()
    if now is not None:
        check_due_on(problems, due_on, now)
    if not (description or "").strip():
        problems.add("description", N_("Describe the measure."))
    elif len(description) > TEXT_MAX:
        problems.add("description", N_("This text is too long."))
    if len(owner or "") > OWNER_MAX:
        problems.add("owner", N_("Keep the owner under %(n)s characters."), n=OWNER_MAX)
    problems.raise_if_any()


def check_done_at(done_at: datetime | None, now: datetime) -> None:
    """A measure is done when it was done, which may be earlier than today; never later."""
    problems = Problems()
    if done_at is None:
        problems.add("done_at", N_("Say when the measure was done."))
    elif ensure_aware(done_at) > ensure_aware(now) + FUTURE_TOLERANCE:
        problems.add("done_at", N_("This time lies in the future."))
    problems.raise_if_any()


def check_cancel(reason: str, is_done: bool) -> None:
    """A measure dropped without a word would look like one forgotten (Art. 5(2))."""
    problems = Problems()
    if is_done:
        problems.add("reason", N_("This measure is done; reopen it before cancelling it."))
    if not (reason or "").strip():
        problems.add("reason", N_("Give the reason for cancelling this measure."))
    problems.raise_if_any()


def is_overdue(
    due_on: date | None, today: date, done_at: datetime | None, cancelled_at: datetime | None
) -> bool:
    """Past its due day and neither done nor cancelled."""
    return due_on is not None and due_on < today and done_at is None and cancelled_at is None
