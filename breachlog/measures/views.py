"""A measure's own page: change it, mark it done on a chosen day, reopen or cancel it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..auth.access import require
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import attach_errors
from ..incidents.models import Incident, Measure
from ..incidents.views import visible_or_404
from . import services
from .forms import MeasureCancelForm, MeasureDoneForm, MeasureEditForm

bp = Blueprint("measures", __name__)
BASE = "/incidents/<ref>/measures/<int:measure_id>"


def _measure(ref: str, measure_id: int) -> tuple[Incident, Measure]:
    incident = visible_or_404(ref)
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.incident_id != incident.id:
        abort(404)
    return incident, measure


def _back(incident: Incident) -> Any:
    return redirect(url_for("incidents.show", ref=incident.ref) + "#measures")


def _page(
    incident: Incident,
    measure: Measure,
    edit: MeasureEditForm | None = None,
    done: MeasureDoneForm | None = None,
    cancel: MeasureCancelForm | None = None,
    status: int = 200,
) -> Any:
    zone = incident.organisation.timezone
    if edit is None:
        edit = MeasureEditForm(obj=measure, formdata=None)
    if done is None:
        done = MeasureDoneForm(formdata=None)
        done.done_at.data = measure.done_at or clock.now()
    done.done_at.zone = zone
    page = render_template(
        "measures/edit.html",
        incident=incident,
        measure=measure,
        edit_form=edit,
        done_form=done,
        cancel_form=cancel or MeasureCancelForm(formdata=None),
    )
    return page, status


@bp.route(BASE + "/edit", methods=["GET", "POST"])
@require("can_handle")
def edit(ref: str, measure_id: int) -> Any:
    incident, measure = _measure(ref, measure_id)
    if request.method == "GET":
        return _page(incident, measure)
    form = MeasureEditForm()
    if form.validate():
        try:
            services.edit_measure(
                measure,
                current_user,
                clock.now(),
                description=form.description.data or "",
                owner=form.owner.data or "",
                due_on=form.due_on.data,
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Measure saved."), "success")
            return _back(incident)
    return _page(incident, measure, edit=form, status=422)


@bp.post(BASE + "/done")
@require("can_handle")
def complete(ref: str, measure_id: int) -> Any:
    incident, measure = _measure(ref, measure_id)
    form = MeasureDoneForm()
    form.validate()
    done_at = form.done_at.to_utc(incident.organisation.timezone)
    if not form.errors and done_at is not None:
        try:
            services.complete_measure(measure, current_user, clock.now(), done_at)
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Measure marked done."), "success")
            return _back(incident)
    return _page(incident, measure, done=form, status=422)


@bp.post(BASE + "/reopen")
@require("can_handle")
def reopen(ref: str, measure_id: int) -> Any:
    incident, measure = _measure(ref, measure_id)
    services.reopen_measure(measure, current_user, clock.now())
    flash(_("Measure reopened."), "success")
    return _back(incident)


@bp.post(BASE + "/cancel")
@require("can_handle")
def cancel(ref: str, measure_id: int) -> Any:
    incident, measure = _measure(ref, measure_id)
    form = MeasureCancelForm()
    if form.validate():
        try:
            services.cancel_measure(measure, current_user, clock.now(), form.reason.data or "")
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Measure cancelled."), "success")
            return _back(incident)
    return _page(incident, measure, cancel=form, status=422)
