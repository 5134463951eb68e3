"""The history of each incident in the register PDF: its audit events, in words.

The facts as first reported, and a measure, notification or communication as recorded, are
printed only where they differ from what the section above shows: the history then reads
as what changed, and a register of thousands of incidents stays a readable length.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..audit.chain import jsonable
from ..incidents.fields import ACTIONS
from ..incidents.history import HIDDEN
from ..incidents.models import EDITABLE_FIELDS
from .export_data import Formatter, Record
from .export_facts import fact, field_name
from .export_layout import Cell, Row

HISTORY_WHEN = 104.0
FIRST_FACTS = ("incident.reported", "incident.imported")
REPORTED = frozenset(EDITABLE_FIELDS) - HIDDEN
Words = dict[str, str]
LONG = 60  # characters: a text longer than this is not repeated when it is shown above


def history_rows(record: Record, fmt: Formatter, w: Words, width: float) -> Iterator[Row]:
    updated = _updated_fields(record.events)
    # the measures, notifications and communications shown above, by what their events name
    shown = {("measure", m.id): m for m in record.measures}
    shown |= {("notification", n.id): n for n in record.notifications}
    shown |= {("subjectcommunication", c.id): c for c in record.communications}
    for event in record.events:
        # (a lazy text's truth value would translate it: look the name up without `or`)
        action = ACTIONS.get(event.action)
        lines = [("bold", fmt.cached(event.action, event.action if action is None else action))]
        if event.reason:
            lines.append(("text", _("reason: %(reason)s", reason=event.reason)))
        now_shown = shown.get((event.object_type, event.object_id))
        lines += _changes(event, record.incident, updated, now_shown, fmt, w)
        when = [("small", fmt.time(event.at, with_zone=True)), ("small", event.actor)]
        yield Row([Cell(0, HISTORY_WHEN, when), Cell(HISTORY_WHEN, width - HISTORY_WHEN, lines)])


def _changes(
    event: Any,
    incident: Any,
    updated: frozenset[str],
    now_shown: Any | None,
    fmt: Formatter,
    w: Words,
) -> list[tuple[str, str]]:
    if event.action in FIRST_FACTS:
        # the facts as first reported, printed only where they differ from the section above.
        # A reported fact changes only through an update; the assessment, notification and
        # status fields change through the other events, shown below.
        after = _loads(event.after) if updated else {}
        differ = [k for k in after if k in updated and not _same(k, after[k], incident)]
        if not differ:
            return [("small", w["as above"])]
        text = "; ".join(f"{field_name(fmt, k)}: {fact(k, after[k], fmt)}" for k in differ)
        return [("small", w["differs"]), ("text", text)]
    before, after = _loads(event.before), _loads(event.after)
    if not before:  # something new (a measure, a notification): what was filled in
        if now_shown is not None and all(_same(k, v, now_shown) for k, v in after.items()):
            return [("small", w["as above"])]  # and still as it is shown above
        filled = [
            k for k, v in after.items() if k not in HIDDEN and v not in (None, "", [], False)
        ]
        text = "; ".join(f"{field_name(fmt, k)}: {fact(k, after[k], fmt)}" for k in filled)
        return [("text", text)] if text else []
    keys = [k for k in {**before, **after} if k not in HIDDEN]
    target = incident if event.object_type == "incident" else now_shown
    lines = []
    for k in keys:
        new = after.get(k)
        # a long text changed to what the section above shows is not printed twice
        if target is not None and _is_long(new) and _same(k, new, target):
            shown = w["now as above"]
        else:
            shown = fact(k, new, fmt)
        if k in before:
            lines.append(("text", f"{field_name(fmt, k)}: {fact(k, before[k], fmt)} » {shown}"))
        else:
            lines.append(("text", f"{field_name(fmt, k)}: {shown}"))
    return lines


def _loads(text: str | None) -> dict[str, Any]:
    """An event's before or after, read from its JSON text (export_data.EVENT_COLUMNS)."""
    return (json.loads(text) if text else None) or {}


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > LONG


def _updated_fields(events: Sequence[Any]) -> frozenset[str]:
    keys: set[str] = set()
    for event in events:
        if event.action == "incident.updated":
            keys.update(_loads(event.after))
            keys.update(_loads(event.before))
    return REPORTED & keys


def _same(name: str, stored: Any, incident: Any) -> bool:
    current = getattr(incident, name, None)
    if isinstance(current, datetime) and isinstance(stored, str):
        try:
            return datetime.fromisoformat(stored) == current
        except ValueError:
            return False
    if current in (None, "", []) and stored in (None, "", []):
        return True
    return bool(jsonable(current) == stored)
