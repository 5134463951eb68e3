"""The acts of Articles 33 and 34 over the API: assess, notify the AP, inform the people.

Each view checks types and sizes with the field tables, then calls the same service as the web
pages; the rules of the law (R1, R3, R4, R7, R8) live there and come back as RuleViolation.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from flask_babel import force_locale

from .. import clock
from ..domain import enisa
from ..notifications import services
from . import bp, parse, serialize
from .auth import caller, require
from .fields import (
    AP_FORM_PARAMETERS,
    ASSESSMENT_BODY,
    LANGUAGES,
    NOTIFICATION_FIELDS,
    NOTIFICATION_REQUIRED,
    NOTIFIER_FIELDS,
    SUBJECT_KINDS,
)
from .incidents import _created, _incident, _problem


@bp.post("/incidents/<ref>/assessment")
@require("can_handle")
def assess_incident(ref: str) -> Any:
    incident = _incident(ref)
    values = parse.fields(parse.json_object(), ASSESSMENT_BODY)
    scores = values.get("enisa")
    services.assess(
        incident,
        caller(),
        clock.now(),
        risk=values.get("risk", ""),
        risk_rationale=values.get("risk_rationale", ""),
        is_personal_data_breach=values.get("is_personal_data_breach", True),
        not_breach_rationale=values.get("not_breach_rationale", ""),
        is_dpo_involved=values.get("is_dpo_involved", incident.is_dpo_involved),
        enisa_scores=None if scores is None else _enisa_scores(scores),
        enisa_parts=None if scores is None else _enisa_parts(scores),
        enisa_dpc_base=None if scores is None else scores.get("dpc_base"),
        enisa_dpc_reason="" if scores is None else scores.get("dpc_reason", ""),
    )
    return jsonify(serialize.incident(incident))


def _enisa_scores(scores: dict[str, Any]) -> tuple[float, float, float]:
    circumstances = enisa.circumstances(
        scores.get("confidentiality", 0),
        scores.get("integrity", 0),
        scores.get("availability", 0),
        scores.get("malicious", False),
    )
    return float(scores["dpc"]), float(scores["ei"]), circumstances


def _enisa_parts(scores: dict[str, Any]) -> tuple[float, float, float, bool]:
    return (
        float(scores.get("confidentiality", 0)),
        float(scores.get("integrity", 0)),
        float(scores.get("availability", 0)),
        bool(scores.get("malicious", False)),
    )


@bp.post("/incidents/<ref>/notifications")
@require("can_handle")
def record_notification(ref: str) -> Any:
    incident = _incident(ref)
    values = parse.fields(parse.json_object(), NOTIFICATION_FIELDS, NOTIFICATION_REQUIRED)
    notifier = {name: values.pop(name) for name in NOTIFIER_FIELDS if name in values}
    notification = services.record_notification(
        incident, caller(), clock.now(), notifier=notifier, **values
    )
    if notification is None:
        # R14: the withdrawal waits for a second officer; the incident shows it as pending_act
        return jsonify(serialize.incident(incident)), 202
    return _created(serialize.notification(notification), incident)


@bp.post("/incidents/<ref>/subject-communications")
@require("can_handle")
def record_subject_communication(ref: str) -> Any:
    incident = _incident(ref)
    body = parse.json_object()
    kind = body.get("kind")
    if "kind" not in body:
        raise _problem("kind", "This field is required.")
    if not isinstance(kind, str) or kind not in SUBJECT_KINDS:
        raise _problem("kind", "Choose one of: " + ", ".join(SUBJECT_KINDS) + ".")
    known, required = SUBJECT_KINDS[kind]
    values = parse.fields(body, known, required)
    del values["kind"]
    if kind == "exemption":
        record = services.record_exemption(incident, caller(), clock.now(), **values)
    else:
        record = services.record_subject_communication(incident, caller(), clock.now(), **values)
    return _created(serialize.subject_communication(record), incident)


@bp.get("/incidents/<ref>/ap-form")
@require()
def get_ap_form(ref: str) -> Any:
    incident = _incident(ref)
    language = parse.query(AP_FORM_PARAMETERS).get("lang") or caller().language
    if language not in LANGUAGES:
        language = "en"
    # labels.catalogue_label keeps one language's labels in g: none may leak in or out
    g.pop("catalogue_labels", None)
    with force_locale(language):
        body = serialize.ap_form_of(incident, language, clock.now())
    g.pop("catalogue_labels", None)
    return jsonify(body)
