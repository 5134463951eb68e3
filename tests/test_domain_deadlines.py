"""R2: deadline arithmetic and typed local times, without an app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachlog.domain.deadlines import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    deadline_for,
    is_overdue,
    local_to_utc,
    parse_iso_with_offset,
    time_left,
)

AMS = ZoneInfo("Europe/Amsterdam")


def test_deadline_is_exactly_72_hours_later_in_utc():
    aware = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert deadline_for(aware) == datetime(2026, 3, 13, 9, 0, tzinfo=UTC)


def test_autumn_dst_does_not_shift_the_deadline():
    # the design's own example: aware 2026-10-23 12:00 CEST gives 2026-10-26 11:00 CET
    aware = datetime(2026, 10, 23, 12, 0, tzinfo=AMS)
    deadline = deadline_for(aware).astimezone(AMS)
    assert deadline.replace(tzinfo=None) == datetime(2026, 10, 26, 11, 0)
    assert deadline.tzname() == "CET"


def test_spring_dst_gives_an_hour_later_on_the_wall_clock():
    aware = datetime(2026, 3, 27, 12, 0, tzinfo=AMS)  # CET, clocks go forward on the 29th
    deadline = deadline_for(aware).astimezone(AMS)
    assert deadline.replace(tzinfo=None) == datetime(2026, 3, 30, 13, 0)
    assert deadline.tzname() == "CEST"


def test_weekends_and_holidays_count():
    aware = datetime(2026, 12, 24, 17, 0, tzinfo=AMS)  # Christmas Eve, Thursday
    assert deadline_for(aware).astimezone(AMS).replace(tzinfo=None) == datetime(2026, 12, 27, 17)


def test_overdue_exactly_at_deadline_is_not_yet_overdue_one_second_later_is():
    deadline = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
    assert not is_overdue(deadline, deadline)
    assert is_overdue(deadline, deadline + timedelta(seconds=1))
    assert time_left(deadline, deadline - timedelta(hours=3)) == timedelta(hours=3)


def test_naive_times_never_reach_the_domain():
    with pytest.raises(ValueError):
        deadline_for(datetime(2026, 3, 10, 9, 0))  # noqa: DTZ001


def test_skipped_spring_hour_is_refused():
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Amsterdam")  # noqa: DTZ001


def test_doubled_autumn_hour_is_asked_not_guessed():
    typed = datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001
    with pytest.raises(AmbiguousLocalTime) as asked:
        local_to_utc(typed, "Europe/Amsterdam")
    first, second = asked.value.choices
    assert second - first == timedelta(hours=1)
    assert local_to_utc(typed, "Europe/Amsterdam", fold=0) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert local_to_utc(typed, "Europe/Amsterdam", fold=1) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )


def test_ordinary_local_time_converts_without_asking():
    typed = datetime(2026, 7, 1, 9, 0)  # noqa: DTZ001
    assert local_to_utc(typed, "Europe/Amsterdam") == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert local_to_utc(typed, "Europe/Amsterdam", fold=1) == datetime(
        2026, 7, 1, 7, 0, tzinfo=UTC
    )


def test_iso_time_without_offset_is_refused():
    with pytest.raises(ValueError):
        parse_iso_with_offset("2026-03-10T09:00:00")
    assert parse_iso_with_offset("2026-03-10T10:00:00+01:00") == datetime(
        2026, 3, 10, 9, tzinfo=UTC
    )
    assert parse_iso_with_offset("2026-03-10T09:00:00Z") == datetime(2026, 3, 10, 9, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001
    st.sampled_from(["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "UTC"]),
)
def test_deadline_is_always_72_real_hours_in_any_zone(moment, zone):
    aware = moment.replace(tzinfo=ZoneInfo(zone))
    deadline = deadline_for(aware)
    assert deadline.tzinfo is UTC
    assert deadline - aware.astimezone(UTC) == timedelta(hours=72)
