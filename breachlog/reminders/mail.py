"""The mail of one reminder: text and HTML in the reader's language, the deadline as .ics.

One message per language among the recipients. Its Message-ID is derived from the reminder's
id, so the copy sent again after a crash between sending and recording is recognisable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..domain import law
from ..domain.deadlines import to_local
from ..domain.errors import Todo
from ..extensions import db
from ..formats import day_text, moment_text
from ..incidents.fields import LABELS
from ..incidents.models import Incident, Measure
from ..labels import label as value_label
from ..notifications import ap_form
from ..notifications.services import situation, still_missing
from . import ics, recipients, wording
from .models import Reminder
from .tick import PermanentFailure

# Lines up to the SMTP limit: Python folds a long Subject right after "Subject:", which some
# readers show as a leading space. 7-bit: non-ASCII text goes quoted-printable, so a server
# without 8BITMIME takes it too.
POLICY = policy.default.clone(max_line_length=998, cte_type="7bit")


@dataclass
class Content:
    """What both the text and the HTML template lay out, already in the reader's language."""

    language: str
    subject: str
    intro: str
    facts: list[tuple[str, str]]
    link: str
    link_text: str
    footer: str
    todo_heading: str = ""
    todo: list[str] = field(default_factory=list)
    missing_heading: str = ""
    missing: list[str] = field(default_factory=list)


def host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def message_id(row: Reminder, language: str) -> str:
    return f"<reminder-{row.id}-{language}@{host()}>"


def incident_url(incident: Incident) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/incidents/{incident.ref}"


def messages(row: Reminder, now: datetime) -> list[tuple[EmailMessage, list[str]]]:
    """Each message with the addresses it goes to. Nobody to send to is a permanent failure:
    retrying will not find a reader, and a failed row shows on the dashboard."""
    people = recipients.for_reminder(row)
    if not people:
        raise PermanentFailure(
            "nobody to send this reminder to: no assignee, no active officer or admin, "
            "and no escalation address for the organisation"
        )
    languages: dict[str, list[str]] = {}
    for person in people:
        languages.setdefault(person.language, []).append(person.email)
    return [(compose(row, language, to, now), to) for language, to in languages.items()]


def compose(row: Reminder, language: str, to: list[str], now: datetime) -> EmailMessage:
    incident = row.incident
    with force_locale(language):
        content = _content(row, language, now)
        text = render_template("reminders/mail.txt", mail=content)
        html = render_template("reminders/mail.html", mail=content)
        calendar = _calendar(incident, now) if _clock_matters(row) else None
    message = EmailMessage(policy=POLICY)
    # a title sent through the API may hold line breaks; a header may not (header injection)
    message["Subject"] = " ".join(content.subject.split())
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    message["Date"] = rfc2822(now.astimezone(UTC))
    message["Message-ID"] = message_id(row, language)
    # every mail about one incident hangs in one thread in the reader's mailbox
    message["References"] = f"<incident-{incident.ref}@{host()}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if calendar is not None:
        message.add_attachment(
            calendar,
            subtype="calendar",
            filename=f"{incident.ref}.ics",
            params={"method": "PUBLISH"},
        )
    message["Content-Language"] = language  # after the parts: they would take it along
    return message


def _clock_matters(row: Reminder) -> bool:
    return row.kind in ("deadline", "new_report") and law.clock_running(situation(row.incident))


def moment(when: datetime, zone: str) -> str:
    """The organisation's local time, and UTC: "10-3-2026 10:00 CET (09:00 UTC)"."""
    language = str(get_locale() or "nl")
    local = moment_text(when, zone, language, with_zone=True)
    try:
        same_day = to_local(when, zone).date() == when.astimezone(UTC).date()
    except (OverflowError, ValueError):
        return local
    utc = f"{when.astimezone(UTC):%H:%M} UTC" if same_day else moment_text(when, "UTC", language)
    return f"{local} ({utc}{'' if same_day else ' UTC'})"


def time_left(deadline_at: datetime, now: datetime) -> str:
    """As the dashboard says it."""
    seconds = int((deadline_at - now).total_seconds())
    rest = abs(seconds)
    d, h, m = rest // 86400, (rest % 86400) // 3600, (rest % 3600) // 60
    if seconds < 0:
        if d:
            return _("overdue by %(d)d d %(h)d h %(m)d min", d=d, h=h, m=m)
        return _("overdue by %(h)d h %(m)d min", h=h, m=m)
    if d:
        return _("%(d)d d %(h)d h %(m)d min left", d=d, h=h, m=m)
    return _("%(h)d h %(m)d min left", h=h, m=m)


def _content(row: Reminder, language: str, now: datetime) -> Content:
    incident = row.incident
    zone = incident.organisation.timezone
    facts = [
        (_("What happened"), incident.title),
        (_("Organisation"), incident.organisation.name),
    ]
    if row.kind == "measure_due":
        measure = db.session.get(Measure, row.measure_id) if row.measure_id else None
        if measure is not None:
            facts += [
                (str(LABELS["description"]), measure.description),
                (str(LABELS["owner"]), measure.owner or "—"),
                (
                    str(LABELS["due_on"]),
                    day_text(measure.due_on, str(get_locale() or "nl")) if measure.due_on else "—",
                ),
            ]
    else:
        deadline = moment(incident.deadline_at, zone)
        if _clock_matters(row):
            deadline = f"{deadline} — {time_left(incident.deadline_at, now)}"
        facts.append((str(LABELS["deadline_at"]), deadline))
        facts.append((_("Risk"), value_label("risk", incident.risk)))
        if incident.meldnummer:
            facts.append((_("Meldnummer"), incident.meldnummer))
    facts.append((_("Assigned to"), incident.assignee.display_name if incident.assignee else "—"))
    content = Content(
        language=language,
        subject=wording.subject(row, now),
        intro=wording.intro(row, now),
        facts=facts,
        link=incident_url(incident),
        link_text=_("Open the incident in breachlog"),
        footer=_(
            "An automatic reminder from breachlog, the register of data breaches of "
            "%(organisation)s",
            organisation=incident.organisation.name,
        ),
    )
    if row.kind != "measure_due":
        content.todo_heading = _("To do")
        content.todo = [
            item.render(_) if isinstance(item, Todo) else _(item)
            for item in still_missing(incident)
        ]
    if row.kind in ("deadline", "new_report", "provisional"):
        content.missing_heading = _("Still missing for the AP's notification form")
        content.missing = ap_form.missing(incident)
    return content


def _calendar(incident: Incident, now: datetime) -> str:
    summary = _("Deadline to notify the AP: %(ref)s", ref=incident.ref)
    return ics.deadline_event(
        uid=f"deadline-{incident.ref}@{host()}",
        deadline_at=incident.deadline_at,
        now=now,
        summary=summary,
        description=f"{incident.title}\n{incident_url(incident)}",
        url=incident_url(incident),
    )
