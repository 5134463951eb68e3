"""What each incident field is called on screen, grouped as the AP's meldformulier groups them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "ref": _l("Reference"),
    "title": _l("Title"),
    "summary": _l("What happened"),
    "reporter_contact": _l("How to reach the reporter"),
    "assignee_id": _l("Assigned to"),
    "organisation_id": _l("Organisation"),
    "occurred_from": _l("Started at"),
    "occurred_until": _l("Ended at"),
    "is_ongoing": _l("Still going on"),
    "discovered_at": _l("Discovered at"),
    "aware_at": _l("Organisation aware at (kennisname)"),
    "deadline_at": _l("Deadline for the AP (72 hours)"),
    "how_discovered": _l("How it was discovered"),
    "processor_name": _l("Processor involved"),
    "processor_aware_at": _l("Processor aware at"),
    "processor_notified_at": _l("Processor told us at"),
    "incident_type": _l("Kind of incident"),
    "nature": _l("Nature of the breach"),
    "personal_data": _l("Personal data concerned"),
    "personal_data_details": _l("More about the data"),
    "special_categories": _l("Special categories of personal data"),
    "subject_categories": _l("People concerned"),
    "people_min": _l("Number of people (minimum)"),
    "people_max": _l("Number of people (maximum)"),
    "records_count": _l("Number of records (approximately)"),
    "is_protected": _l("Data encrypted, hashed or otherwise unintelligible"),
    "protection_details": _l("How the data was protected"),
    "consequences": _l("Likely consequences for the people concerned"),
    "is_personal_data_breach": _l("Personal-data breach"),
    "not_breach_rationale": _l("Why this is not a personal-data breach"),
    "risk": _l("Risk"),
    "risk_rationale": _l("Rationale of the risk assessment"),
    "enisa_dpc": _l("ENISA: data processing context (DPC)"),
    "enisa_ei": _l("ENISA: ease of identification (EI)"),
    "enisa_cb": _l("ENISA: circumstances of the breach (CB)"),
    "is_dpo_involved": _l("FG (DPO) involved"),
    "is_cross_border": _l("Cross-border processing"),
    "member_states": _l("Member states concerned"),
    "status": _l("Status"),
    "cause": _l("Cause (root cause)"),
    "evaluation": _l("Evaluation and lessons learned"),
    "reporter_id": _l("Reported by"),
    "closed_at": _l("Closed at"),
    "kind": _l("Kind"),
    "description": _l("Description"),
    "owner": _l("Owner"),
    "due_on": _l("Due"),
    "done_at": _l("Done at"),
    "stage": _l("Reminder"),
    "stages": _l("Reminders"),
    "due_at": _l("Planned for"),
    "recipients": _l("Sent to"),
    "last_error": _l("Answer of the mail server"),
}

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
    (_l("Consequences"), ("consequences",)),
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
    return str(LABELS.get(name, name))
