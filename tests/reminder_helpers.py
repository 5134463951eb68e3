"""Shared steps of the reminder tests: a fixed timeline, reporting, ticking, reading rows."""

from __future__ import annotations

import os
import select
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import IO, Any

import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from breachlog.extensions import db
from breachlog.incidents.models import Incident
from breachlog.notifications import services as law_services
from breachlog.reminders import smtp
from breachlog.reminders import tick as outbox
from breachlog.reminders.models import Reminder

from .factories import Factory

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # reported; the organisation was aware at 08:00
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
AWARE = T0 - HOUR
DEADLINE = AWARE + timedelta(hours=72)  # Friday 13 March 2026 08:00 UTC, 09:00 CET
ALL_PARTS = ["nature", "subjects", "records", "contact", "consequences", "measures"]


def report(make: Factory, **facts: Any) -> Incident:
    values: dict[str, Any] = {"discovered_at": AWARE, "aware_at": AWARE}
    values.update(facts)
    return make.incident(now=T0, **values)


def run(now: datetime, send: outbox.Sender = smtp.send, **options: Any) -> outbox.TickResult:
    result = outbox.tick(now, send, **options)
    db.session.expire_all()
    return result


def stages(incident: Incident, kind: str | None = None) -> dict[str, Reminder]:
    query = sa.select(Reminder).where(Reminder.incident_id == incident.id)
    if kind:
        query = query.where(Reminder.kind == kind)
    return {row.stage: row for row in db.session.scalars(query.order_by(Reminder.due_at))}


def statuses(incident: Incident, kind: str = "deadline") -> dict[str, str]:
    return {name: row.status for name, row in stages(incident, kind).items()}


def assess(incident: Incident, officer: Any, now: datetime, risk: str) -> None:
    law_services.assess(incident, officer, now, risk=risk, risk_rationale="Klantgegevens")
    db.session.commit()


def notify(
    incident: Incident,
    officer: Any,
    now: datetime,
    provisional: bool = False,
    kind: str = "initial",
) -> Any:
    notification = law_services.record_notification(
        incident,
        officer,
        now,
        kind=kind,
        submitted_at=now,
        meldnummer="M-2026-0042",
        is_provisional=provisional,
        # every part given, or (provisional) the consequences to follow (R11)
        answers={
            part: "Zie het dossier"
            for part in ALL_PARTS
            if not (provisional and part == "consequences")
        },
        follows=["consequences"] if provisional and kind == "initial" else [],
        gives=list(incident.owed_parts) if kind == "supplement" else [],
    )
    db.session.commit()
    return notification


def recipients(message: EmailMessage) -> set[str]:
    return {address.strip() for address in str(message["To"]).split(",")}


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def page(client: FlaskClient, url: str) -> str:
    """A page in the logged-in user's language. The make fixture keeps one app context, whose g
    would otherwise keep the language Flask-Babel picked first (outside any request: Dutch)."""
    g.pop("_flask_babel", None)
    return client.get(url).get_data(as_text=True)


def read_until(stream: IO[bytes], text: str, timeout: float) -> str:
    """Read a child's output until `text` shows up; a select with a time limit, not a sleep."""
    seen = b""
    limit = time.monotonic() + timeout
    while text.encode() not in seen:
        left = limit - time.monotonic()
        assert left > 0, f"no {text!r} within {timeout} s; got {seen.decode()!r}"
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 65536)
            assert chunk, f"the process ended before {text!r}; got {seen.decode()!r}"
            seen += chunk
    return seen.decode()
