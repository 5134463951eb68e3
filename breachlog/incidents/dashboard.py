"""The officer's home page: what must be done for which breach, most urgent first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup

from ..auth.models import User
from ..domain import law
from ..domain.deadlines import to_local
from ..domain.errors import N_, Todo
from ..domain.incidents import STATUSES
from ..extensions import db
from ..kept import kept
from ..notifications.services import situation
from ..orgs.models import Organisation
from ..web import translate
from .models import Incident, Measure

SOON = 12 * 3600
# named rather than "not closed": a != cannot use ix_incidents_open_deadline, and the scan
# of every closed incident it would take instead grows with the register
OPEN_STATUSES = tuple(s for s in STATUSES if s != "closed")


@dataclass(frozen=True)
class Open:
    """What the dashboard shows of an open incident: a few columns, not the whole record."""

    ref: str
    title: str
    risk: str
    deadline_at: datetime
    notified_at: datetime | None
    timezone: str
    assignee: str | None


@dataclass
class Row:
    incident: Open
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

    @property
    def time_left(self) -> str:
        """The countdown as the server writes it; countdown.js then keeps it running."""
        if self.seconds_left is None:
            return ""
        return time_left_text(self.seconds_left)


# the countdown's words, written by the server and, with the same texts, by countdown.js
COUNTDOWN = {
    "left": N_("%(h)d h %(m)d min left"),
    "left-days": N_("%(d)d d %(h)d h %(m)d min left"),
    "over": N_("overdue by %(h)d h %(m)d min"),
    "over-days": N_("overdue by %(d)d d %(h)d h %(m)d min"),
}


def time_left_text(seconds: int) -> str:
    s = abs(seconds)
    d, h, m = s // 86400, s % 86400 // 3600, s % 3600 // 60
    key = ("over" if seconds < 0 else "left") + ("-days" if d else "")
    return translate(COUNTDOWN[key]) % {"d": d, "h": h, "m": m}


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
    owed = [item for item in law.still_missing(s) if isinstance(item, Todo)]
    if owed:
        return owed[0]
    return N_("ready to close")


def rows(now: datetime, readable: Collection[int]) -> list[Row]:
    found = db.session.execute(
        sa.select(
            Incident.ref,
            Incident.title,
            Incident.risk,
            Incident.deadline_at,
            Incident.notified_at,
            Incident.status,
            Incident.is_personal_data_breach,
            Incident.is_withdrawn,
            Incident.subjects_informed_at,
            Incident.exemption_ground,
            Incident.owed_parts,
            Organisation.timezone,
            User.name,
            User.email,
        )
        .join(Organisation, Organisation.id == Incident.organisation_id)
        .outerjoin(User, User.id == Incident.assignee_id)
        .where(Incident.status.in_(OPEN_STATUSES), Incident.organisation_id.in_(sorted(readable)))
        .order_by(Incident.deadline_at, Incident.id)
    ).all()
    result = []
    for row in found:
        s = situation(row)
        running = law.clock_running(s)
        left = int((row.deadline_at - now).total_seconds()) if running else None
        incident = Open(
            row.ref,
            row.title,
            row.risk,
            row.deadline_at,
            row.notified_at,
            row.timezone,
            (row.name or row.email) if row.email else None,
        )
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


def counts(dashboard: list[Row], now: datetime, zone: str, readable: Collection[int]) -> Counts:
    year = to_local(now, zone).year
    start = datetime(year, 1, 1, tzinfo=to_local(now, zone).tzinfo)
    notified = db.session.execute(
        # count(*), not count(id): PostgreSQL then answers from ix_incidents_notified alone
        sa.select(
            sa.func.count(),
            sa.func.sum(sa.case((Incident.notified_at <= Incident.deadline_at, 1), else_=0)),
        )
        .select_from(Incident)
        .where(Incident.notified_at >= start, Incident.organisation_id.in_(sorted(readable)))
    ).one()
    return Counts(
        open=len(dashboard),
        overdue=sum(1 for r in dashboard if r.urgency == "overdue"),
        notified_this_year=notified[0] or 0,
        on_time_this_year=int(notified[1] or 0),
    )


def board(now: datetime, readable: Collection[int]) -> Markup:
    """The counts and the open incidents of the `readable` organisations as HTML, made once
    per second, change and set of organisations (kept.py).

    The countdown counts in seconds and its text in minutes: a copy of the second is right.
    """
    zone = current_app.config["TIMEZONE"]

    def make(second: datetime) -> Markup:
        shown = rows(second, readable)
        # a template's output: the template escaped every text in it
        return Markup(  # noqa: S704
            render_template(
                "incidents/_board.html",
                rows=shown,
                counts=counts(shown, second, zone, readable),
                countdown_texts=countdown_texts(),
            )
        )

    return kept("board", now, (str(get_locale()), zone, tuple(sorted(readable))), make)


def countdown_texts() -> dict[str, str]:
    """The same words as the server's text, for the live countdown in the browser."""
    return {key: translate(message) for key, message in COUNTDOWN.items()}


def overdue_measures(visible: sa.ColumnElement[bool], now: datetime) -> list[Measure]:
    """Measures past their due day, of open and closed incidents alike: closing does not
    finish a measure, so it is followed here until it is done or cancelled."""
    # a due day is a day in the organisation's zone; no zone is more than a day from UTC
    candidates = db.session.scalars(
        sa.select(Measure)
        .join(Incident, Incident.id == Measure.incident_id)
        .where(
            visible,
            Measure.done_at.is_(None),
            Measure.cancelled_at.is_(None),
            Measure.due_on <= now.date() + timedelta(days=1),
        )
        .order_by(Measure.due_on, Measure.id)
        .limit(200)
    ).all()
    return [
        m
        for m in candidates
        if m.is_overdue(to_local(now, m.incident.organisation.timezone).date())
    ]
