"""The figures on the register's summary page: what a year of breaches amounted to."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..incidents.models import Incident
from ..notifications.models import SubjectCommunication
from ..orgs.models import Organisation
from .export_data import in_register

RECURRING_CAUSES_SHOWN = 10


@dataclass
class Summary:
    total: int = 0
    not_breaches: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_nature: Counter[str] = field(default_factory=Counter)
    by_risk: Counter[str] = field(default_factory=Counter)
    notified: int = 0
    notified_on_time: int = 0
    hours_to_notify: list[float] = field(default_factory=list)
    informed: int = 0
    people_reached: int = 0
    exemptions: Counter[str] = field(default_factory=Counter)
    # (cause as first written, how often), most frequent first; only causes seen twice or more
    recurring_causes: list[tuple[str, int]] = field(default_factory=list)
    per_month: list[int] = field(default_factory=lambda: [0] * 12)
    notified_per_month: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def breaches(self) -> int:
        return self.total - self.not_breaches

    @property
    def notified_late(self) -> int:
        return self.notified - self.notified_on_time

    @property
    def on_time_share(self) -> float | None:
        return self.notified_on_time / self.notified if self.notified else None

    @property
    def median_hours_to_notify(self) -> float | None:
        return statistics.median(self.hours_to_notify) if self.hours_to_notify else None


def summarise(incidents: Iterable[Any], zone: str, people_reached: int = 0) -> Summary:
    """Count a year's incidents (anything with the Incident columns used here)."""
    tz = ZoneInfo(zone)
    summary = Summary(people_reached=people_reached)
    causes: Counter[str] = Counter()
    first_written: dict[str, str] = {}
    for incident in incidents:
        summary.total += 1
        month = incident.aware_at.astimezone(tz).month - 1
        summary.per_month[month] += 1
        summary.by_type[incident.incident_type] += 1
        summary.by_nature.update(incident.nature or [])
        if incident.is_personal_data_breach:
            summary.by_risk[incident.risk] += 1
        else:
            summary.not_breaches += 1
        if incident.notified_at is not None:
            summary.notified += 1
            summary.notified_per_month[month] += 1
            summary.notified_on_time += incident.notified_at <= incident.deadline_at
            hours = (incident.notified_at - incident.aware_at).total_seconds() / 3600
            summary.hours_to_notify.append(hours)
        if incident.subjects_informed_at is not None:
            summary.informed += 1
        if incident.exemption_ground:
            summary.exemptions[incident.exemption_ground] += 1
        cause = " ".join((incident.cause or "").split()).strip(" .;:")
        if cause:
            key = cause.casefold()
            causes[key] += 1
            first_written.setdefault(key, cause)
    summary.recurring_causes = [
        (first_written[key], count)
        for key, count in sorted(causes.items(), key=lambda item: (-item[1], item[0]))
        if count > 1
    ][:RECURRING_CAUSES_SHOWN]
    return summary


def summary_for(organisation: Organisation, year: int) -> Summary:
    columns = (
        Incident.incident_type,
        Incident.nature,
        Incident.risk,
        Incident.is_personal_data_breach,
        Incident.aware_at,
        Incident.deadline_at,
        Incident.notified_at,
        Incident.subjects_informed_at,
        Incident.exemption_ground,
        Incident.cause,
    )
    where = in_register(organisation.id, year)
    rows = db.session.execute(sa.select(*columns).where(where))
    reached = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(SubjectCommunication.people_reached), 0))
        .join(Incident, Incident.id == SubjectCommunication.incident_id)
        .where(where, SubjectCommunication.is_exemption.is_(False))
    ).scalar_one()
    return summarise(rows, organisation.timezone, int(reached))
