"""The officer's home page: what must be done for which breach, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy import orm

from ..domain import law
from ..domain.deadlines import to_local
from ..domain.errors import N_
from ..domain.incidents import STATUSES
from ..extensions import db
from ..notifications.services import situation
from .models import Incident

SOON = 12 * 3600
# named rather than "not closed": a != cannot use ix_incidents_open_deadline, and the scan
# of every closed incident it would take instead grows with the register
OPEN_STATUSES = tuple(s for s in STATUSES if s != "closed")


@dataclass
class Row:
    incident: Incident
    seconds_left: int | None  # None: the clock has stopped
    state: str
    missing: list[str]

    @property
    def urgency(self) -> str:
        if self.seconds_left is None:
            return ""
        if self.seconds_left < 0:
            return "overdue"
        return "soon" if self.seconds_left < SOON else ""


def state_of(s: law.Situation, running: bool, seconds_left: int | None) -> str:
    if running and s.risk == "unassessed":
        return N_("assess now")
    if law.needs_ap_notification(s.risk, s.is_personal_data_breach) and not (
        s.has_initial_notification and not s.is_withdrawn
    ):
        return N_("notify the AP")
    if law.needs_subject_communication(s.risk, s.is_personal_data_breach) and not (
        s.has_subject_communication or s.has_exemption
    ):
        return N_("inform the people concerned")
    return N_("ready to close")


def rows(now: datetime) -> list[Row]:
    incidents = db.session.scalars(
        sa.select(Incident)
        .where(Incident.status.in_(OPEN_STATUSES))
        .options(orm.selectinload(Incident.organisation), orm.selectinload(Incident.assignee))
        .order_by(Incident.deadline_at, Incident.id)
    ).all()
    result = []
    for incident in incidents:
        s = situation(incident)
        running = law.clock_running(s)
        left = int((incident.deadline_at - now).total_seconds()) if running else None
        result.append(Row(incident, left, state_of(s, running, left), law.still_missing(s)))
    # running clocks first, by time left; stopped ones after, oldest deadline first
    result.sort(key=lambda r: (r.seconds_left is None, r.seconds_left or 0))
    return result


@dataclass
class Counts:
    open: int
    overdue: int
    notified_this_year: int
    on_time_this_year: int


def counts(dashboard: list[Row], now: datetime, zone: str) -> Counts:
    year = to_local(now, zone).year
    start = datetime(year, 1, 1, tzinfo=to_local(now, zone).tzinfo)
    notified = db.session.execute(
        # count(*), not count(id): PostgreSQL then answers from ix_incidents_notified alone
        sa.select(
            sa.func.count(),
            sa.func.sum(sa.case((Incident.notified_at <= Incident.deadline_at, 1), else_=0)),
        )
        .select_from(Incident)
        .where(Incident.notified_at >= start)
    ).one()
    return Counts(
        open=len(dashboard),
        overdue=sum(1 for r in dashboard if r.urgency == "overdue"),
        notified_this_year=notified[0] or 0,
        on_time_this_year=int(notified[1] or 0),
    )


def countdown_texts() -> dict[str, str]:
    """The same words as the server's text, for the live countdown in the browser."""
    return {
        "left": gettext("%(h)d h %(m)d min left"),
        "left-days": gettext("%(d)d d %(h)d h %(m)d min left"),
        "over": gettext("overdue by %(h)d h %(m)d min"),
        "over-days": gettext("overdue by %(d)d d %(h)d h %(m)d min"),
    }
