"""Each question of the AP's meldformulier answered from the register: a state and a text.

The text is what the AP's field takes and nothing more: plain text without markup; a date
as dd-mm-jjjj and a time as uu:mm in the organisation's zone (the form's own notation, on
English screens too); numbers without separators; a choice of several comma-separated; a
list of things one a line.

The state says what the text cannot: "unknown" is a fact nobody has established yet (a
yes/no left None, an empty field): it counts as missing and is never written as "no".
"not_applicable" is a question the form does not ask of this incident, or not yet: the
online form asks "why not" only after "no", and the member states only after "yes" to
cross-border processing, so while that first answer is unknown only it counts as missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from ..domain.deadlines import to_local
from ..incidents.fields import label as field_label
from ..incidents.models import Incident
from ..labels import catalogue_label
from ..labels import label as value_label

Given = tuple[str, str | None]
UNKNOWN: Given = ("unknown", None)
NOT_APPLICABLE: Given = ("not_applicable", None)


@dataclass(frozen=True)
class Submission:
    """The notification a copy of the form is made for: its kind as the register records it
    (initial, supplement, withdrawal), the earlier meldnummer, and what it said of itself."""

    kind: str
    meldnummer: str
    is_provisional: bool
    is_late: bool
    reasons_for_delay: str


def given(text: str | None) -> Given:
    text = (text or "").strip()
    return ("answered", text) if text else UNKNOWN


def day(value: date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def moment(value: datetime, zone: str) -> str:
    local = to_local(value, zone)
    return f"{day(local)} {local:%H:%M}"


def yesno(value: bool | None) -> Given:
    return UNKNOWN if value is None else ("answered", value_label("yesno", value))


def number(value: int | None) -> Given:
    return UNKNOWN if value is None else ("answered", str(value))


def choices(kind: str, codes: Iterable[str], *, catalogue: bool = False) -> Given:
    words = [catalogue_label(kind, c) if catalogue else value_label(kind, c) for c in codes]
    return given(", ".join(words))


def lines(items: Iterable[str]) -> Given:
    return given("\n".join(item.strip() for item in items if item and item.strip()))


def follows(lead: bool | None, answer: Given) -> Given:
    """A question the form asks after a "yes": not applicable after "no"; while the "yes"
    or "no" is unknown, what was given anyway is shown, and nothing more is owed."""
    if lead is False or (lead is None and answer[0] != "answered"):
        return NOT_APPLICABLE
    return answer


def answers(
    incident: Incident, now: datetime, submission: Submission | None, open_parts: Sequence[str]
) -> dict[str, Given]:
    """Every question's answer, by key; the order of the form is in domain/ap_questions.

    `open_parts`: the parts of Art. 33(3) the register does not give yet (a notification made
    today without them is provisional, Art. 33(4)).
    """
    zone = incident.organisation.timezone
    found = _about(incident, submission, open_parts)
    for make in (_contact, _timeline, _breach, _data, _people, _before, _consequences):
        found.update(make(incident, zone, now, submission))
    found.update(_informing(incident, zone))
    found.update(_follow_up(incident, zone))
    found["other_remarks"] = given(incident.other_remarks)
    return found


def _standing_initial(incident: Incident) -> Any:
    """The initial notification that stands: the newest, unless it was withdrawn."""
    if incident.is_withdrawn:
        return None
    return next((n for n in reversed(incident.notifications) if n.kind == "initial"), None)


def _about(
    incident: Incident, submission: Submission | None, open_parts: Sequence[str]
) -> dict[str, Given]:
    """Section 0: today's form is a new notification, or a supplement to the one standing."""
    if submission is None:
        initial = _standing_initial(incident)
        kind = "supplement" if initial else "new"
        earlier = initial.meldnummer if initial else ""
        owed = set(incident.owed_parts or ())
        provisional = bool(open_parts if kind == "new" else owed.intersection(open_parts))
    else:
        kind = "new" if submission.kind == "initial" else submission.kind
        earlier, provisional = submission.meldnummer, submission.is_provisional
    return {
        "law": ("answered", value_label("law", incident.law or "avg")),
        "notification_kind": ("answered", value_label("ap_notification_kind", kind)),
        "earlier_meldnummer": NOT_APPLICABLE if kind == "new" else given(earlier),
        "is_provisional": yesno(provisional),
    }


