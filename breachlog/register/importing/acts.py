"""One row of an imported register recorded through the services, as an officer would have.

Order: the incident with its assessment, its measures, the AP notification, informing the
people (or the exemption), closing. Problems are put on the row under the file's column.

The recorder does each act through `acts`: the app's own services (`Services`), or, for a
dry run, the checks those services make, on a draft that is never written (`dry.Checks`).
Order, conditions and columns are decided here once, for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ...domain import law
from ...domain.deadlines import to_local
from ...domain.errors import RuleViolation
from ...extensions import db
from ...incidents import services as incidents
from ...incidents.models import EDITABLE_FIELDS, Incident
from ...notifications import ap_form
from ...notifications import services as notifications
from ...orgs.models import Organisation
from ...reminders import planning
from . import mapping, rows

NOTES = {
    "nl": {
        "source": "Geïmporteerd uit {file}, rij {row}",
        "ref": "; kenmerk daar: {ref}",
        "notification": "{source}. Eerder gemeld; wat het register niet bevatte is gemarkeerd "
        "als 'niet in het geïmporteerde register'.",
        "absent": "niet in het geïmporteerde register",
        "below": " Gemeld hoewel het beoordeelde risico dat niet vereist.",
        "informed": "{source}. Volgens het register geïnformeerd op {when}; de verzonden tekst "
        "staat niet in het geïmporteerde register. Aantal bereikt: het aantal betrokkenen.",
    },
    "en": {
        "source": "Imported from {file}, row {row}",
        "ref": "; its reference there: {ref}",
        "notification": "{source}. Notified earlier; what the register did not hold is marked "
        "'not in the imported register'.",
        "absent": "not in the imported register",
        "below": " Notified although the assessed risk does not require it.",
        "informed": "{source}. The register says they were informed on {when}; the text sent "
        "is not in the imported register. Number reached: the number of people concerned.",
    },
}
# Where a service names a field the file does not have, the problem belongs to this column.
NOTIFICATION_FIELDS = {"submitted_at": "notified_at", "kind": "notified_at"}
# the number reached is taken from the number of people concerned
SUBJECT_FIELDS = dict.fromkeys(("sent_at", "channel", "text"), "subjects_informed")
SUBJECT_FIELDS["people_reached"] = "people_max"
EXEMPTION_FIELDS = dict.fromkeys(
    ("ground", "rationale", "public_communication", "public_sent_at", "public_channel"),
    "exemption",
)
FACT_FIELDS = {"organisation_id": "organisation", "not_breach_rationale": "risk_rationale"}


class Services:
    """The acts an officer performs, writing the incident, its audit events and reminders."""

    def __init__(self, codes: Mapping[str, set[str]]) -> None:
        self.codes = codes  # the catalogue, read once for the whole import

    def existing(self, org: Organisation, title: str, aware_at: datetime) -> str | None:
        """The ref of an incident already in the register with this title and awareness."""
        return db.session.scalars(
            sa.select(Incident.ref)
            .where(
                Incident.organisation_id == org.id,
                Incident.aware_at == aware_at,
                Incident.title == title,
            )
            .order_by(Incident.id)
        ).first()

    def import_incident(self, org: Organisation, facts: Any, *args: Any, **kw: Any) -> Incident:
        return incidents.import_incident(org, facts, *args, codes=self.codes, **kw)

    add_measure = staticmethod(incidents.add_measure)
    parts = staticmethod(ap_form.parts)
    record_notification = staticmethod(notifications.record_notification)
    record_subject_communication = staticmethod(notifications.record_subject_communication)
    record_exemption = staticmethod(notifications.record_exemption)
    close = staticmethod(notifications.close)

    def plan(self, incident: Incident, now: datetime, actor: Any) -> None:
        planning.plan(incident, now, actor=actor)


@dataclass
class Recorder:
    actor: Any
    now: datetime
    language: str
    source: str  # the file (and sheet) the rows come from
    acts: Any  # Services, or dry.Checks

    def record(self, row: rows.Row, org: Organisation) -> str:
        """The acts of one row, in the order an officer would have done them."""
        v = row.values
        notes = NOTES[self.language]
        source = notes["source"].format(file=self.source, row=row.number)
        if v.get("ref"):
            source += notes["ref"].format(ref=v["ref"])
        self._duplicate(row, org)
        facts = {k: value for k, value in v.items() if k in EDITABLE_FIELDS}
        acts = self.acts
        try:
            incident = acts.import_incident(
                org,
                facts,
                self.actor,
                self.now,
                source=source,
                assessment=self._assessment(row),
            )
        except RuleViolation as violation:
            self._problems(row, violation, FACT_FIELDS, "title")
            return ""
        # its ref there is found by the register's search, as the history names it
        incident.former_ref = (v.get("ref") or "")[:64]
        actor, now = self.actor, self.now
        for measure in row.measures:
            self._act(row, "measures", self._measure(incident, measure))
        if not (row.failed("notified_at") or row.failed("meldnummer")):
            self._notify(row, incident, source)
        informed = v.get("subjects_informed")
        if isinstance(informed, datetime):
            self._act(
                row,
                "subjects_informed",
                lambda: acts.record_subject_communication(
                    incident,
                    actor,
                    now,
                    sent_at=informed,
                    channel="other",
                    people_reached=incident.people_max or incident.people_min,
                    text=notes["informed"].format(source=source, when=_day(informed, org)),
                    imported=True,
                ),
                SUBJECT_FIELDS,
            )
        if v.get("exemption"):
            ground, rationale = v["exemption"]
            self._act(
                row,
                "exemption",
                lambda: acts.record_exemption(
                    incident,
                    actor,
                    now,
                    ground=ground,
                    rationale=rationale,
                    public_communication=v.get("public_communication") or "",
                    # the register holds the text, not when or where it was made public
                    public_channel="other" if ground == "disproportionate" else "",
                    imported=True,
                ),
                EXEMPTION_FIELDS,
            )
        if v.get("status") == "closed" and not row.problems:
            # closed there with these measures open: the close event lists them (R16)
            row.closing = True
            self._act(
                row,
                "status",
                lambda: acts.close(incident, actor, now, open_measures_confirmed=True),
            )
        acts.plan(incident, now, actor)
        return str(incident.ref)

    def _measure(self, incident: Incident, m: rows.Measure) -> Callable[[], object]:
        return lambda: self.acts.add_measure(
            incident,
            self.actor,
            self.now,
            kind=m.kind,
            description=m.description,
            due_on=m.due_on,
            done_at=m.done_at,
        )

    def _assessment(self, row: rows.Row) -> dict[str, Any] | None:
        v = row.values
        risk, rationale = v.get("risk"), v.get("risk_rationale") or ""
        if risk in (None, "unassessed"):
            if rationale and not row.failed("risk"):
                row.problem("risk", "a risk rationale without a risk level")
            return None
        if risk == rows.NOT_A_BREACH:
            return {"is_personal_data_breach": False, "not_breach_rationale": rationale}
        return {"risk": risk, "risk_rationale": rationale}

    def _notify(self, row: rows.Row, incident: Incident, source: str) -> None:
        v = row.values
        if not (v.get("notified_at") or v.get("meldnummer")):
            return
        if not v.get("notified_at"):
            row.problem("notified_at", "a meldnummer without the date the AP was notified")
            return
        # a notification of the past, settled there: what the register does not hold is
        # said to be absent, not marked as following (R11 would then owe it to the AP today)
        given = self.acts.parts(incident)
        absent = NOTES[self.language]["absent"]
        answers = {part: absent for part in law.REQUIRED_PARTS if not given.get(part)}
        note = NOTES[self.language]["notification"].format(source=source)
        if not law.needs_ap_notification(incident.risk, incident.is_personal_data_breach):
            note += NOTES[self.language]["below"]
        self._act(
            row,
            "notified_at",
            lambda: self.acts.record_notification(
                incident,
                self.actor,
                self.now,
                kind="initial",
                submitted_at=v["notified_at"],
                meldnummer=v.get("meldnummer") or "",
                reasons_for_delay=v.get("reasons_for_delay") or "",
                answers=answers,
                note=note,
            ),
            NOTIFICATION_FIELDS,
        )

    def _duplicate(self, row: rows.Row, org: Organisation) -> None:
        title, aware_at = row.values.get("title"), row.values.get("aware_at")
        if not title or aware_at is None:
            return
        existing = self.acts.existing(org, title.strip(), aware_at)
        if existing:
            row.problem("title", duplicate(existing))

    def _act(
        self,
        row: rows.Row,
        key: str,
        act: Callable[[], object],
        fields: Mapping[str, str] | None = None,
    ) -> None:
        try:
            act()
        except RuleViolation as violation:
            self._problems(row, violation, fields or {}, key)

    def _problems(
        self, row: rows.Row, violation: RuleViolation, fields: Mapping[str, str], default: str
    ) -> None:
        # a cell that could not be read is reported once, not again as missing
        earlier = {p.key for p in row.problems}
        for problem in violation.problems:
            key = column(problem.field, fields, default)
            if key not in earlier:
                row.problem(key, problem.render(), act=True)


def duplicate(ref: str) -> str:
    """The problem of a row whose incident the register holds already (under `ref`)."""
    return f"{ref} has the same title and moment of awareness; imported before?"


def column(name: str, fields: Mapping[str, str], default: str) -> str:
    """The file's column a service's problem belongs to."""
    if name.startswith("answers."):
        return "notified_at"
    return fields.get(name) or (name if name in mapping.KEYS else default)


def _day(moment: datetime, org: Organisation) -> str:
    return f"{to_local(moment, org.timezone):%d-%m-%Y %H:%M}"
