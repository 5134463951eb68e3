"""Cells of a register kept by hand, read the way a Dutch privacy officer wrote them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from ... import clock
from ...domain.dates import has_register_year, year_range
from ...domain.deadlines import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    local_to_utc,
    parse_iso_with_offset,
)
from .mapping import normalise


class BadValue(ValueError):
    """A cell that cannot be read; the message says what would be understood."""


YES = {"ja", "j", "yes", "y", "waar", "true", "1", "x", "gedaan", "done"}
NO = {"nee", "n", "no", "onwaar", "false", "0", "niet", "not"}

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:,?[ T]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?(?:\s*(?:uur|h))?)?"
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME + "$")
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})" + _TIME + "$")
_WORDS = re.compile(r"^(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})" + _TIME + "$")
_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*(?:[+-]\d{2}:?\d{2}|Z)$")
# the apostrophe the CSV export puts before a formula start after a separator inside a cell
_INNER_DEFUSED = re.compile(r"""([,;][\s"]*)'(?=[=+\-@\t\r])""")
_ABOUT = re.compile(r"^(?:ca\.?|circa|ongeveer|about|approx\.?|approximately|~|±)\s*", re.I)
_GROUPED = re.compile(r"^\d{1,3}(?:[.,\s\u00a0']\d{3})+$")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = str(value).strip()
    if "'" in shown and ("," in shown or ";" in shown):
        shown = _INNER_DEFUSED.sub(r"\1", shown)
    # the CSV export defuses a cell Excel would run as a formula with a leading apostrophe
    if shown[:1] == "'" and shown[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return shown[1:].strip()
    return shown


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):  # most cells: no need to read the text as `text` does
        stripped = value.strip()
        if not stripped:
            return True
        if stripped[0] != "'":
            return False
    return text(value) == ""


def moment(value: Any, zone: str) -> datetime | None:
    """A local date or time of the organisation, in UTC; a DST gap or overlap is not guessed."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        # Excel keeps times as fractions of a day: 09:30 may come back as 09:29:59.999999
        naive = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    elif isinstance(value, date):
        naive = datetime.combine(value, time())
    else:
        raw = " ".join(text(value).split())
        if _WITH_OFFSET.match(raw):
            try:
                return _plausible(parse_iso_with_offset(raw))
            except (ValueError, OverflowError) as exc:
                raise BadValue(str(exc)) from None
        naive = _naive(raw)
    _plausible(naive)
    if naive.tzinfo is not None:
        return local_to_utc(naive, zone)
    try:
        return local_to_utc(naive, zone)
    except NonexistentLocalTime:
        raise BadValue(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks went forward that "
            "night; check the time"
        ) from None
    except AmbiguousLocalTime as exc:
        summer, winter = (c.astimezone(exc.zone) for c in exc.choices)
        raise BadValue(
            f"{naive:%Y-%m-%d %H:%M} happened twice in {zone} (the clocks went back); write "
            f"which one with its offset: {summer.isoformat()} (summer time) or "
            f"{winter.isoformat()} (winter time)"
        ) from None


def _plausible(moment: datetime) -> datetime:
    if not has_register_year(moment, clock.now()):
        first, last = year_range(clock.now())
        raise BadValue(f"the year must be from {first} to {last}")
    return moment


def _naive(raw: str) -> datetime:
    lowered = raw.casefold()
    match = _ISO.match(raw) or _DAY_FIRST.match(raw)
    month: int | None = None
    if match is None:
        match = _WORDS.match(lowered)
        month = MONTHS.get(match["mon"]) if match else None
        if match is not None and month is None:
            match = None
    if match is None:
        raise BadValue(
            "not a date; use 2026-03-01, 01-03-2026 or 1-3-2026 09:30 (day before month), "
            "or ISO 8601 with an offset"
        )
    try:
        return datetime(  # noqa: DTZ001 - a wall-clock time, placed in the zone by local_to_utc
            int(match["y"]),
            month or int(match["m"]),
            int(match["d"]),
            int(match["h"] or 0),
            int(match["mi"] or 0),
            int(match["s"] or 0),
        )
    except ValueError as exc:
        raise BadValue(f"not an existing date or time ({exc})") from None


def count(value: Any) -> int | None:
    """A whole number; Dutch thousands separators (1.250) and "ca. 200" are understood."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue("not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise BadValue("not a whole number")
    raw = _ABOUT.sub("", text(value))
    if raw.isdigit():
        return int(raw)
    if _GROUPED.match(raw):
        return int(re.sub(r"\D", "", raw))
    raise BadValue("not a whole number (1250, 1.250 and ca. 200 are understood)")


def people(value: Any) -> tuple[int | None, int | None]:
    """One number, or a range such as "10-200" or "10 tot 200"."""
    raw = text(value)
    parts = re.split(r"\s*(?:–|—|-|\btot\b|\bto\b)\s*", raw, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return count(parts[0]), count(parts[1])
    number = count(value)
    return number, number


def yes_no(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = normalise(value)
    if word in YES:
        return True
    if word in NO:
        return False
    raise BadValue("not yes or no (ja/nee, yes/no)")


# what registers write for a yes/no nobody has answered yet
NOT_KNOWN = {"onbekend", "nogonbekend", "weetikniet", "unknown", "notknownyet", "dontknow", "?"}


def three_state(value: Any) -> bool | None:
    """Yes, no, or not known yet: empty, "onbekend", "weet ik niet", "unknown" and "?" are
    not known; "ja/nee/yes/no/true/false/1/0" as yes_no reads them."""
    if is_blank(value) or str(value).strip() == "?" or normalise(value) in NOT_KNOWN:
        return None
    return yes_no(value)


def day(value: Any) -> date | None:
    """A date as registers write it (2026-03-20, 20-3-2026, 20 maart 2026), the day itself."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    moment_read = moment(value, "UTC")
    return None if moment_read is None else moment_read.date()


def countries(value: Any) -> list[str]:
    """Member states as two-letter codes, separated by ; , or spaces: "BE; DE"."""
    codes = [code.upper() for code in re.split(r"[;,\s]+", text(value)) if code]
    if not all(re.fullmatch(r"[A-Z]{2}", code) for code in codes):
        raise BadValue("not two-letter country codes such as BE or DE")
    return list(dict.fromkeys(codes))


def authorities(value: Any) -> list[dict[str, Any]]:
    """Other authorities, one a line: "authority | country | date | reference"; the date
    and reference may be left out. The rules check the country and the date."""
    found: list[dict[str, Any]] = []
    for line in re.split(r"[\n\r]+", text(value)):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or len(parts) > 4:
            raise BadValue("write each authority as: authority | country | date | reference")
        parts += [""] * (4 - len(parts))
        found.append(
            {
                "authority": parts[0],
                "country": parts[1].upper(),
                "notified_on": day(parts[2]) if parts[2] else None,
                "reference": parts[3],
            }
        )
    return found


def choice(value: Any, lookup: Mapping[str, str], what: str) -> str:
    """One value given by its code or its Dutch or English label."""
    code = lookup.get(normalise(value))
    if code is None:
        raise BadValue(f"unknown {what}")
    return code


def choices(value: Any, lookup: Mapping[str, str], what: str) -> list[str]:
    """Several values separated by ; , or new lines; labels that hold a comma stay whole."""
    codes: list[str] = []
    unknown: list[str] = []
    for piece in re.split(r"[;\n\r]+", text(value)):
        parts = [p.strip() for p in piece.split(",")]
        start = 0
        while start < len(parts):
            # the longest run of comma-separated parts that is one label
            for end in range(len(parts), start, -1):
                code = lookup.get(normalise(",".join(parts[start:end])))
                if code is not None:
                    break
            else:
                if parts[start]:
                    unknown.append(parts[start])
                start += 1
                continue
            if code not in codes:
                codes.append(code)
            start = end
    if unknown:
        raise BadValue(f"unknown {what}: " + "; ".join(repr(u) for u in unknown))
    return codes
