"""The pure rules of reminders: offsets, stages, catch-up, backoff, the time left in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from breachlog.domain import reminders as rules

DEADLINE = datetime(2026, 3, 13, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_default_offsets_escalate_from_assignee_to_officers_to_management():
    offsets = rules.parse_offsets(rules_default())
    assert [(o.before / H, o.level) for o in offsets] == [
        (48, "assignee"),
        (24, "assignee"),
        (12, "officers"),
        (4, "officers"),
        (1, "management"),
        (0, "management"),
    ]


def rules_default() -> str:
    from breachlog.config import DEFAULT_REMINDER_OFFSETS

    return DEFAULT_REMINDER_OFFSETS


def test_offsets_take_levels_and_minutes():
    offsets = rules.parse_offsets("48h, 24h=officers, 30m=management")
    assert [(rules.stage_name(o.before), o.level) for o in offsets] == [
        ("before-48h", "assignee"),
        ("before-24h", "officers"),
        ("before-30m", "management"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no reminder offsets"),
        ("48", "not a reminder offset"),
        ("2d", "not a reminder offset"),
        ("4h=boss", "unknown level"),
        ("4h=officers,4h=management", "two levels for the same offset"),
    ],
)
def test_offsets_that_make_no_sense_are_refused(text, message):
    with pytest.raises(rules.OffsetError, match=message):
        rules.parse_offsets(text)


def test_catch_up_keeps_only_the_most_urgent_due_stage():
    stages = rules.deadline_stages(DEADLINE, rules.parse_offsets("48h,24h,12h,4h,1h,0h"), "notify")
    keep, superseded = rules.split_catch_up(stages, DEADLINE - 3 * H)
    assert [s.stage for s in keep] == ["before-4h", "before-1h", "deadline", "overdue-1"]
    assert [s.stage for s in superseded] == ["before-48h", "before-24h", "before-12h"]
    assert rules.split_catch_up(stages, DEADLINE - 49 * H) == (stages, [])


def test_the_next_rolling_stage_lies_ahead_after_downtime():
    assert rules.next_number(DEADLINE, rules.OVERDUE_INTERVAL, 1, DEADLINE + 24 * H) == 2
    assert rules.next_number(DEADLINE, rules.OVERDUE_INTERVAL, 1, DEADLINE + 100 * H) == 5
    assert rules.next_number(DEADLINE, rules.OVERDUE_INTERVAL, 1, DEADLINE + 96 * H) == 5


def test_backoff_then_give_up():
    now = DEADLINE
    waits = [rules.retry_at(n, now) for n in range(1, 6)]
    assert [w - now for w in waits[:4]] == list(rules.RETRY_BACKOFF)
    assert waits[4] is None


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (4 * H, (4, "hours")),
        (4 * H - timedelta(seconds=25), (4, "hours")),  # a tick a little late still says 4
        (H - timedelta(seconds=20), (1, "hours")),
        (timedelta(minutes=30), (30, "minutes")),
        (timedelta(seconds=20), (0, "minutes")),  # at the deadline
        (-5 * H, (-5, "hours")),
        (-timedelta(minutes=10), (-10, "minutes")),
    ],
)
def test_time_left_reads_as_a_person_would_say_it(left, expected):
    assert rules.time_left(DEADLINE, DEADLINE - left) == expected
