"""Stored values as the register PDF prints them, and the names of the fields they are in.

Used for the facts of each incident and for the values its audit events recorded (JSON:
times as ISO text), so both read the same.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from ..domain.ap_values import THREE_STATE_FIELDS
from ..incidents.history import CODE_LABELS, TIME_FIELDS
from .columns import BY_KEY
from .export_data import CATALOGUE_KINDS, Formatter

EMPTY = "—"
MEASURE_KINDS = ("corrective", "preventive")
# Names of the fields of notifications and communications as their audit events store them
MORE_LABELS = {
    "created_at": _l("Registered at"),
    "submitted_at": _l("Submitted"),
    "meldnummer": _l("Meldnummer"),
    "is_provisional": _l("provisional"),
    "is_late": _l("late"),
    "reasons_for_delay": _l("Reasons for delay"),
    "follows": _l("Follows later"),
    "is_withdrawn": _l("withdrawn"),
    "note": _l("Note"),
    "is_exemption": _l("Exemption"),
    "sent_at": _l("Sent at"),
    "channel": _l("Channel"),
    "people_reached": _l("People reached"),
    "text": _l("Text sent"),
    "ground": _l("Ground"),
    "rationale": _l("Rationale"),
    "public_communication": _l("Public communication"),
}
TIMES = TIME_FIELDS | {
    "created_at",
    "submitted_at",
    "sent_at",
    "notified_at",
    "subjects_informed_at",
}
# Incident fields the incident page does not name; the register's column headers do
COLUMN_LABELS = {
    "notified_at": "notified_at",
    "subjects_informed_at": "subjects_informed",
    "exemption_ground": "exemption",
}


def field_name(fmt: Formatter, name: str) -> str:
    if name in COLUMN_LABELS:
        return BY_KEY[COLUMN_LABELS[name]].header(fmt.language)
    if name in MORE_LABELS:
        return fmt.cached(name, MORE_LABELS[name])
    return fmt.field(name)


def fact(name: str, value: Any, fmt: Formatter) -> str:
    """A stored value (or its JSON form in an audit event) as the register shows it."""
    if name in THREE_STATE_FIELDS and value is None:
        return fmt.label("yesno", None)  # not known yet, never "no" and never left out
    if value is None or value == "" or value == []:
        return EMPTY
    if name in CODE_LABELS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(fmt.label(CODE_LABELS[name], code) for code in codes)
    if name == "subjects_planned_on":
        return fmt.day(value if isinstance(value, date) else _day(value))
    if name == "other_authorities" and isinstance(value, list):
        return "; ".join(_authority(entry, fmt) for entry in value)
    if name in TIMES:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        return fmt.time(value, with_zone=True) if value.tzinfo else str(value)
    if name in CATALOGUE_KINDS:
        return fmt.codes(name, value).replace("; ", ", ")
    if name in ("assignee_id", "reporter_id", "recorded_by_id", "pending_act_by_id"):
        return fmt.user(value)
    if name == "kind":
        return fmt.label("measure" if value in MEASURE_KINDS else "notification", value)
    if name in ("follows", "owed_parts", "parts_given"):
        parts = value if isinstance(value, list) else [value]
        return ", ".join(fmt.label("part", part) for part in parts)
    if name in ("stage", "stages"):
        stages = value if isinstance(value, list) else [value]
        return ", ".join(fmt.stage(str(stage)) for stage in stages)
    if isinstance(value, bool):
        return fmt.label("yesno", value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return fmt.number(value)
    return str(value)


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _authority(entry: Any, fmt: Formatter) -> str:
    """An authority told of the breach: "APD (BE), 21-11-2025, F-1"."""
    if not isinstance(entry, dict):
        return str(entry)
    told = _day(entry.get("notified_on")) if entry.get("notified_on") else None
    parts = [
        f"{entry.get('authority') or EMPTY} ({entry.get('country') or EMPTY})",
        fmt.day(told),
        str(entry.get("reference") or ""),
    ]
    return ", ".join(part for part in parts if part)
