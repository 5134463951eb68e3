"""The years a date in the register may have: from 2000 to ten years ahead.

A year typed as "26" instead of "2026" is the usual slip; an incident in year 26 would get
the ref DL-0026-0001, a deadline in local mean time and a lateness of seven hundred
thousand days. No breach of personal data in this register happened before 2000, and
nothing is planned (a measure's due date) more than ten years ahead, so every date field,
in forms, the API and imports, is refused outside these years, with a message that names
the field. Stored values are shown whatever they hold; this rule is for what comes in.
"""

from __future__ import annotations

from datetime import date, datetime

from .errors import N_, Problem

EARLIEST_YEAR = 2000
YEARS_AHEAD = 10
# The register years that can be read (a page, an export): wider than the years a date may
# be given, so that a year stored before those were checked (26 for 2026) can still be read
READABLE_YEARS = (1, 9999)
YEAR_MESSAGE = N_("%(field)s: give a year from %(first)d to %(last)d.")


def year_range(now: datetime) -> tuple[int, int]:
    """The first and last year a date may have when typed at `now`."""
    return EARLIEST_YEAR, now.year + YEARS_AHEAD


def has_register_year(moment: date | datetime, now: datetime) -> bool:
    """Whether `moment` (a date, or a time read in any zone) lies in year_range(now)."""
    first, last = year_range(now)
    return first <= moment.year <= last


def year_problem(
    field: str, label: str, moment: date | datetime | None, now: datetime
) -> Problem | None:
    """The problem with `moment` in the field `field` (shown as `label`), or None."""
    if moment is None or has_register_year(moment, now):
        return None
    first, last = year_range(now)
    return Problem(field, YEAR_MESSAGE, {"field": label, "first": first, "last": last})
