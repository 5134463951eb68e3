"""One organisation's register year, read in batches as plain rows and shown as text.

The exports read with SQLAlchemy Core, not the ORM: a year may hold ten thousand incidents
with their measures, notifications and history, and plain rows are several times cheaper to
load and are freed as soon as a batch is written out.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.models import AuditEvent
from ..auth.models import User
from ..catalogue import services as catalogue
from ..domain import ap_answers
from ..domain.ap_answers import AUTHORITY_KEYS
from ..domain.ap_values import THREE_STATE_FIELDS
from ..extensions import db
from ..formats import day_text, moment_text
from ..incidents.fields import label as field_label
from ..incidents.models import Incident, Measure
from ..labels import label as value_label
from ..notifications.models import Notification, SubjectCommunication
from ..orgs.models import Organisation
from ..reminders.wording import stage_label

BATCH = 500
# Incident field -> catalogue kind of its codes
CATALOGUE_KINDS = {
    "incident_type": "incident_type",
    "nature": "nature",
    "personal_data": "personal_data",
    "special_categories": "special_category",
    "subject_categories": "data_subject",
}


class ExportRefused(ValueError):
    """The export cannot be made as asked; the message says why, in the user's words."""


@dataclass(frozen=True)
class Record:
    """One incident with everything the register shows of it (rows, oldest first).

    An event's `before` and `after` are JSON text (EVENT_COLUMNS); export_history reads them.
    """

    incident: Any
    measures: Sequence[Any]
    notifications: Sequence[Any]
    communications: Sequence[Any]
    events: Sequence[Any]

    @property
    def initial(self) -> Any | None:
        return next((n for n in self.notifications if n.kind == "initial"), None)

    @property
    def notified_late(self) -> bool | None:
        """None when the AP was not notified; an imported register may lack the record."""
        if self.incident.notified_at is None:
            return None
        initial = self.initial
        if initial is not None:
            return bool(initial.is_late)
        return bool(self.incident.notified_at > self.incident.deadline_at)


def organisation_for_export(
    organisation_id: int | None, reachable: set[int] | None = None
) -> Organisation:
    """The organisation asked for; without one, the only organisation there is.

    `reachable`: the organisations the caller reads (None on the command line, which reads
    all). One outside it is as unknown as one that does not exist.
    """
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or (reachable is not None and organisation.id not in reachable):
            raise ExportRefused(f"There is no organisation with id {organisation_id}.")
        return organisation
    query = sa.select(Organisation).order_by(Organisation.id)
    if reachable is not None:
        query = query.where(Organisation.id.in_(sorted(reachable)))
    organisations = db.session.scalars(query).all()
    if not organisations:
        raise ExportRefused("There is no organisation yet.")
    if len(organisations) > 1:
        choices = ", ".join(f"{o.id} ({o.name})" for o in organisations)
        raise ExportRefused(f"Choose an organisation: {choices}.")
    return organisations[0]


