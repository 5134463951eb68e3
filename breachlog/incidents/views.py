"""Reporting, reading and handling incidents in the browser."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..audit.models import AuditEvent
from ..auth.access import require
from ..auth.models import User
from ..catalogue import services as catalogue
from ..domain.errors import RuleViolation
from ..domain.roles import Role
from ..extensions import db
from ..forms import EmptyForm, attach_errors, choices
from ..orgs import services as orgs
from ..reminders import status as reminder_status
from . import dashboard as board
from . import services
from .fields import SECTIONS
from .forms import IncidentForm, MeasureForm, ReportForm
from .history import readable_history
from .models import Incident, Measure

bp = Blueprint("incidents", __name__)


@bp.get("/")
@require("is_authenticated")
def dashboard() -> Any:
    if not current_user.can_read_all:
        return redirect(url_for("incidents.mine"))
    return render_template(
        "incidents/dashboard.html",
        board=board.board(clock.now()),
        failed_reminders=reminder_status.failed_by_incident(),
    )


@bp.get("/mine")
@require("can_report")
def mine() -> Any:
    page = db.paginate(
        sa.select(Incident)
        .where(Incident.reporter_id == current_user.id)
        .order_by(Incident.created_at.desc(), Incident.id.desc()),
        per_page=25,
        error_out=False,
    )
    return render_template("incidents/mine.html", page=page)


@bp.route("/report", methods=["GET", "POST"])
@require("can_report")
def report() -> Any:
    organisations = orgs.active()
    if not organisations:
        return render_template("incidents/no_organisation.html"), 409
    form = ReportForm()
    form.organisation_id.choices = choices((o.id, o.name) for o in organisations)
    form.personal_data.choices = choices(catalogue.choices("personal_data", str(get_locale())))
    if request.method == "GET":
        form.reporter_contact.data = current_user.email
        default = current_user.organisation_id
        form.organisation_id.data = (
            default if default in {o.id for o in organisations} else organisations[0].id
        )
    if form.is_submitted():
        form.validate()
        chosen = form.organisation_id.data or organisations[0].id
        organisation = next((o for o in organisations if o.id == chosen), organisations[0])
        facts = form.facts(organisation.timezone)
        if not form.errors:
            try:
                incident = services.report_incident(current_user, organisation, facts, clock.now())
            except RuleViolation as violation:
                db.session.rollback()
                attach_errors(form, violation, {"aware_at": "discovered_at"})
            else:
                flash(
                    _(
                        "Thank you. Your report is registered as %(ref)s; the privacy officer "
                        "takes it from here.",
                        ref=incident.ref,
                    ),
                    "success",
                )
                return redirect(url_for("incidents.show", ref=incident.ref))
    return render_template("incidents/report.html", form=form, organisations=organisations)


def visible_or_404(ref: str) -> Incident:
    incident = services.find(ref)
    # a reporter gets 404 for another's report, so refs do not tell what exists
    if incident is None or not services.can_see(current_user, incident):
        abort(404)
    return incident


@bp.get("/incidents/<ref>")
@require("is_authenticated")
def show(ref: str) -> Any:
    return _render_show(visible_or_404(ref), MeasureForm())


def _render_show(incident: Incident, measure_form: MeasureForm, status: int = 200) -> Any:
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.incident_id == incident.id).order_by(AuditEvent.id)
    ).all()
    page = render_template(
        "incidents/show.html",
        incident=incident,
        sections=SECTIONS,
        history=readable_history(events, incident.organisation.timezone),
        measure_form=measure_form,
        now=clock.now(),
    )
    return page, status


@bp.route("/incidents/<ref>/edit", methods=["GET", "POST"])
@require("can_handle")
def edit(ref: str) -> Any:
    incident = visible_or_404(ref)
    zone = incident.organisation.timezone
    form = IncidentForm(obj=incident if request.method == "GET" else None)
    _fill_choices(form)
    if request.method == "GET":
        form.assignee_id.data = incident.assignee_id or 0
        form.is_protected.data = {True: "yes", False: "no"}.get(incident.is_protected, "")
        form.member_states.data = ", ".join(incident.member_states)
        for name in form.TIMES:
            form[name].zone = zone
    if form.validate_on_submit():
        facts = form.facts(zone)
        for name in form.TIMES:
            # the form shows minutes; an unchanged minute keeps the stored seconds
            stored = getattr(incident, name)
            if stored and facts[name] == stored.replace(second=0, microsecond=0):
                facts[name] = stored
        if not form.time_errors():
            try:
                services.update_incident(
                    incident,
                    facts,
                    current_user,
                    clock.now(),
                    reason=form.aware_at_reason.data or "",
                )
            except RuleViolation as violation:
                db.session.rollback()
                attach_errors(form, violation, {"aware_at_reason": "aware_at_reason"})
            else:
                flash(_("Saved."), "success")
                if incident.pending_aware_at is not None:
                    flash(
                        _(
                            "The first deadline has passed: the later awareness takes effect "
                            "when a second officer approves it."
                        ),
                        "warning",
                    )
                return redirect(url_for("incidents.show", ref=incident.ref))
    return render_template("incidents/edit.html", form=form, incident=incident, sections=SECTIONS)


def _fill_choices(form: IncidentForm) -> None:
    language = str(get_locale())
    form.incident_type.choices = choices(catalogue.choices("incident_type", language))
    for name, kind in (
        ("nature", "nature"),
        ("personal_data", "personal_data"),
        ("special_categories", "special_category"),
        ("subject_categories", "data_subject"),
    ):
        form[name].choices = choices(catalogue.choices(kind, language))
    officers = db.session.scalars(
        sa.select(User)
        .where(User.role.in_((Role.OFFICER, Role.ADMIN)), User.is_active_user.is_(True))
        .order_by(User.name, User.email)
    ).all()
    form.assignee_id.choices = choices(
        [(0, _("nobody yet"))] + [(u.id, u.display_name) for u in officers]
    )


@bp.post("/incidents/<ref>/aware-at/approve")
@require("can_handle")
def approve_aware_at(ref: str) -> Any:
    incident = visible_or_404(ref)
    if EmptyForm().validate_on_submit():
        try:
            services.approve_aware_at(incident, current_user, clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            for messages in violation.by_field(_).values():
                for message in messages:
                    flash(message, "error")
        else:
            flash(_("The moment of awareness is moved; the deadline with it."), "success")
    return redirect(url_for("incidents.show", ref=incident.ref))


@bp.post("/incidents/<ref>/measures")
@require("can_handle")
def add_measure(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = MeasureForm()
    if form.validate_on_submit():
        try:
            services.add_measure(
                incident,
                current_user,
                clock.now(),
                kind=form.kind.data or "",
                description=form.description.data or "",
                owner=form.owner.data or "",
                due_on=form.due_on.data,
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("Measure added."), "success")
            return redirect(url_for("incidents.show", ref=incident.ref) + "#measures")
    return _render_show(incident, form, 422)


@bp.post("/incidents/<ref>/measures/<int:measure_id>/<any(done, reopen):action>")
@require("can_handle")
def complete_measure(ref: str, measure_id: int, action: str) -> Any:
    incident = visible_or_404(ref)
    measure = db.session.get(Measure, measure_id)
    if measure is None or measure.incident_id != incident.id:
        abort(404)
    services.complete_measure(measure, current_user, clock.now(), done=action == "done")
    return redirect(url_for("incidents.show", ref=incident.ref) + "#measures")
