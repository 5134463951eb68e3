"""The AP deadline as an iCalendar event (RFC 5545), so it lands in the reader's calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

ALARM_BEFORE = timedelta(hours=1)
LENGTH = timedelta(minutes=15)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")  # a lone CR ends a line to some readers: no injected property
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space; never inside a
    UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def deadline_event(
    *,
    uid: str,
    deadline_at: datetime,
    now: datetime,
    summary: str,
    description: str,
    url: str,
) -> str:
    """One VEVENT at the deadline (UTC) with an alarm an hour before. The UID stays the same
    for an incident, so a calendar replaces the event when a later mail moves the deadline."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//breachlog//reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(deadline_at)}",
        f"DTEND:{_stamp(deadline_at + LENGTH)}",
        f"SUMMARY:{_text(summary)}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:-PT{int(ALARM_BEFORE.total_seconds() // 60)}M",
        f"DESCRIPTION:{_text(summary)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
