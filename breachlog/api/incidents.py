"""/api/v1/incidents: the same acts as the web pages, through the same services."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, jsonify, url_for
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Forbidden, NotFound

from .. import clock
from ..catalogue import services as catalogue
from ..domain.errors import N_, Problem, RuleViolation
from ..domain.refs import looks_like_ref
from ..extensions import db
from ..incidents import search, services
from ..incidents.models import ASSESSMENT_FIELDS, Incident
from ..kept import kept
from ..notifications import approval
from ..orgs import scope
from ..orgs import services as orgs
from ..orgs.models import Organisation
from . import bp, parse, serialize
from .auth import caller, error, require
from .fields import (
    LIST_PARAMETERS,
    MEASURE_FIELDS,
    MEASURE_REQUIRED,
    REPORT_FIELDS,
    REPORT_REQUIRED,
    UPDATE_FIELDS,
)

DEFAULT_PER_PAGE = 25
API_SEARCHED = ("ref", "title", "summary")  # as documented for q; the register also has cause
# PATCH leaves the assessment alone: it goes through POST .../assessment, where R1 and R3 hold
ASSESSMENT_ELSEWHERE = {
    name: "Part of the assessment: send it with POST /incidents/{ref}/assessment."
    for name in ASSESSMENT_FIELDS
}


@bp.errorhandler(RuleViolation)
def invalid(violation: RuleViolation) -> Any:
    db.session.rollback()
    return jsonify({"errors": violation.by_field()}), 422


@bp.errorhandler(NotFound)
def not_found(exc: NotFound) -> Any:
    return error(404, "No incident with this ref.")


@bp.errorhandler(Forbidden)
def forbidden(exc: Forbidden) -> Any:
    return error(403, "Your role does not allow this.")


@bp.get("/incidents")
@require()
def list_incidents() -> Any:
    params = parse.query(LIST_PARAMETERS)
    if "type" in params and params["type"] not in _codes("incident_type"):
        raise _problem("type", N_("Unknown incident type."))
    # the same page for the same caller in the same second and state of the data: made once
    # keyed on the organisations the caller reaches too: a token reaches fewer than its user
    reached = tuple(sorted(scope.organisation_ids(caller())))
    key = (caller().id, reached, *sorted(params.items()))
    body = kept("api.incidents", clock.now(), key, lambda second: _listed(params))
    return current_app.response_class(body, mimetype="application/json")


def _listed(params: dict[str, Any]) -> bytes:
    query = sa.select(Incident).where(services.visible_to(caller()))
    for column, name in (
        (Incident.ref_year, "year"),
        (Incident.organisation_id, "organisation"),
        (Incident.status, "status"),
        (Incident.risk, "risk"),
        (Incident.incident_type, "type"),
    ):
        if name in params:
            query = query.where(column == params[name])
    if params.get("q"):
        query = query.where(search.matching(params["q"], API_SEARCHED))
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.subquery())
    ).scalar_one()
    page = params.get("page", 1)
    per_page = params.get("per_page", DEFAULT_PER_PAGE)
    # the page's ids first, from the index alone: a page far back then skips index entries,
    # not whole incidents with everything they are joined to
    ids = db.session.scalars(
        query.with_only_columns(Incident.id)
        .order_by(Incident.aware_at.desc(), Incident.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    found = db.session.scalars(
        sa.select(Incident)
        .where(Incident.id.in_(ids))
        .options(
            joinedload(Incident.organisation),
            joinedload(Incident.reporter),
            joinedload(Incident.assignee),
            selectinload(Incident.measures),
            selectinload(Incident.notifications),
            selectinload(Incident.subject_communications),
        )
    ).all()
    by_id = {incident.id: incident for incident in found}
    items = [by_id[id_] for id_ in ids]
    body = {
        "items": [serialize.incident(item) for item in items],
        "page": page,
        "per_page": per_page,
        "total": total,
    }
    return jsonify(body).get_data()


@bp.post("/incidents")
@require("can_report")
def report_incident() -> Any:
    facts = parse.fields(parse.json_object(), REPORT_FIELDS, REPORT_REQUIRED)
    organisation = _organisation(facts.pop("organisation_id", None))
    incident = services.report_incident(caller(), organisation, facts, clock.now())
    return _created(serialize.incident(incident), incident)


@bp.get("/incidents/<ref>")
@require()
def get_incident(ref: str) -> Any:
    return jsonify(serialize.incident(_incident(ref)))


@bp.patch("/incidents/<ref>")
@require("can_handle")
def update_incident(ref: str) -> Any:
    incident = _incident(ref)
    changes = parse.fields(parse.json_object(), UPDATE_FIELDS, elsewhere=ASSESSMENT_ELSEWHERE)
    reason = changes.pop("aware_at_reason", "")
    services.update_incident(incident, changes, caller(), clock.now(), reason)
    return jsonify(serialize.incident(incident))


@bp.post("/incidents/<ref>/aware-at/approval")
@require("can_handle")
def approve_aware_at(ref: str) -> Any:
    """R14: a second officer lets the proposed later awareness stand."""
    incident = _incident(ref)
    services.approve_aware_at(incident, caller(), clock.now())
    return jsonify(serialize.incident(incident))


@bp.post("/incidents/<ref>/pending-act/approval")
@require("can_handle")
def approve_act(ref: str) -> Any:
    """R14: a second officer lets a held risk none, not a breach or withdrawal stand."""
    incident = _incident(ref)
    approval.approve_act(incident, caller(), clock.now())
    return jsonify(serialize.incident(incident))


@bp.post("/incidents/<ref>/measures")
@require("can_handle")
def add_measure(ref: str) -> Any:
    incident = _incident(ref)
    values = parse.fields(parse.json_object(), MEASURE_FIELDS, MEASURE_REQUIRED)
    measure = services.add_measure(incident, caller(), clock.now(), **values)
    return _created(serialize.measure(measure), incident)


def _incident(ref: str) -> Incident:
    """Another reporter's incident is as absent as an unknown one: existence is not leaked."""
    incident = services.find(ref) if looks_like_ref(ref.upper()) else None
    if incident is None or not services.can_see(caller(), incident):
        raise NotFound()
    if not services.may(caller(), scope.required(), incident):
        raise Forbidden()
    return incident


def _organisation(organisation_id: int | None) -> Organisation:
    """Where a report goes: an active organisation the caller may report into."""
    reachable = scope.organisation_ids(caller(), "can_report")
    active = [organisation for organisation in orgs.active() if organisation.id in reachable]
    if organisation_id is not None:
        for organisation in active:
            if organisation.id == organisation_id:
                return organisation
        raise _problem("organisation_id", N_("No active organisation has this id."))
    if len(active) == 1:
        return active[0]
    if not active:
        raise _problem("organisation_id", N_("You are not a member of an active organisation."))
    raise _problem(
        "organisation_id", N_("Say which organisation's register this breach belongs to.")
    )


def _codes(field: str) -> set[str]:
    kind = catalogue.FIELD_KINDS[field]
    return {entry.code for entry in catalogue.entries(kind, include_inactive=True)}


def _problem(name: str, message: str) -> RuleViolation:
    return RuleViolation([Problem(name, message)])


def _created(body: dict[str, Any], incident: Incident) -> Response:
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_incident", ref=incident.ref)
    return response