def _contact(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    org = incident.organisation
    others = []
    if incident.processor_name.strip():
        others.append(f"{field_label('processor_name')}: {incident.processor_name.strip()}")
    others.append(incident.other_organisations)
    return {
        "organisation": given(org.name),
        "kvk_number": given(org.kvk_number),
        "notifier_name": given(incident.notifier_name),
        "notifier_role": given(incident.notifier_role),
        "notifier_email": given(incident.notifier_email),
        "notifier_phone": given(incident.notifier_phone),
        "contact": given(", ".join(v for v in (org.fg_name, org.fg_email) if v)),
        "is_dpo_involved": yesno(incident.is_dpo_involved),
        "other_organisations": lines(others),
    }


def _timeline(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    period = [moment(m, zone) for m in (incident.occurred_from, incident.occurred_until) if m]
    found = {
        "occurred": given(" – ".join(period)),
        "discovered_at": given(incident.discovered_at and moment(incident.discovered_at, zone)),
        "is_ongoing": yesno(incident.is_ongoing),
        "aware_at": given(moment(incident.aware_at, zone)),
        "first_aware_at": NOT_APPLICABLE,
        "reasons_for_delay": _reasons_for_delay(incident, now, submission),
    }
    first = incident.first_aware_at
    if first is not None and first != incident.aware_at:
        # R14: where awareness was moved, the first recorded one and why stand beside it
        found["first_aware_at"] = given(
            str(
                _l(
                    "%(when)s (deadline %(deadline)s); moved because: %(reason)s",
                    when=moment(first, zone),
                    deadline=moment(incident.first_deadline_at or first, zone),
                    reason=incident.aware_at_reason or "—",
                )
            )
        )
    return found


def _reasons_for_delay(incident: Incident, now: datetime, submission: Submission | None) -> Given:
    """Art. 33(1): asked only of a notification made after the 72 hours."""
    if submission is not None and submission.kind == "initial":
        late, reasons = submission.is_late, submission.reasons_for_delay
    elif (initial := _standing_initial(incident)) is not None:
        late, reasons = initial.is_late, initial.reasons_for_delay
    else:
        late, reasons = now > incident.deadline_at, ""
    return given(reasons) if late else NOT_APPLICABLE


def _breach(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    return {
        "summary": given(incident.summary),
        "incident_type": choices("incident_type", [incident.incident_type], catalogue=True)
        if incident.incident_type
        else UNKNOWN,
        "data_outcomes": choices("data_outcome", incident.data_outcomes or []),
    }


def _data(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    kinds = ", ".join(catalogue_label("personal_data", c) for c in incident.personal_data or [])
    special = list(incident.special_categories or [])
    has_special = incident.has_special_categories
    if has_special is None and special:
        has_special = True  # naming one establishes that there are some
    return {
        "personal_data": lines([kinds, incident.personal_data_details]),
        "has_special_categories": yesno(has_special),
        "special_categories": choices("special_category", special, catalogue=True)
        if has_special
        else NOT_APPLICABLE,
        "records_count": number(incident.records_count),
    }


def _people(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    return {
        "subject_categories": choices(
            "data_subject", incident.subject_categories or [], catalogue=True
        ),
        "people_min": number(incident.people_min),
        "people_max": number(incident.people_max),
    }


def _before(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    return {
        "is_protected": yesno(incident.is_protected),
        "protection_details": follows(incident.is_protected, given(incident.protection_details)),
    }


def _consequences(
    incident: Incident, zone: str, now: datetime, submission: Submission | None
) -> dict[str, Given]:
    return {
        "consequences_confidentiality": given(incident.consequences_confidentiality),
        "consequences_integrity": given(incident.consequences_integrity),
        "consequences_availability": given(incident.consequences_availability),
        "harm_kinds": choices("harm", incident.harm_kinds or []),
        "consequences": given(incident.consequences),
        "severity": given(incident.severity and value_label("severity", incident.severity)),
    }


def _informing(incident: Incident, zone: str) -> dict[str, Given]:
    """Art. 34: done (what the communications record), not (an exemption, or the plan), or
    planned; the public announcement where an exemption (c) made one."""
    sent = [c for c in incident.subject_communications if not c.is_exemption]
    exemption = next(
        (c for c in reversed(incident.subject_communications) if c.is_exemption), None
    )
    found = dict.fromkeys(
        ("subjects_informed_on", "subjects_reached", "subjects_not_reason", "public_announcement"),
        NOT_APPLICABLE,
    )
    if sent:
        last = sent[-1]
        found["subjects_informed"] = ("answered", value_label("informing", "done"))
        found["subjects_informed_on"] = given(last.sent_at and day(to_local(last.sent_at, zone)))
        found["subjects_reached"] = number(last.people_reached)
    elif exemption is not None:
        found["subjects_informed"] = ("answered", value_label("informing", "not"))
        ground = value_label("ground", exemption.ground)
        found["subjects_not_reason"] = given(f"{ground}: {exemption.rationale}".strip(": "))
    elif incident.subjects_plan == "planned":
        found["subjects_informed"] = ("answered", value_label("informing", "planned"))
        planned = incident.subjects_planned_on
        found["subjects_informed_on"] = given(planned and day(planned))
    elif incident.subjects_plan == "not":
        found["subjects_informed"] = ("answered", value_label("informing", "not"))
        found["subjects_not_reason"] = given(incident.subjects_plan_reason)
    else:
        found["subjects_informed"] = UNKNOWN
    if exemption is not None and exemption.ground == "disproportionate":
        when = exemption.public_sent_at and day(to_local(exemption.public_sent_at, zone))
        found["public_announcement"] = lines([exemption.public_communication, when or ""])
    return found


def _follow_up(incident: Incident, zone: str) -> dict[str, Given]:
    taken = [m.description for m in incident.measures if m.cancelled_at is None]
    cross_border = incident.is_cross_border
    told_others = incident.other_authorities_notified
    listed = list(incident.other_authorities or [])
    if told_others is None and listed:
        told_others = True  # naming one establishes that others were told
    return {
        "measures": lines(taken),
        "is_cross_border": yesno(cross_border),
        "member_states": follows(cross_border, given(", ".join(incident.member_states or []))),
        "other_authorities_notified": yesno(told_others),
        "other_authorities": lines(_authority(entry) for entry in listed)
        if told_others
        else NOT_APPLICABLE,
    }


def _authority(entry: dict[str, str]) -> str:
    """One authority told of the breach: name, country, date (dd-mm-jjjj), their reference."""
    notified_on = entry.get("notified_on") or ""
    with suppress(ValueError):  # an odd stored date is shown as it was stored
        notified_on = day(date.fromisoformat(notified_on)) if notified_on else ""
    values = (entry.get("authority"), entry.get("country"), notified_on, entry.get("reference"))
    return ", ".join(str(v).strip() for v in values if v and str(v).strip())
