"""GET /api/v1/openapi.json: the document, built from the tables the parser uses."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import __version__
from ..catalogue import services as catalogue
from . import bp
from .fields import INCIDENT_FIELDS, LIST_PARAMETERS
from .schemas import REF, Codes, components, field_schema, string


@bp.get("/openapi.json")
def openapi_document() -> Any:
    kinds = {spec.catalogue for spec in INCIDENT_FIELDS.values() if spec.catalogue}
    codes = {
        kind: [entry.code for entry in catalogue.entries(kind, include_inactive=True)]
        for kind in sorted(kinds)
    }
    return jsonify(document(codes))


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF + schema}}}


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


def _paths(codes: Codes) -> dict[str, Any]:
    query = [
        {"name": name, "in": "query", "required": False, "schema": field_schema(spec, codes)}
        for name, spec in LIST_PARAMETERS.items()
    ]
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
                "organisation_id is required when more than one organisation is active.",
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
                "the AP has been notified (R9). organisation_id cannot change.",
                "requestBody": {"required": True, "content": _json("IncidentChanges")},
                "responses": _responses(
                    "The changed incident.", "Incident", "403", "404", "413", "422"
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
