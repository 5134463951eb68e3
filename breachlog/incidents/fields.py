"""What each incident field is called on screen, grouped as the AP's meldformulier groups them."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..domain.errors import N_
from ..web import translate

MESSAGES = {
    "ref": N_("Reference"),
    "title": N_("Title"),
    "summary": N_("What happened"),
    "reporter_contact": N_("How to reach the reporter"),
    "assignee_id": N_("Assigned to"),
    "organisation_id": N_("Organisation"),
    "occurred_from": N_("Started at"),
    "occurred_until": N_("Ended at"),
    "is_ongoing": N_("Still going on"),
    "discovered_at": N_("Discovered at"),
    "aware_at": N_("Organisation aware at (kennisname)"),
    "deadline_at": N_("Deadline for the AP (72 hours)"),
    "how_discovered": N_("How it was discovered"),
    "processor_name": N_("Processor involved"),
    "processor_aware_at": N_("Processor aware at"),
    "processor_notified_at": N_("Processor told us at"),
    "incident_type": N_("Kind of incident"),
    "nature": N_("Nature of the breach"),
    "personal_data": N_("Personal data concerned"),
    "personal_data_details": N_("More about the data"),
    "special_categories": N_("Special categories of personal data"),
    "subject_categories": N_("People concerned"),
    "people_min": N_("Number of people (minimum)"),
    "people_max": N_("Number of people (maximum)"),
    "records_count": N_("Number of records (approximately)"),
    "is_protected": N_("Data encrypted, hashed or otherwise unintelligible"),
    "protection_details": N_("How the data was protected"),
    "consequences": N_("Likely consequences for the people concerned"),
    "subject_description": N_("What happened, as told to the people concerned"),
    "is_personal_data_breach": N_("Personal-data breach"),
    "not_breach_rationale": N_("Why this is not a personal-data breach"),
    "risk": N_("Risk"),
    "risk_rationale": N_("Rationale of the risk assessment"),
    "enisa_dpc": N_("ENISA: data processing context (DPC)"),
    "enisa_ei": N_("ENISA: ease of identification (EI)"),
    "enisa_cb": N_("ENISA: circumstances of the breach (CB)"),
    "enisa_dpc_base": N_("ENISA: base data processing context"),
    "enisa_dpc_reason": N_("ENISA: why the context adjusts the base score"),
    "enisa_confidentiality": N_("ENISA: loss of confidentiality"),
    "enisa_integrity": N_("ENISA: loss of integrity"),
    "enisa_availability": N_("ENISA: loss of availability"),
    "enisa_malicious": N_("ENISA: malicious intent"),
    "first_aware_at": N_("First recorded awareness"),
    "first_deadline_at": N_("First recorded deadline"),
    "aware_at_reason": N_("Why awareness was moved"),
    "is_dpo_involved": N_("FG (DPO) involved"),
    "is_cross_border": N_("Cross-border processing"),
    "member_states": N_("Member states concerned"),
    "status": N_("Status"),
    "cause": N_("Cause (root cause)"),
    "evaluation": N_("Evaluation and lessons learned"),
    "reporter_id": N_("Reported by"),
    "closed_at": N_("Closed at"),
    "kind": N_("Kind"),
    "description": N_("Description"),
    "owner": N_("Owner"),
    "due_on": N_("Due"),
    "done_at": N_("Done at"),
    "stage": N_("Reminder"),
    "stages": N_("Reminders"),
    "due_at": N_("Planned for"),
    "recipients": N_("Sent to"),
    "last_error": N_("Answer of the mail server"),
}
# for forms, whose labels are made once and shown in the language of each request
LABELS: dict[str, LazyString] = {name: _l(text) for name, text in MESSAGES.items()}

# The AP form's sections, in its order; the incident page and edit form follow them.
SECTIONS = (
    (_l("General"), ("title", "summary", "assignee_id", "reporter_contact")),
    (
        _l("Timeline"),
        (
            "occurred_from",
            "occurred_until",
            "is_ongoing",
            "discovered_at",
            "aware_at",
            "how_discovered",
            "processor_name",
            "processor_aware_at",
            "processor_notified_at",
        ),
    ),
    (_l("What happened"), ("incident_type", "nature")),
    (
        _l("Personal data"),
        ("personal_data", "special_categories", "personal_data_details", "records_count"),
    ),
    (_l("People concerned"), ("subject_categories", "people_min", "people_max")),
    (_l("Protection before the breach"), ("is_protected", "protection_details")),
    (_l("Consequences"), ("consequences", "subject_description")),
    (
        _l("Assessment"),
        (
            "is_personal_data_breach",
            "not_breach_rationale",
            "risk",
            "risk_rationale",
            "is_dpo_involved",
        ),
    ),
    (_l("International aspects"), ("is_cross_border", "member_states")),
    (_l("Cause and evaluation"), ("cause", "evaluation")),
)

ACTIONS = {
    "incident.reported": _l("reported the incident"),
    "incident.updated": _l("changed the incident"),
    "incident.imported": _l("imported the incident"),
    "incident.assessed": _l("assessed the risk"),
    "incident.closed": _l("closed the incident"),
    "incident.reopened": _l("reopened the incident"),
    "incident.withdrawn": _l("sent the incident back to assessment after the withdrawal"),
    "incident.aware_at_approved": _l("approved the later moment of awareness as second officer"),
    "notification.initial": _l("recorded the notification to the AP"),
    "notification.supplement": _l("recorded a supplement to the AP notification"),
    "notification.withdrawal": _l("recorded the withdrawal of the AP notification"),
    "subjects.informed": _l("recorded what the people concerned were told"),
    "subjects.exempted": _l("recorded an exemption from informing the people concerned"),
    "measure.added": _l("added a measure"),
    "measure.completed": _l("marked a measure done"),
    "measure.reopened": _l("reopened a measure"),
    "reminder.sent": _l("sent a reminder"),
    "reminder.failed": _l("could not send a reminder"),
    "reminder.superseded": _l("skipped a reminder overtaken by a later one"),
    "reminder.cancelled": _l("cancelled a reminder that was no longer needed"),
    "reminders.cancelled": _l("cancelled reminders that are no longer needed"),
    "reminders.retried": _l("asked to send failed reminders again"),
}


def label(name: str) -> str:
    text = MESSAGES.get(name)
    return translate(text) if text is not None else name
