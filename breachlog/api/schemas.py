"""JSON Schemas of what the API takes and gives, built from the field tables in fields.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain import ap_questions, enisa, four_eyes, law
from ..domain.dates import EARLIEST_YEAR, YEARS_AHEAD
from ..domain.incidents import MEASURE_KINDS, RISKS, STATUSES
from ..incidents.models import ASSESSMENT_FIELDS, EDITABLE_FIELDS
from .fields import (
    ASSESSED_FIELDS,
    ASSESSED_RISKS,
    ASSESSMENT_BODY,
    COMMUNICATION_FIELDS,
    COMMUNICATION_REQUIRED,
    EXEMPTION_FIELDS,
    EXEMPTION_REQUIRED,
    INCIDENT_FIELDS,
    MEASURE_FIELDS,
    MEASURE_REQUIRED,
    NOTIFICATION_FIELDS,
    NOTIFICATION_REQUIRED,
    PART_FIELDS,
    REPORT_FIELDS,
    REPORT_REQUIRED,
    UPDATE_FIELDS,
    Field,
)

NO_NUL = "^[^\\u0000]*$"
REF = "#/components/schemas/"
# catalogue kind -> its codes, read from the database when the document is served
Codes = Mapping[str, list[str]]


def field_schema(spec: Field, codes: Codes) -> dict[str, Any]:
    """The request schema of one field; catalogue choices come from `codes` (kind -> codes)."""
    schema: dict[str, Any]
    if spec.kind == "text":
        schema = {"type": "string", "maxLength": spec.max_length, "pattern": NO_NUL}
        if spec.min_length:
            schema["minLength"] = spec.min_length
    elif spec.kind in ("integer", "number"):
        schema = {"type": spec.kind}
        if spec.choices:
            # OpenAPI 3.0.3: nullable does not widen an enum, null must be listed
            schema["enum"] = [*spec.choices, *([None] if spec.nullable else [])]
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
        if spec.multiple_of is not None:
            schema["multipleOf"] = spec.multiple_of
    elif spec.kind == "boolean":
        schema = {"type": "boolean"}
    elif spec.kind == "datetime":
        schema = {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with an offset (a time without one is refused), "
            f"in a year from {EARLIEST_YEAR} to {YEARS_AHEAD} years ahead.",
        }
    elif spec.kind == "date":
        schema = {
            "type": "string",
            "format": "date",
            "description": f"YYYY-MM-DD, in a year from {EARLIEST_YEAR} to {YEARS_AHEAD} "
            "years ahead.",
        }
    elif spec.kind == "choice":
        schema = {"type": "string", "enum": _choices(spec, codes)}
    elif spec.kind == "list":
        if spec.item_pattern:
            item: dict[str, Any] = {"type": "string", "pattern": f"^{spec.item_pattern}$"}
        else:
            item = {"type": "string", "enum": _choices(spec, codes)}
        schema = {"type": "array", "items": item, "uniqueItems": True}
    elif spec.kind == "object":
        schema = _body(spec.fields or {}, codes, spec.required)
    elif spec.kind == "objects":
        schema = {"type": "array", "items": _body(spec.fields or {}, codes, spec.required)}
        if spec.max_items is not None:
            schema["maxItems"] = spec.max_items
    else:
        raise ValueError(f"no schema for field kind {spec.kind}")
    if spec.nullable:
        schema["nullable"] = True
    if spec.description:
        given = schema.get("description")
        schema["description"] = f"{given} {spec.description}" if given else spec.description
    return schema


def _choices(spec: Field, codes: Codes) -> list[str | float]:
    return list(spec.choices) if spec.choices else list(codes.get(spec.catalogue or "", []))


def _body(
    fields: Mapping[str, Field], codes: Codes, required: tuple[str, ...] = ()
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: field_schema(spec, codes) for name, spec in fields.items()},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _output(spec: Field) -> dict[str, Any]:
    """What a stored value looks like: its type, without the limits on what may be sent."""
    types = {"text": "string", "boolean": "boolean", "integer": "integer", "number": "number"}
    schema: dict[str, Any]
    if spec.kind == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif spec.kind == "date":
        schema = {"type": "string", "format": "date"}
    elif spec.kind == "objects":
        item = {name: string() for name in (spec.fields or {})}
        schema = {"type": "array", "items": object_of(item)}
    elif spec.kind == "choice":
        schema = {"type": "string", "enum": list(spec.choices)} if spec.choices else string()
    elif spec.kind == "list":
        schema = {"type": "array", "items": string()}
    else:
        schema = {"type": types[spec.kind]}
    if spec.nullable:
        schema["nullable"] = True
    return schema


def string(nullable: bool = False, **extra: Any) -> dict[str, Any]:
    return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def object_of(properties: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **({"nullable": True} if nullable else {}),
    }


def _list_of(schema: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": REF + schema}}


def _sections(answer: dict[str, Any]) -> dict[str, Any]:
    """The AP form's numbered sections, each with its questions and answers."""
    section = {
        "number": {"type": "integer"},
        "title": string(),
        "answers": {"type": "array", "items": object_of(answer)},
    }
    return {"type": "array", "items": object_of(section)}


