"""The one way a date and time is shown, on pages, in mails, the PDF and the CSV.

Dutch: "6-12-2026 14:05"; English, day first as in Europe: "6 Dec 2026, 14:05". The zone's
abbreviation follows where a reader could be in doubt ("CET", "CEST"). Babel's formats
differ per page and per language ("12/5/26, 8:18 PM"): these do not. A stored time at the
edge of the calendar, which no zone can hold, is shown as it was stored rather than fail.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from .domain.deadlines import to_local

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date, language: str) -> str:
    """A date: 6-12-2026 in Dutch, 6 Dec 2026 in English."""
    if language == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}-{day.month}-{day.year}"


def moment_text(moment: datetime, zone: str, language: str, *, with_zone: bool = False) -> str:
    """A moment in `zone`: 6-12-2026 14:05 (nl) or 6 Dec 2026, 14:05 (en), and the zone."""
    try:
        return _moment_text(moment, zone, language, with_zone)
    except (OverflowError, ValueError):
        return moment.isoformat()


@lru_cache(maxsize=16384)
def _moment_text(moment: datetime, zone: str, language: str, with_zone: bool) -> str:
    # pages and registers show the same deadlines over and over
    local = to_local(moment, zone)
    separator = ", " if language == "en" else " "
    text = f"{day_text(local, language)}{separator}{local.hour:02d}:{local.minute:02d}"
    return f"{text} {local.tzname()}" if with_zone else text
