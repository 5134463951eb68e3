"""GET /api/v1/openapi.json: the document, built from the tables the parser uses."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import __version__
from ..catalogue import services as catalogue
from ..domain.dates import READABLE_YEARS
from . import bp
from .fields import (
    AP_FORM_PARAMETERS,
    CSV_PARAMETERS,
    INCIDENT_FIELDS,
    LIST_PARAMETERS,
    REGISTER_PARAMETERS,
)
from .schemas import REF, Codes, components, field_schema, string


@bp.get("/openapi.json")
def openapi_document() -> Any:
    kinds = {spec.catalogue for spec in INCIDENT_FIELDS.values() if spec.catalogue}
    codes = {
        kind: [entry.code for entry in catalogue.entries(kind, include_inactive=True)]
        for kind in sorted(kinds)
    }
    return jsonify(document(codes))


def _json(schema: str, examples: dict[str, Any] | None = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": {"$ref": REF + schema}}
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"application/json": media}


# Request examples; tests/test_api_schema.py sends them too, so each must be accepted.
ASSESSMENT_EXAMPLES = {
    "high_risk": {
        "risk": "high",
        "risk_rationale": "Names, addresses and IBANs of up to 200 customers are on a laptop "
        "that was not encrypted; misuse for phishing is likely.",
        "is_dpo_involved": True,
        "enisa": {"dpc": 3, "ei": 1, "confidentiality": 0.5, "malicious": False},
    },
    "not_a_breach": {
        "is_personal_data_breach": False,
        "not_breach_rationale": "The lost USB stick held only the public price list.",
    },
}
NOTIFICATION_EXAMPLES = {
    "initial": {
        "kind": "initial",
        "submitted_at": "2026-03-10T09:30:00+01:00",
        "meldnummer": "AP-2026-012345",
        "is_provisional": True,
        "answers": {"consequences": "Phishing using the customers' real invoice details."},
        "follows": ["measures"],
    },
    "supplement": {
        "kind": "supplement",
        "submitted_at": "2026-03-10T09:45:00+01:00",
        "answers": {"measures": "The laptop was wiped remotely; all laptops get encrypted."},
        "gives": ["measures"],
        "note": "The measures that were to follow.",
    },
    "withdrawal": {
        "kind": "withdrawal",
        "submitted_at": "2026-03-10T09:50:00+01:00",
        "note": "The laptop was found unopened; there was no breach.",
    },
}
SUBJECT_EXAMPLES = {
    "communication": {
        "kind": "communication",
        "sent_at": "2026-03-10T09:40:00+01:00",
        "channel": "email",
        "people_reached": 180,
        "text": "Dear customer, on 9 March a laptop with your name, address and IBAN was "
        "lost. Be careful with e-mails that ask you to pay an invoice. We wiped the laptop "
        "remotely. Questions: privacy@example.nl.",
        "names_contact": True,
        "names_consequences": True,
        "names_measures": True,
    },
    "exemption": {
        "kind": "exemption",
        "ground": "disproportionate",
        "rationale": "Contact details are missing for most of the people concerned.",
        "public_communication": "A notice on the website's home page from 10 March.",
        "public_sent_at": "2026-03-10T09:40:00+01:00",
        "public_channel": "website",
    },
}


RESPONSES: dict[str, Any] = {
    "Unauthorized": {
        "description": "No token, or one that is unknown, revoked or of an inactive user.",
        "headers": {"WWW-Authenticate": {"schema": string()}},
        "content": _json("Error"),
    },
    "Forbidden": {
        "description": "The token's user has a role that may not do this.",
        "content": _json("Error"),
    },
    "NotFound": {
        "description": "No incident with this ref that the caller may see.",
        "content": _json("Error"),
    },
    "TooLarge": {
        "description": "The body is larger than the server accepts.",
        "content": _json("Error"),
    },
    "Invalid": {
        "description": "Wrong types, unknown fields, or a rule of the register is broken; "
        "nothing was saved.",
        "content": _json("ValidationErrors"),
    },
    "Unavailable": {
        "description": "The database could not be reached or refused the write; "
        "nothing was saved.",
        "content": _json("Error"),
    },
}


def _responses(ok: str, schema: str, *errors: str, created: bool = False) -> dict[str, Any]:
    codes = {"401": "Unauthorized", "403": "Forbidden", "404": "NotFound"}
    codes.update({"413": "TooLarge", "422": "Invalid", "503": "Unavailable"})
    success: dict[str, Any] = {"description": ok, "content": _json(schema)}
    if created:
        success["headers"] = {
            "Location": {"description": "URL of the incident.", "schema": string()}
        }
    responses = {"201" if created else "200": success}
    for code in ("401", *errors, "503"):
        responses[code] = {"$ref": "#/components/responses/" + codes[code]}
    return responses


YEAR_PARAMETER = {
    "name": "year",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": READABLE_YEARS[0], "maximum": READABLE_YEARS[1]},
    "example": 2026,
    "description": "The register year: the year of awareness in the organisation's time zone.",
}


def _file_responses(media_type: str, ok: str) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": ok,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
    for code, name in (
        ("401", "Unauthorized"),
        ("403", "Forbidden"),
        ("404", "NotFound"),
        ("422", "Invalid"),
        ("503", "Unavailable"),
    ):
        responses[code] = {"$ref": "#/components/responses/" + name}
    return responses


REF_PARAMETER = {
    "name": "ref",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": "DL-2026-0001",
    "description": "The incident's reference; case-insensitive.",
}


def document(codes: Codes) -> dict[str, Any]:
    """The OpenAPI 3.0.3 document; `codes` holds each catalogue kind's codes."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "breachlog API",
            "version": __version__,
            "description": "The data-breach register and its 72-hour AP clock. Times are ISO "
            "8601 with an offset; responses give them in UTC. Reporters see and report only "
            "their own incidents; viewers read everything; officers and admins also write.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(codes),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `breachlog api-token EMAIL`.",
                }
            },
            "schemas": components(codes),
            "responses": RESPONSES,
        },
    }