def export_filename(organisation: Organisation, year: int, extension: str, language: str) -> str:
    """An ASCII file name that says what the file is: datalekregister-2026-voorbeeld-b-v.pdf"""
    plain = unicodedata.normalize("NFKD", organisation.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or str(organisation.id)
    word = "datalekregister" if language == "nl" else "breach-register"
    return f"{word}-{year}-{slug}.{extension}"


def in_register(organisation_id: int, year: int) -> sa.ColumnElement[bool]:
    # ref_year is the year of aware_at in the organisation's zone, moved with it (services.py)
    return sa.and_(Incident.organisation_id == organisation_id, Incident.ref_year == year)


def incident_ids(organisation_id: int, year: int) -> list[int]:
    query = (
        sa.select(Incident.id)
        .where(in_register(organisation_id, year))
        .order_by(Incident.aware_at, Incident.id)
    )
    return list(db.session.scalars(query))


# the meldformulier's choices by the kind of their labels (labels.py)
AP_CODE_LABELS = {
    "law": "law",
    "data_outcomes": "data_outcome",
    "harm_kinds": "harm",
    "severity": "severity",
    "subjects_plan": "subjects_plan",
}
AP_TEXTS = (
    "notifier_name",
    "notifier_role",
    "notifier_email",
    "notifier_phone",
    *ap_answers.TEXT_FIELDS,
)


# What the table and the CSV show of an incident (column_values, table_rows): read alone
# when the history is not wanted; the detail sections show every field
TABLE_FIELDS = (
    "id",
    "ref",
    "title",
    "summary",
    "occurred_from",
    "occurred_until",
    "is_ongoing",
    "discovered_at",
    "aware_at",
    "deadline_at",
    "incident_type",
    "nature",
    "personal_data",
    "special_categories",
    "subject_categories",
    "people_min",
    "people_max",
    "records_count",
    "consequences",
    "is_personal_data_breach",
    "not_breach_rationale",
    "risk",
    "risk_rationale",
    "status",
    "notified_at",
    "meldnummer",
    "is_withdrawn",
    "subjects_informed_at",
    "cause",
    "evaluation",
    "closed_at",
    # the meldformulier's own answers (ap_form_values)
    *THREE_STATE_FIELDS,
    *AP_TEXTS,
    *AP_CODE_LABELS,
    "member_states",
    "subjects_planned_on",
    "other_authorities",
)
# the folded copy of the texts, kept for the search, is not shown
NOT_SHOWN = frozenset({"search_text"})
# An audit event as its history shows it: `before` and `after` as their JSON text, read
# where the history needs them (the facts as first reported seldom are: 40 % of the time of
# reading the events went to them)
EVENT_COLUMNS = (
    AuditEvent.incident_id,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.reason,
    sa.cast(AuditEvent.before, sa.Text).label("before"),
    sa.cast(AuditEvent.after, sa.Text).label("after"),
)


def records(
    organisation_id: int, year: int, *, with_history: bool = True, part: slice | None = None
) -> Iterator[Record]:
    """The register in order of awareness, a batch of incidents at a time.

    Without the history only the incident's fields the table shows are read (TABLE_FIELDS).
    `part`: only these of the incidents in that order (a PDF made by two processes).
    """
    table = Incident.__table__
    if with_history:
        columns = [_read(column) for column in table.c if column.key not in NOT_SHOWN]
    else:
        columns = [_read(table.c[name]) for name in TABLE_FIELDS]
    ids = incident_ids(organisation_id, year)
    if part is not None:
        ids = ids[part]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        incidents = {
            row.id: row
            for row in db.session.execute(sa.select(*columns).where(table.c.id.in_(chunk)))
        }
        measures = _by_incident(Measure, chunk)
        notifications = _by_incident(Notification, chunk)
        communications = _by_incident(SubjectCommunication, chunk)
        events = _events(chunk) if with_history else {}
        for incident_id in chunk:
            yield Record(
                incidents[incident_id],
                measures.get(incident_id, ()),
                notifications.get(incident_id, ()),
                communications.get(incident_id, ()),
                events.get(incident_id, ()),
            )


def _read(column: sa.Column[Any]) -> Any:
    """The column as records() reads it: a JSON one through _ParsedOnce."""
    if isinstance(column.type, sa.JSON):
        return sa.type_coerce(sa.cast(column, sa.Text), _ParsedOnce()).label(column.key)
    return column


class _ParsedOnce(sa.types.TypeDecorator[Any]):
    """JSON read as text and parsed once per distinct text in a process.

    An incident's lists of codes (personal data, categories of people, nature) repeat from
    one incident to the next; parsing each again was a tenth of reading a large register.
    The values are shared between rows, so the export only reads them.
    """

    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else _parsed(value)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> Any:
    return json.loads(text)


def _events(ids: list[int]) -> dict[int, list[Any]]:
    query = (
        sa.select(*EVENT_COLUMNS).where(AuditEvent.incident_id.in_(ids)).order_by(AuditEvent.id)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(query):
        grouped[row.incident_id].append(row)
    return grouped


def _by_incident(model: Any, ids: list[int]) -> dict[int, list[Any]]:
    table = model.__table__
    query = sa.select(table).where(table.c.incident_id.in_(ids)).order_by(table.c.id)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(query):
        grouped[row.incident_id].append(row)
    return grouped


class Formatter:
    """Words and times for one export; make it inside force_locale(language).

    Every label is looked up once per export: per-row gettext and catalogue queries
    dominate the time of a large register otherwise.
    """

    def __init__(self, language: str, zone: str) -> None:
        self.language = language
        self.zone = ZoneInfo(zone)
        self.zone_name = zone
        self._catalogue = {
            kind: catalogue.labels(kind, language) for kind in set(CATALOGUE_KINDS.values())
        }
        self._words: dict[tuple[str, Any], str] = {}
        self._users: dict[int, str] | None = None
        self._times: dict[tuple[datetime, bool], str] = {}
        # templates, formatted per measure below (gettext without values leaves them as is)
        self._done, self._due = _("done %(when)s"), _("due %(when)s")
        self._cancelled = _("cancelled %(when)s: %(reason)s")

    def local(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        try:
            return moment.astimezone(self.zone)
        except (OverflowError, ValueError):
            return moment

    def time(self, moment: datetime | None, with_zone: bool = False) -> str:
        """A moment in the organisation's zone, as pages and mails show it (formats.py)."""
        if moment is None:
            return ""
        # an incident's moments come back in its table row, its facts and its history
        key = (moment, with_zone)
        text = self._times.get(key)
        if text is None:
            if len(self._times) > 4096:
                self._times.clear()
            text = moment_text(moment, self.zone_name, self.language, with_zone=with_zone)
            self._times[key] = text
        return text

    def day(self, day: date | None) -> str:
        return "" if day is None else day_text(day, self.language)

    def codes(self, field: str, codes: Iterable[str] | str | None) -> str:
        if not codes:
            return ""
        names = self._catalogue[CATALOGUE_KINDS[field]]
        if isinstance(codes, str):
            return names.get(codes, codes)
        return "; ".join(names.get(code, code) for code in codes)

    def label(self, kind: str, value: Any) -> str:
        key = (kind, value)
        if key not in self._words:
            self._words[key] = value_label(kind, value)
        return self._words[key]

    def stage(self, stage: str) -> str:
        """A reminder stage in words: before-48h is "48 hours before the deadline"."""
        key = ("stage", stage)
        if key not in self._words:
            self._words[key] = stage_label(stage)
        return self._words[key]

    def cached(self, key: str, text: Any) -> str:
        """str() of a lazy_gettext text, once per export."""
        if ("text", key) not in self._words:
            self._words[("text", key)] = str(text)
        return self._words[("text", key)]

    def field(self, name: str) -> str:
        key = ("field", name)
        if key not in self._words:
            self._words[key] = field_label(name)
        return self._words[key]

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if self._users is None:
            rows = db.session.execute(sa.select(User.id, User.name, User.email))
            self._users = {row.id: row.name or row.email for row in rows}
        return self._users.get(user_id, str(user_id))

    def number(self, value: int | float | None) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    def measure(self, measure: Any) -> str:
        text = f"{self.label('measure', measure.kind)}: {measure.description}"
        if measure.cancelled_at is not None:
            when, reason = self.time(measure.cancelled_at), measure.cancel_reason
            text += " (" + self._cancelled % {"when": when, "reason": reason} + ")"
        elif measure.done_at is not None:
            text += " (" + self._done % {"when": self.time(measure.done_at)} + ")"
        elif measure.due_on is not None:
            text += " (" + self._due % {"when": self.day(measure.due_on)} + ")"
        return text

    def risk(self, incident: Any) -> str:
        if not incident.is_personal_data_breach:
            return _("not a personal-data breach")
        return self.label("risk", incident.risk)


def column_values(
    record: Record, fmt: Formatter, organisation_name: str, *, table: bool = False
) -> dict[str, str]:
    """The register's columns (columns.py) for one incident, as text in fmt's language.

    table: only the columns the PDF's table shows (it writes the measures itself).
    """
    i = record.incident
    initial = record.initial
    values = {
        "ref": i.ref,
        "title": i.title,
        "occurred_from": fmt.time(i.occurred_from),
        "occurred_until": fmt.time(i.occurred_until),
        "aware_at": fmt.time(i.aware_at),
        "deadline_at": fmt.time(i.deadline_at),
        "incident_type": fmt.codes("incident_type", i.incident_type),
        "nature": fmt.codes("nature", i.nature),
        "personal_data": fmt.codes("personal_data", i.personal_data),
        "special_categories": fmt.codes("special_categories", i.special_categories),
        "subject_categories": fmt.codes("subject_categories", i.subject_categories),
        "people_min": fmt.number(i.people_min),
        "people_max": fmt.number(i.people_max),
        "records_count": fmt.number(i.records_count),
        "consequences": i.consequences,
        "risk": fmt.risk(i),
        "risk_rationale": i.risk_rationale
        if i.is_personal_data_breach
        else i.not_breach_rationale,
        "notified_at": fmt.time(i.notified_at),
        "meldnummer": i.meldnummer,
        "reasons_for_delay": initial.reasons_for_delay if initial is not None else "",
        "status": fmt.label("status", i.status),
    }
    if table:
        return values
    late = record.notified_late
    exemption = next((c for c in record.communications if c.is_exemption), None)
    values |= {
        "organisation": organisation_name,
        "summary": i.summary,
        "discovered_at": fmt.time(i.discovered_at),
        "measures": "; ".join(fmt.measure(m) for m in record.measures),
        "on_time": "" if late is None else fmt.label("yesno", not late),
        "subjects_informed": fmt.time(i.subjects_informed_at),
        "is_provisional": "" if initial is None else fmt.label("yesno", _provisional(record)),
        "exemption": _exemption(exemption, fmt),
        "public_communication": exemption.public_communication if exemption is not None else "",
        "closed_at": fmt.time(i.closed_at),
        "cause": i.cause,
        "evaluation": i.evaluation,
    }
    values.update(ap_form_values(i, fmt))
    return values


def ap_form_values(i: Any, fmt: Formatter) -> dict[str, str]:
    """The meldformulier's own answers as the CSV and the import write them: a yes/no nobody
    answered as "not known yet", choices by their label, a date as YYYY-MM-DD, and each
    other authority on its own line as "authority | country | YYYY-MM-DD | reference"."""
    values = {name: fmt.label("yesno", getattr(i, name)) for name in THREE_STATE_FIELDS}
    values.update({name: getattr(i, name) or "" for name in AP_TEXTS})
    for name, kind in AP_CODE_LABELS.items():
        codes = getattr(i, name) or []
        codes = codes if isinstance(codes, list) else [codes]
        values[name] = "; ".join(fmt.label(kind, code) for code in codes)
    values["member_states"] = "; ".join(i.member_states or [])
    day = i.subjects_planned_on
    values["subjects_planned_on"] = day.isoformat() if day is not None else ""
    values["other_authorities"] = "\n".join(
        " | ".join(str(entry.get(key) or "") for key in AUTHORITY_KEYS)
        for entry in (i.other_authorities or [])
        if isinstance(entry, dict)
    )
    return values


def _provisional(record: Record) -> bool:
    """R11: the AP notification is provisional while it says so or a part is still owed."""
    owed: set[str] = set()
    provisional = False
    for notice in record.notifications:
        if notice.kind == "withdrawal":
            return False
        if notice.kind == "initial":
            owed = set()
        answers = notice.answers or {}
        given = {part for part, answer in answers.get("parts", answers).items() if answer}
        owed = (owed - given) | set(notice.follows or [])
        provisional = bool(notice.is_provisional)
    return provisional or bool(owed)


def _exemption(exemption: Any | None, fmt: Formatter) -> str:
    if exemption is None:
        return ""
    ground = fmt.label("ground", exemption.ground)
    return f"{ground}: {exemption.rationale}" if exemption.rationale else ground
