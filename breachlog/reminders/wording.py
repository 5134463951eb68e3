"""The words of a reminder, in the language forced around the call (see mail.py)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from ..domain import reminders as rules
from ..incidents.models import Incident
from .models import Reminder


def amount(number: int, unit: str) -> str:
    if unit == "hours":
        return ngettext("%(num)d hour", "%(num)d hours", number)
    return ngettext("%(num)d minute", "%(num)d minutes", number)


def is_assessing(incident: Incident) -> bool:
    """The incident as it is now, not as it was when the row was planned."""
    return incident.is_personal_data_breach and incident.risk == "unassessed"


def subject(row: Reminder, now: datetime) -> str:
    incident = row.incident
    ref = incident.ref
    if row.kind == "new_report":
        return _("New report %(ref)s: %(title)s", ref=ref, title=incident.title)
    if row.kind == "subjects":
        return _("%(ref)s: inform the people concerned", ref=ref)
    if row.kind == "measure_due":
        return _("%(ref)s: a measure is due", ref=ref)
    if row.kind == "provisional":
        return _("%(ref)s: the AP notification is still provisional, send a supplement", ref=ref)
    number, unit = rules.time_left(incident.deadline_at, now)
    assessing = is_assessing(incident)
    if number == 0:
        if assessing:
            return _("%(ref)s: assess the risk now, the deadline for the AP is now", ref=ref)
        return _("%(ref)s: the deadline to notify the AP is now", ref=ref)
    if number < 0:
        over = amount(-number, unit)
        if assessing:
            return _(
                "%(ref)s is %(over)s past the deadline for the AP: assess the risk now",
                ref=ref,
                over=over,
            )
        return _("%(ref)s is %(over)s past the deadline to notify the AP", ref=ref, over=over)
    left = amount(number, unit)
    if assessing:
        return _(
            "%(ref)s: assess the risk now, %(left)s left until the deadline for the AP",
            ref=ref,
            left=left,
        )
    return _("%(ref)s: %(left)s left to notify the AP", ref=ref, left=left)


def intro(row: Reminder, now: datetime) -> str:
    incident = row.incident
    if row.kind == "new_report":
        return _(
            "A (possible) data breach has been reported. The 72 hours to notify the AP run "
            "from the moment the organisation became aware of it."
        )
    if row.kind == "subjects":
        return _(
            "The risk of this breach for the people concerned is high. Inform them without "
            "undue delay, or record why that is not needed (Art. 34 GDPR)."
        )
    if row.kind == "measure_due":
        return _("A measure taken after this breach is due. Mark it done when it is.")
    if row.kind == "provisional":
        return _(
            "The notification to the AP was marked provisional. Send the AP a supplement "
            "with what is known now, or a withdrawal if it was not a breach after all."
        )
    overdue = incident.deadline_at <= now
    if is_assessing(incident):
        if overdue:
            return _(
                "The 72 hours have passed and the risk of this breach is still not assessed. "
                "Assess it now; if the AP must be notified, give the reasons for the delay."
            )
        return _(
            "Assess the risk of this breach now: if there is a risk for the people "
            "concerned, the AP must be notified within 72 hours of becoming aware of it."
        )
    if overdue:
        return _(
            "The 72 hours have passed. Notify the AP now and give the reasons for the delay "
            "(Art. 33(1) GDPR)."
        )
    return _(
        "This breach must be notified to the AP within 72 hours of becoming aware of it "
        "(Art. 33 GDPR)."
    )


def stage_label(stage: str) -> str:
    """before-48h -> "48 hours before the deadline", overdue-2 -> "2 days after the deadline"."""
    head, _sep, tail = stage.rpartition("-")
    number = int(tail) if tail.isdigit() else 0
    if stage == "deadline":
        return _("at the deadline")
    if stage.startswith("before-") and tail[:-1].isdigit():
        value = int(tail[:-1])
        if tail.endswith("h"):
            return ngettext(
                "%(num)d hour before the deadline", "%(num)d hours before the deadline", value
            )
        return ngettext(
            "%(num)d minute before the deadline", "%(num)d minutes before the deadline", value
        )
    if head == "overdue":
        return ngettext(
            "%(num)d day after the deadline", "%(num)d days after the deadline", number
        )
    if head == "subjects":
        return _("inform the people concerned (reminder %(num)d)", num=number)
    if stage == "new-report":
        return _("new report, to the officers")
    if stage.startswith("measure-"):
        return _("measure due")
    if stage.startswith("provisional-"):
        return _("provisional notification, week %(num)d", num=number)
    return stage