def _query(parameters: dict[str, Any], codes: Codes) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "query", "required": False, "schema": field_schema(spec, codes)}
        for name, spec in parameters.items()
    ]


def _paths(codes: Codes) -> dict[str, Any]:
    query = _query(LIST_PARAMETERS, codes)
    return {
        "/incidents": {
            "get": {
                "operationId": "listIncidents",
                "summary": "The register, newest awareness first; reporters get their own.",
                "parameters": query,
                "responses": _responses("One page of incidents.", "IncidentList", "422"),
            },
            "post": {
                "operationId": "reportIncident",
                "summary": "Report a (possible) breach; the 72-hour clock starts at aware_at.",
                "description": "aware_at defaults to discovered_at, else to now. "
                "A token reaches one organisation: the report goes there, and an "
                "organisation_id naming another one is refused (422).",
                "requestBody": {"required": True, "content": _json("NewIncident")},
                "responses": _responses(
                    "The new incident.", "Incident", "403", "413", "422", created=True
                ),
            },
        },
        "/incidents/{ref}": {
            "parameters": [REF_PARAMETER],
            "get": {
                "operationId": "getIncident",
                "summary": "One incident with its measures.",
                "responses": _responses("The incident.", "Incident", "404"),
            },
            "patch": {
                "operationId": "updateIncident",
                "summary": "Change facts; every change is an audit event (officer, admin).",
                "description": "Moving aware_at needs aware_at_reason and is refused once "
                "the AP has been notified (R9); moving it later once the first deadline has "
                "passed waits for a second officer (R14). aware_at is no later than "
                "processor_notified_at (R5). organisation_id cannot change. The assessment "
                "fields (risk, risk_rationale, is_personal_data_breach, ...) are refused "
                "here: they change with POST /incidents/{ref}/assessment.",
                "requestBody": {"required": True, "content": _json("IncidentChanges")},
                "responses": _responses(
                    "The changed incident.", "Incident", "403", "404", "413", "422"
                ),
            },
        },
        "/incidents/{ref}/aware-at/approval": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "approveAwareAt",
                "summary": "Approve, as a second officer, a later aware_at (officer, admin).",
                "description": "R14: once the first recorded deadline has passed, a PATCH that "
                "moves aware_at later is held as pending_aware_at; it takes effect when "
                "another officer than the one who proposed it approves it here.",
                "responses": _responses(
                    "The incident with its new aware_at and deadline_at.",
                    "Incident",
                    "403",
                    "404",
                    "422",
                ),
            },
        },
        "/incidents/{ref}/pending-act/approval": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "approvePendingAct",
                "summary": "Approve, as a second officer, a held decision (officer, admin).",
                "description": "R14: where the organisation requires four eyes, an assessment "
                "to risk none or to not a breach, and a withdrawal of the AP notification, are "
                "held as pending_act; they take effect, with the same checks, when another "
                "officer than the one who proposed them approves them here.",
                "responses": _responses(
                    "The incident with the decision applied.", "Incident", "403", "404", "422"
                ),
            },
        },
        "/incidents/{ref}/measures": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "addMeasure",
                "summary": "Record a corrective or preventive measure (officer, admin).",
                "requestBody": {"required": True, "content": _json("NewMeasure")},
                "responses": _responses(
                    "The new measure.", "Measure", "403", "404", "413", "422", created=True
                ),
            },
        },
        "/incidents/{ref}/assessment": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "assessIncident",
                "summary": "Record the assessment: breach or not, risk and why (officer, admin).",
                "description": "Each assessment replaces the previous one and is an audit "
                "event. A personal-data breach needs risk and risk_rationale (R3); not a "
                "breach needs not_breach_rationale (R1). The risk cannot drop below risk while "
                "a notification to the AP stands (withdraw it first). A closed incident is "
                "refused. Where the organisation requires four eyes (R14), risk none and not "
                "a breach are held as pending_act until a second officer approves them.",
                "requestBody": {
                    "required": True,
                    "content": _json("Assessment", ASSESSMENT_EXAMPLES),
                },
                "responses": _responses(
                    "The assessed incident.", "Incident", "403", "404", "413", "422"
                ),
            },
        },
        "/incidents/{ref}/notifications": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "recordNotification",
                "summary": "Record a notification to the AP: initial, supplement or withdrawal "
                "(officer, admin).",
                "description": "R4: an initial notification after deadline_at needs "
                "reasons_for_delay, and must cover the Art. 33(3) parts (answers, filled from "
                "the incident where left out) or list the missing ones in follows. There is "
                "one initial notification; supplements and withdrawals come after it and "
                "refer to its meldnummer. The answers and the AP form are frozen as submitted.",
                "requestBody": {
                    "required": True,
                    "content": _json("NewNotification", NOTIFICATION_EXAMPLES),
                },
                "responses": _responses(
                    "The new notification.",
                    "Notification",
                    "403",
                    "404",
                    "413",
                    "422",
                    created=True,
                )
                | {
                    "202": {
                        "description": "R14: the withdrawal is held for a second officer's "
                        "approval; the incident shows it as pending_act.",
                        "content": _json("Incident"),
                    }
                },
            },
        },
        "/incidents/{ref}/subject-communications": {
            "parameters": [REF_PARAMETER],
            "post": {
                "operationId": "recordSubjectCommunication",
                "summary": "Record informing the people concerned, or an Art. 34(3) exemption "
                "(officer, admin).",
                "description": "kind communication (R7): when, channel, people reached and "
                "the text sent. kind exemption (R8): the ground and why; ground "
                "disproportionate also needs public_communication.",
                "requestBody": {
                    "required": True,
                    "content": _json("NewSubjectCommunication", SUBJECT_EXAMPLES),
                },
                "responses": _responses(
                    "The new record.",
                    "SubjectCommunication",
                    "403",
                    "404",
                    "413",
                    "422",
                    created=True,
                ),
            },
        },
        "/incidents/{ref}/ap-form": {
            "parameters": [REF_PARAMETER],
            "get": {
                "operationId": "getApForm",
                "summary": "The incident laid out as the AP's notification form, sections 0 to "
                "9, each answer with its state (answered, unknown, not_applicable).",
                "parameters": _query(AP_FORM_PARAMETERS, codes),
                "responses": _responses("The AP form.", "ApForm", "404", "422"),
            },
        },
        "/register/{year}.pdf": {
            "parameters": [YEAR_PARAMETER],
            "get": {
                "operationId": "getRegisterPdf",
                "summary": "The year's register as the PDF an inspector reads (viewers, "
                "officers, admins).",
                "parameters": _query(REGISTER_PARAMETERS, codes),
                "responses": _file_responses("application/pdf", "The register as PDF."),
            },
        },
        "/register/{year}.csv": {
            "parameters": [YEAR_PARAMETER],
            "get": {
                "operationId": "getRegisterCsv",
                "summary": "The year's register as CSV (UTF-8 with BOM, for Excel).",
                "parameters": _query(CSV_PARAMETERS, codes),
                "responses": _file_responses("text/csv", "The register as CSV."),
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }
        },
    }
