"""R2: the 72-hour clock, computed in UTC, and local times typed at the edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import N_, Problem, RuleViolation

AP_DEADLINE = timedelta(hours=72)


class LocalTimeError(ValueError):
    """A wall-clock time that cannot be placed on the timeline without asking."""


class NonexistentLocalTime(LocalTimeError):
    """The hour skipped when clocks go forward in spring."""


class AmbiguousLocalTime(LocalTimeError):
    """The hour that happens twice when clocks go back in autumn."""

    def __init__(self, naive: datetime, zone: ZoneInfo) -> None:
        self.naive = naive
        self.zone = zone
        self.choices = [
            naive.replace(tzinfo=zone, fold=0).astimezone(UTC),
            naive.replace(tzinfo=zone, fold=1).astimezone(UTC),
        ]
        super().__init__(f"{naive:%Y-%m-%d %H:%M} happens twice in {zone.key}")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RuleViolation(
            [Problem("timezone", N_("Unknown time zone: %(name)s."), {"name": name})]
        ) from exc


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def ensure_aware(moment: datetime) -> datetime:
    """Return `moment` in UTC; a time without an offset is a programming error here."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime reached the domain; convert it at the edge")
    return moment.astimezone(UTC)


def deadline_for(aware_at: datetime) -> datetime:
    """aware_at + 72 hours on the UTC timeline: nights, weekends, holidays and DST all count."""
    return ensure_aware(aware_at) + AP_DEADLINE


def time_left(deadline_at: datetime, now: datetime) -> timedelta:
    return ensure_aware(deadline_at) - ensure_aware(now)


def is_overdue(deadline_at: datetime, now: datetime) -> bool:
    return ensure_aware(now) > ensure_aware(deadline_at)


def local_to_utc(naive: datetime, zone_name: str, fold: int | None = None) -> datetime:
    """Place a typed wall-clock time in `zone_name` on the UTC timeline.

    A time that does not exist is refused; an ambiguous one is refused unless `fold`
    says which of the two is meant (0: the first, summer time; 1: the second).
    """
    if naive.tzinfo is not None:
        return ensure_aware(naive)
    tz = zone(zone_name)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        # zoneinfo resolves a skipped time by either offset; a real time survives the round trip
        candidates = [c for c in (first, second) if _round_trips(c, naive, tz)]
        if not candidates:
            raise NonexistentLocalTime(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}")
        if len(candidates) == 2:
            if fold is None:
                raise AmbiguousLocalTime(naive, tz)
            return (second if fold else first).astimezone(UTC)
        return candidates[0].astimezone(UTC)
    return first.astimezone(UTC)


def _round_trips(candidate: datetime, naive: datetime, tz: ZoneInfo) -> bool:
    return candidate.astimezone(UTC).astimezone(tz).replace(tzinfo=None, fold=0) == naive


def to_local(moment: datetime, zone_name: str) -> datetime:
    return ensure_aware(moment).astimezone(zone(zone_name))


def parse_iso_with_offset(text: str) -> datetime:
    """Parse ISO 8601 that carries an offset; one without an offset is refused."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(N_("Not a valid ISO 8601 date and time.")) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(N_("Give a time zone offset, for example 2026-03-01T09:30:00+01:00."))
    return moment.astimezone(UTC)
