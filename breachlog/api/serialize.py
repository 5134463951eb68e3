"""Incidents and what hangs off them as JSON: times in UTC with their offset, people by e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..domain import enisa, law
from ..domain.errors import RuleViolation, Todo
from ..incidents.models import ASSESSMENT_FIELDS, EDITABLE_FIELDS, Incident, Measure
from ..notifications import ap_form
from ..notifications.models import Notification, SubjectCommunication
from ..notifications.services import still_missing


def moment(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def incident(item: Incident) -> dict[str, Any]:
    body = {name: _plain(getattr(item, name)) for name in (*EDITABLE_FIELDS, *ASSESSMENT_FIELDS)}
    body.update(
        ref=item.ref,
        deadline_at=moment(item.deadline_at),
        first_aware_at=moment(item.first_aware_at),
        first_deadline_at=moment(item.first_deadline_at),
        aware_at_reason=item.aware_at_reason,
        pending_aware_at=moment(item.pending_aware_at),
        pending_aware_reason=item.pending_aware_reason,
        pending_act=pending_act(item),
        status=item.status,
        enisa=severity(item),
        notified_at=moment(item.notified_at),
        meldnummer=item.meldnummer,
        is_withdrawn=item.is_withdrawn,
        owed_parts=list(item.owed_parts or []),
        subjects_informed_at=moment(item.subjects_informed_at),
        exemption_ground=item.exemption_ground or None,
        still_missing=[_english(step) for step in still_missing(item)],
        organisation={"id": item.organisation.id, "name": item.organisation.name},
        reporter=item.reporter.email if item.reporter else None,
        assignee=item.assignee.email if item.assignee else None,
        created_at=moment(item.created_at),
        updated_at=moment(item.updated_at),
        closed_at=moment(item.closed_at),
        measures=[measure(m) for m in item.measures],
        notifications=[notification(n) for n in item.notifications],
        subject_communications=[subject_communication(c) for c in item.subject_communications],
    )
    return body


def pending_act(item: Incident) -> dict[str, Any] | None:
    """R14: the decision held for a second officer, with what it would record."""
    if not item.pending_act:
        return None
    return {
        "act": item.pending_act,
        "proposed_by": item.pending_act_by.email if item.pending_act_by else None,
        "proposed_at": moment(item.pending_act_at),
        "reason": item.pending_act_reason,
        "values": {
            name: value
            for name, value in (item.pending_act_values or {}).items()
            if value is not None
        },
    }


def _english(step: str) -> str:
    return step.render() if isinstance(step, Todo) else str(step)


def severity(item: Incident) -> dict[str, Any] | None:
    """What the ENISA method makes of the stored scores; it suggests, the officer decides."""
    if item.enisa_dpc is None or item.enisa_ei is None or item.enisa_cb is None:
        return None
    try:
        found = enisa.severity(item.enisa_dpc, item.enisa_ei, item.enisa_cb)
    except RuleViolation:
        # scores stored before the method's values were checked: show none rather than fail
        return None
    return {"score": found.score, "band": found.band, "suggested_risk": found.suggested_risk}


def measure(item: Measure) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "description": item.description,
        "owner": item.owner,
        "due_on": _plain(item.due_on),
        "done_at": moment(item.done_at),
        "cancelled_at": moment(item.cancelled_at),
        "cancel_reason": item.cancel_reason,
        "created_at": moment(item.created_at),
    }


def notification(item: Notification) -> dict[str, Any]:
    frozen: dict[str, Any] = item.answers if isinstance(item.answers, dict) else {}
    given = frozen.get("parts")
    parts: dict[str, Any] = given if isinstance(given, dict) else {}
    return {
        "id": item.id,
        "kind": item.kind,
        "submitted_at": moment(item.submitted_at),
        "meldnummer": item.meldnummer,
        "is_provisional": item.is_provisional,
        "is_late": item.is_late,
        "reasons_for_delay": item.reasons_for_delay,
        "follows": list(item.follows or []),
        "gives": list(item.parts_given or []),
        "receipt_at": moment(item.receipt_at),
        "receipt_text": item.receipt_text,
        "note": item.note,
        "answers": {part: str(parts.get(part) or "") for part in law.REQUIRED_PARTS},
        "form": [_frozen_section(section) for section in frozen.get("form") or []],
        "created_at": moment(item.created_at),
    }


def _frozen_section(section: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": section.get("number"),
        "title": section.get("title"),
        "answers": [
            {"key": a.get("key"), "question": a.get("question"), "value": a.get("value")}
            for a in section.get("answers") or []
        ],
    }


def subject_communication(item: SubjectCommunication) -> dict[str, Any]:
    if item.is_exemption:
        return {
            "id": item.id,
            "kind": "exemption",
            "ground": item.ground,
            "rationale": item.rationale,
            "public_communication": item.public_communication,
            "public_sent_at": moment(item.public_sent_at),
            "public_channel": item.public_channel or None,
            "created_at": moment(item.created_at),
        }
    return {
        "id": item.id,
        "kind": "communication",
        "sent_at": moment(item.sent_at),
        "channel": item.channel,
        "people_reached": item.people_reached,
        "text": item.text,
        "shortfall_reason": item.shortfall_reason,
        "names_contact": item.names_contact,
        "names_consequences": item.names_consequences,
        "names_measures": item.names_measures,
        "created_at": moment(item.created_at),
    }


def ap_form_of(item: Incident) -> dict[str, Any]:
    """The incident as the AP's form asks for it; call inside the language wanted."""
    sections = ap_form.sections(item)
    return {
        "ref": item.ref,
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "answers": [
                    {
                        "key": answer.key,
                        "question": answer.question,
                        "value": answer.value,
                        "missing": answer.missing,
                    }
                    for answer in section.answers
                ],
            }
            for section in sections
        ],
        "missing": [
            answer.question for section in sections for answer in section.answers if answer.missing
        ],
    }
