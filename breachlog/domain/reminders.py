"""When to remind whom before the AP deadline runs out. Pure: `now` and the deadline come in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .deadlines import ensure_aware

ASSIGNEE, OFFICERS, MANAGEMENT = "assignee", "officers", "management"
LEVELS = (ASSIGNEE, OFFICERS, MANAGEMENT)
OVERDUE_INTERVAL = timedelta(hours=24)
SUBJECTS_INTERVAL = timedelta(hours=24)
PROVISIONAL_INTERVAL = timedelta(days=7)
# Temporary SMTP failures are retried after these waits; then the row is failed.
RETRY_BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)

_OFFSET = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[hm])\s*(?:=\s*(?P<level>\w+))?\s*$")


class OffsetError(ValueError):
    pass


@dataclass(frozen=True)
class Offset:
    before: timedelta
    level: str


def default_level(before: timedelta) -> str:
    """First the assignee, then all officers, then management as the deadline comes close."""
    if before >= timedelta(hours=24):
        return ASSIGNEE
    if before >= timedelta(hours=4):
        return OFFICERS
    return MANAGEMENT


def parse_offsets(text: str) -> list[Offset]:
    """'48h,24h,12h,4h,1h,0h' or with levels: '48h=assignee,12h=officers,1h=management'."""
    offsets = []
    for part in text.split(","):
        if not part.strip():
            continue
        match = _OFFSET.match(part)
        if not match:
            raise OffsetError(f"not a reminder offset: {part.strip()!r} (use e.g. 48h or 30m)")
        amount = float(match["n"])
        before = timedelta(hours=amount) if match["unit"] == "h" else timedelta(minutes=amount)
        level = match["level"] or default_level(before)
        if level not in LEVELS:
            raise OffsetError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
        offsets.append(Offset(before, level))
    if not offsets:
        raise OffsetError("no reminder offsets given")
    levels: dict[timedelta, str] = {}
    for offset in offsets:
        # one stage per moment: two levels at the same offset would be one row planned twice
        if levels.setdefault(offset.before, offset.level) != offset.level:
            raise OffsetError(f"two levels for the same offset: {stage_name(offset.before)}")
    return sorted(set(offsets), key=lambda o: o.before, reverse=True)


@dataclass(frozen=True)
class Stage:
    """One reminder to plan. `stage` is unique per incident; `due_at` is in UTC."""

    stage: str
    due_at: datetime
    level: str
    purpose: str  # assess | notify | subjects


def stage_name(before: timedelta) -> str:
    minutes = int(before.total_seconds() // 60)
    if minutes == 0:
        return "deadline"
    return f"before-{minutes // 60}h" if minutes % 60 == 0 else f"before-{minutes}m"


def deadline_stages(deadline_at: datetime, offsets: Sequence[Offset], purpose: str) -> list[Stage]:
    """One stage per offset before the deadline, and the first overdue one a day after it."""
    deadline_at = ensure_aware(deadline_at)
    stages = [
        Stage(stage_name(o.before), deadline_at - o.before, o.level, purpose) for o in offsets
    ]
    stages.append(overdue_stage(deadline_at, 1, purpose))
    return stages


def overdue_stage(deadline_at: datetime, number: int, purpose: str) -> Stage:
    """Every 24 hours while overdue; the tick plans the next one when it sends this one."""
    return Stage(
        f"overdue-{number}",
        ensure_aware(deadline_at) + number * OVERDUE_INTERVAL,
        MANAGEMENT,
        purpose,
    )


def subjects_stage(after: datetime, number: int) -> Stage:
    """High risk without a communication or exemption: a reminder a day later, then daily."""
    return Stage(
        f"subjects-{number}",
        ensure_aware(after) + SUBJECTS_INTERVAL,
        OFFICERS if number < 3 else MANAGEMENT,
        "subjects",
    )


def split_catch_up(stages: Iterable[Stage], now: datetime) -> tuple[list[Stage], list[Stage]]:
    """Of the stages already due, only the most urgent is sent; the others are superseded.

    Returns (to keep pending, superseded)."""
    now = ensure_aware(now)
    ordered = sorted(stages, key=lambda s: s.due_at)
    due = [s for s in ordered if s.due_at <= now]
    future = [s for s in ordered if s.due_at > now]
    if not due:
        return future, []
    return [due[-1], *future], due[:-1]


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` temporary failures; None: give up."""
    if attempts > len(RETRY_BACKOFF):
        return None
    return ensure_aware(now) + RETRY_BACKOFF[attempts - 1]


def next_number(start: datetime, interval: timedelta, after: int, now: datetime) -> int:
    """The number of the next rolling stage (start + number * interval) still ahead of `now`.

    After downtime the missed days or weeks are not sent one after another."""
    elapsed = ensure_aware(now) - ensure_aware(start)
    return max(after + 1, elapsed // interval + 1)


def time_left(deadline_at: datetime, now: datetime) -> tuple[int, str]:
    """What a reminder says is left, as a person reads it: (amount, "hours" | "minutes").

    Whole hours from about an hour on, minutes below that; negative when overdue, and
    (0, "minutes") at the deadline itself. Rounded, because a tick comes a few seconds late:
    the 4-hour reminder sent at 3:59:40 before the deadline still says 4 hours."""
    seconds = (ensure_aware(deadline_at) - ensure_aware(now)).total_seconds()
    if abs(seconds) >= 3600 - 30:
        return round(seconds / 3600), "hours"
    return round(seconds / 60), "minutes"


def hours_left_text(deadline_at: datetime, now: datetime) -> tuple[int, int]:
    """Whole (hours, minutes) left, negative when overdue."""
    seconds = int((ensure_aware(deadline_at) - ensure_aware(now)).total_seconds())
    sign = -1 if seconds < 0 else 1
    seconds = abs(seconds)
    return sign * (seconds // 3600), sign * ((seconds % 3600) // 60)