def _kinds(*names: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(names)}


def _time(nullable: bool = False) -> dict[str, Any]:
    return string(nullable, format="date-time")


def components(codes: Codes) -> dict[str, Any]:
    incident = {name: _output(INCIDENT_FIELDS[name]) for name in EDITABLE_FIELDS}
    incident.update({name: _output(ASSESSED_FIELDS[name]) for name in ASSESSMENT_FIELDS})
    incident.update(
        ref=string(example="DL-2026-0001"),
        deadline_at=_time(),
        first_aware_at=_time(nullable=True)
        | {"description": "The awareness first recorded (R14); it stands for the record."},
        first_deadline_at=_time(nullable=True),
        aware_at_reason=string(description="Why aware_at was last moved."),
        pending_aware_at=_time(nullable=True)
        | {"description": "A later aware_at waiting for a second officer's approval (R14)."},
        pending_aware_reason=string(),
        pending_act=object_of(
            {
                "act": _kinds(*four_eyes.HELD_ACTS),
                "proposed_by": string(nullable=True),
                "proposed_at": _time(nullable=True),
                "reason": string(),
                "values": {"type": "object"},
            },
            nullable=True,
        )
        | {
            "description": "Risk none, not a breach or a withdrawal held for a second "
            "officer's approval (R14), where the organisation requires one; null when none is."
        },
        status={"type": "string", "enum": list(STATUSES)},
        risk={"type": "string", "enum": list(RISKS)},
        enisa=object_of(
            {
                "score": {"type": "number"},
                "band": _kinds(*(band for _lower, band, _risk in enisa.BANDS)),
                "suggested_risk": _kinds(*ASSESSED_RISKS),
            },
            nullable=True,
        )
        | {
            "description": "The ENISA severity of enisa_dpc, enisa_ei and enisa_cb, and the "
            "risk it suggests; null when not scored. The officer's risk is what counts."
        },
        notified_at=_time(nullable=True)
        | {"description": "submitted_at of the initial AP notification."},
        meldnummer=string(description="The AP's meldnummer; empty until notified."),
        is_withdrawn={"type": "boolean"},
        owed_parts={
            "type": "array",
            "items": _kinds(*PART_FIELDS),
            "description": "Parts marked 'follows' that no supplement has given yet (R11).",
        },
        subjects_informed_at=_time(nullable=True),
        exemption_ground={
            "type": "string",
            "enum": [*law.EXEMPTION_GROUNDS, None],
            "nullable": True,
        },
        still_missing={
            "type": "array",
            "items": string(),
            "description": "What the law still asks for before the incident can be closed.",
        },
        organisation=object_of({"id": {"type": "integer"}, "name": string()}),
        reporter=string(nullable=True, description="E-mail address of the reporter."),
        assignee=string(nullable=True, description="E-mail address of the assignee."),
        created_at=_time(),
        updated_at=_time(),
        closed_at=_time(nullable=True),
        measures=_list_of("Measure"),
        notifications=_list_of("Notification"),
        subject_communications=_list_of("SubjectCommunication"),
    )
    parts = object_of({name: string() for name in PART_FIELDS})
    asked = {
        "key": string(),
        "question": string(description="The AP's wording, in the language asked for."),
        "group": string(description="The form's sub-heading the question stands under."),
        "state": {
            "type": "string",
            "enum": list(ap_questions.STATES),
            "description": "answered; unknown: not known yet, still missing; "
            "not_applicable: the form does not ask it of this incident (yet).",
        },
        "value": string(
            nullable=True,
            description="The text as the AP's field takes it (dates dd-mm-jjjj, times uu:mm "
            "in the organisation's zone); null unless answered.",
        ),
        "missing": {"type": "boolean", "description": "true when the state is unknown."},
    }
    return {
        "Incident": object_of(incident),
        "Measure": object_of(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "enum": list(MEASURE_KINDS)},
                "description": string(),
                "owner": string(),
                "due_on": string(nullable=True, format="date"),
                "done_at": _time(nullable=True),
                "cancelled_at": _time(nullable=True),
                "cancel_reason": string(),
                "created_at": _time(),
            }
        ),
        "Notification": object_of(
            {
                "id": {"type": "integer"},
                "kind": _kinds(*law.NOTIFICATION_KINDS),
                "submitted_at": _time(),
                "meldnummer": string(),
                "is_provisional": {"type": "boolean"},
                "is_late": {
                    "type": "boolean",
                    "description": "Submitted after the incident's deadline_at.",
                },
                "reasons_for_delay": string(),
                "follows": {"type": "array", "items": _kinds(*PART_FIELDS)},
                "gives": {"type": "array", "items": _kinds(*PART_FIELDS)},
                "receipt_at": _time(nullable=True),
                "receipt_text": string(),
                "note": string(),
                "answers": parts | {"description": "The Art. 33(3) parts as submitted, frozen."},
                "form": _sections(asked)
                | {"description": "The AP form as it stood when submitted, frozen."},
                "created_at": _time(),
            }
        ),
        "SubjectCommunication": {
            "description": "What the people concerned were told (kind communication), or why "
            "they were not (kind exemption).",
            "oneOf": [{"$ref": REF + "Communication"}, {"$ref": REF + "Exemption"}],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {
                    "communication": REF + "Communication",
                    "exemption": REF + "Exemption",
                },
            },
        },
        "Communication": object_of(
            {
                "id": {"type": "integer"},
                "kind": _kinds("communication"),
                "sent_at": _time(),
                "channel": _kinds(*law.CHANNELS),
                "people_reached": {"type": "integer"},
                "text": string(),
                "shortfall_reason": string(),
                "names_contact": {"type": "boolean"},
                "names_consequences": {"type": "boolean"},
                "names_measures": {"type": "boolean"},
                "created_at": _time(),
            }
        ),
        "Exemption": object_of(
            {
                "id": {"type": "integer"},
                "kind": _kinds("exemption"),
                "ground": _kinds(*law.EXEMPTION_GROUNDS),
                "rationale": string(),
                "public_communication": string(),
                "public_sent_at": _time(nullable=True),
                "public_channel": {
                    "type": "string",
                    "enum": [*law.CHANNELS, None],
                    "nullable": True,
                },
                "created_at": _time(),
            }
        ),
        "ApForm": object_of(
            {
                "ref": string(),
                "language": {"type": "string", "enum": ["en", "nl"]},
                "sections": _sections(asked),
                "missing": {
                    "type": "array",
                    "items": string(),
                    "description": "The questions not known yet, with their sub-heading.",
                },
            }
        ),
        "IncidentList": object_of(
            {
                "items": _list_of("Incident"),
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
            }
        ),
        "NewIncident": _body(REPORT_FIELDS, codes, REPORT_REQUIRED),
        "IncidentChanges": _body(UPDATE_FIELDS, codes),
        "NewMeasure": _body(MEASURE_FIELDS, codes, MEASURE_REQUIRED),
        "Assessment": _body(ASSESSMENT_BODY, codes),
        "NewNotification": _body(NOTIFICATION_FIELDS, codes, NOTIFICATION_REQUIRED),
        "NewSubjectCommunication": {
            "description": "kind communication: when, how, to how many people and what was "
            "sent (Art. 34(2)). kind exemption: the Art. 34(3) ground and why it applies.",
            "oneOf": [{"$ref": REF + "NewCommunication"}, {"$ref": REF + "NewExemption"}],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {
                    "communication": REF + "NewCommunication",
                    "exemption": REF + "NewExemption",
                },
            },
        },
        "NewCommunication": _body(COMMUNICATION_FIELDS, codes, COMMUNICATION_REQUIRED),
        "NewExemption": _body(EXEMPTION_FIELDS, codes, EXEMPTION_REQUIRED),
        "Error": object_of({"error": string()}),
        "ValidationErrors": object_of(
            {
                "errors": {
                    "type": "object",
                    "description": "Messages per field; `body` when the body itself is wrong.",
                    "additionalProperties": {"type": "array", "items": string()},
                }
            }
        ),
    }
