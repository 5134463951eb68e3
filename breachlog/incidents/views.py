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
from ..catalogue import services as catalogue
from ..domain.deadlines import to_local
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors, choices, flash_refusal
from ..orgs import scope
from ..orgs import services as orgs
from ..orgs.members import members
from ..reminders import status as reminder_status
from . import dashboard as board
from . import services
from .fields import SECTIONS
from .forms import IncidentForm, MeasureForm, ReportForm
from .history import readable_history
from .models import Incident

bp = Blueprint("incidents", __name__)


@bp.get("/")
@require("is_authenticated")
def dashboard() -> Any:
    if not current_user.can_read_all:
        if not current_user.can_report and current_user.can_administer:
            # an installation admin of no organisation yet: first set one up
            return redirect(url_for("admin.organisations"))
        return redirect(url_for("incidents.mine"))
    readable = scope.organisation_ids(current_user, "can_read_all")
    now = clock.now()
    trouble = reminder_status.mail_trouble(now)
    return render_template(
        "incidents/dashboard.html",
        board=board.board(now, readable),
        failed_reminders=reminder_status.failed_by_incident(readable),
        overdue_measures=board.overdue_measures(services.visible_to(current_user), now),
        mail_trouble=trouble is not None,
        mail_trouble_reason=reminder_status.server_level(trouble),
    )


@bp.get("/mine")
@require("can_report")
def mine() -> Any:
    page = db.paginate(
        sa.select(Incident)
        .where(
            Incident.reporter_id == current_user.id,
            Incident.organisation_id.in_(sorted(scope.organisation_ids(current_user))),
        )
        .order_by(Incident.created_at.desc(), Incident.id.desc()),
        per_page=25,
        error_out=False,
    )
    return render_template("incidents/mine.html", page=page)


@bp.route("/report", methods=["GET", "POST"])
@require("can_report")
def report() -> Any:
    # only the organisations the reporter belongs to: a report is read by their officers
    reachable = scope.organisation_ids(current_user, "can_report")
    organisations = [o for o in orgs.active() if o.id in reachable]
    if not organisations:
        return render_template("incidents/no_organisation.html"), 409
    form = ReportForm()
    form.organisation_id.choices = choices((o.id, o.name) for o in organisations)
    form.personal_data.choices = choices(catalogue.choices("personal_data", str(get_locale())))
    form.special_categories.choices = choices(
        catalogue.choices("special_category", str(get_locale()))
    )
    if request.method == "GET":
        form.reporter_contact.data = current_user.email
        form.organisation_id.data = organisations[0].id
    if form.is_submitted():
        form.validate()
        chosen = form.organisation_id.data or organisations[0].id
        organisation = next((o for o in organisations if o.id == chosen), None)
        if organisation is None:
            # a post naming an organisation the reporter is not a member of
            form.organisation_id.errors = [_("Choose one of your organisations.")]
            organisation = organisations[0]
        facts = form.facts(organisation.timezone)
        if not form.errors and not form.organisation_id.errors:
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
    """The incident, when the caller may see it and may do there what the route's guard asks.

    An incident of another organisation, or another's report, answers 404 like an unknown ref,
    so refs do not tell what exists; a role too weak in the incident's own organisation 403.
    """
    incident = services.find(ref)
    if incident is None or not services.can_see(current_user, incident):
        abort(404)
    if not services.may(current_user, scope.required(), incident):
        abort(403)
    return incident


@bp.get("/incidents/<ref>")
@require("is_authenticated")
def show(ref: str) -> Any:
    return _render_show(visible_or_404(ref), MeasureForm())


def _render_show(incident: Incident, measure_form: MeasureForm, status: int = 200) -> Any:
    now = clock.now()
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.incident_id == incident.id).order_by(AuditEvent.id)
    ).all()
    from .move_views import targets

    may_move = incident.notified_at is None and current_user.can_handle_in(
        incident.organisation_id
    )
    page = render_template(
        "incidents/show.html",
        move_targets=targets(incident) if may_move else [],
        incident=incident,
        sections=SECTIONS,
        history=readable_history(events, incident.organisation.timezone),
        measure_form=measure_form,
        now=now,
        today=to_local(now, incident.organisation.timezone).date(),
    )
    return page, status


@bp.route("/incidents/<ref>/edit", methods=["GET", "POST"])
@require("can_handle")
def edit(ref: str) -> Any:
    incident = visible_or_404(ref)
    zone = incident.organisation.timezone
    form = IncidentForm(obj=incident if request.method == "GET" else None)
    _fill_choices(form, incident.organisation_id)
    if request.method == "GET":
        form.assignee_id.data = incident.assignee_id or 0
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


def _fill_choices(form: IncidentForm, organisation_id: int) -> None:
    language = str(get_locale())
    form.incident_type.choices = choices(catalogue.choices("incident_type", language))
    for name, kind in (
        ("nature", "nature"),
        ("personal_data", "personal_data"),
        ("special_categories", "special_category"),
        ("subject_categories", "data_subject"),
    ):
        form[name].choices = choices(catalogue.choices(kind, language))
    officers = sorted(
        members(organisation_id, "can_handle"), key=lambda u: (u.name or "", u.email)
    )
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
            flash_refusal(violation)
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


# Moving to another organisation lives in its own module; importing it adds it to bp.
from . import move_views  # noqa: E402, F401
