"""The audit events of one incident, in words a privacy officer reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from ..audit.models import AuditEvent
from ..auth.models import User
from ..domain.ap_values import THREE_STATE_FIELDS
from ..extensions import db
from ..formats import day_text, moment_text
from ..labels import catalogue_label
from ..labels import label as value_label
from .fields import ACTIONS, label

CATALOGUE_FIELDS = {
    "incident_type": "incident_type",
    "nature": "nature",
    "personal_data": "personal_data",
    "special_categories": "special_category",
    "subject_categories": "data_subject",
}
TIME_FIELDS = {
    "occurred_from",
    "occurred_until",
    "discovered_at",
    "aware_at",
    "deadline_at",
    "processor_aware_at",
    "processor_notified_at",
    "closed_at",
    "done_at",
    "due_at",
    "cancelled_at",
    "created_at",
    "submitted_at",
    "sent_at",
    "notified_at",
    "subjects_informed_at",
    "first_aware_at",
    "first_deadline_at",
    "pending_aware_at",
    "public_sent_at",
    "receipt_at",
}
NOTIFICATION_KINDS = ("initial", "supplement", "withdrawal")
HIDDEN = {"ref", "organisation_id", "reporter_id"}
# coded fields (one code or a list), shown by their labels (labels.py) on the page and in
# the PDF: the AP form's choices, the assessment, Art. 34 and what waits for a second officer
CODE_LABELS = {
    "law": "law",
    "data_outcomes": "data_outcome",
    "harm_kinds": "harm",
    "severity": "severity",
    "subjects_plan": "subjects_plan",
    "risk": "risk",
    "status": "status",
    "ground": "ground",
    "exemption_ground": "ground",
    "channel": "channel",
    "public_channel": "channel",
    "pending_act": "held_act",
}
DAY_FIELDS = {"due_on", "subjects_planned_on"}
# what a reminder event shows of its row: which one, when planned, to whom, what went wrong
REMINDER_FIELDS = ("stage", "due_at", "recipients", "last_error")


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime
    actor: str
    action: str
    reason: str
    changes: list[Change]


def readable_history(events: Iterable[AuditEvent], zone: str) -> list[Entry]:
    entries = []
    for event in events:
        action = str(ACTIONS.get(event.action, event.action))
        keys = [k for k in (event.after or {}) if k not in HIDDEN]
        if event.action == "incident.updated":
            keys = [k for k in {**event.before, **event.after} if k not in HIDDEN]
        # a new incident lists only what was filled in
        if event.action in ("incident.reported", "incident.imported"):
            keys = [k for k in keys if event.after.get(k) not in (None, "", [], False)]
        if event.action == "incident.moved":
            # the one place the ref changes: the old and new ref are what happened
            changes = [Change(str(label("ref")), event.before["ref"], event.after["ref"])]
            entries.append(Entry(event.at, event.actor, action, event.reason, changes))
            continue
        if event.action.startswith("reminder."):
            keys = [k for k in REMINDER_FIELDS if event.after.get(k)]
        changes = [
            Change(label(k), show(k, event.before.get(k), zone), show(k, event.after.get(k), zone))
            for k in keys
        ]
        entries.append(Entry(event.at, event.actor, action, event.reason, changes))
    return entries


def show(field: str, value: Any, zone: str) -> str:
    """A stored value, or its JSON form in an audit event, in the reader's words."""
    if field in THREE_STATE_FIELDS and value is None:
        return value_label("yesno", None)
    if value is None or value == "" or value == []:
        return "—"
    if field in TIME_FIELDS and isinstance(value, str | datetime):
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
            return moment_text(moment, zone, _language(), with_zone=True)
        except (ValueError, OverflowError, TypeError):  # odd or old: shown as it was stored
            return str(value)
    if field in DAY_FIELDS and isinstance(value, str | date):
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else value
            return day_text(day, _language())
        except ValueError:
            return str(value)
    if field in CODE_LABELS:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(value_label(CODE_LABELS[field], code) for code in codes)
    if field == "other_authorities" and isinstance(value, list):
        return "; ".join(_authority(entry) for entry in value)
    if field in ("stage", "stages"):
        from ..reminders.wording import stage_label

        stages = value if isinstance(value, list) else [value]
        return ", ".join(stage_label(str(stage)) for stage in stages)
    if field in ("assignee_id", "pending_act_by_id"):
        user = db.session.get(User, value)
        return user.display_name if user else str(value)
    if field in CATALOGUE_FIELDS:
        kind = CATALOGUE_FIELDS[field]
        codes = value if isinstance(value, list) else [value]
        return ", ".join(catalogue_label(kind, str(code)) for code in codes)
    if field == "kind":
        return value_label("notification" if value in NOTIFICATION_KINDS else "measure", value)
    if field in ("follows", "owed_parts", "parts_given"):
        parts = value if isinstance(value, list) else [value]
        return "; ".join(value_label("part", part) for part in parts)
    if isinstance(value, bool):
        return value_label("yesno", value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _authority(entry: Any) -> str:
    """One authority told of the breach: "Name (BE), told 3-2-2026, their reference X"."""
    if not isinstance(entry, dict):
        return str(entry)
    text = entry.get("authority") or "—"
    if entry.get("country"):
        text += f" ({entry['country']})"
    if entry.get("notified_on"):
        try:
            day = day_text(date.fromisoformat(entry["notified_on"]), _language())
        except (TypeError, ValueError):
            day = str(entry["notified_on"])
        text += ", " + _("told %(day)s", day=day)
    if entry.get("reference"):
        text += ", " + _("their reference %(ref)s", ref=entry["reference"])
    return text


def _language() -> str:
    return str(get_locale() or "nl")
