"""Assessing, notifying the AP, informing the people concerned and closing, in the browser."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..auth.access import require
from ..domain import enisa
from ..domain.errors import RuleViolation
from ..extensions import db
from ..forms import EmptyForm, attach_errors, flash_refusal
from ..incidents.models import Incident
from ..incidents.views import visible_or_404
from . import ap_form, approval, letters, services
from .forms import (
    AssessmentForm,
    CloseForm,
    CommunicationForm,
    ExemptionForm,
    NotificationForm,
    ReopenForm,
)

bp = Blueprint("notifications", __name__, url_prefix="/incidents/<ref>")


def _back(incident: Incident, anchor: str) -> Any:
    return redirect(url_for("incidents.show", ref=incident.ref) + "#" + anchor)


@bp.route("/assessment", methods=["GET", "POST"])
@require("can_handle")
def assessment(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = AssessmentForm()
    if request.method == "GET":
        form.is_personal_data_breach.data = "yes" if incident.is_personal_data_breach else "no"
        form.risk.data = incident.risk if incident.risk != "unassessed" else "risk"
        form.risk_rationale.data = incident.risk_rationale
        form.not_breach_rationale.data = incident.not_breach_rationale
        form.is_dpo_involved.process_data(incident.is_dpo_involved)
        form.enisa_dpc.data = _score(incident.enisa_dpc)
        form.enisa_ei.data = _score(incident.enisa_ei)
        form.enisa_dpc_base.data = _score(incident.enisa_dpc_base)
        form.enisa_dpc_reason.data = incident.enisa_dpc_reason
        form.cb_confidentiality.data = _score(incident.enisa_confidentiality) or "0"
        form.cb_integrity.data = _score(incident.enisa_integrity) or "0"
        form.cb_availability.data = _score(incident.enisa_availability) or "0"
        form.cb_malicious.data = bool(incident.enisa_malicious)
    if form.validate_on_submit():
        scores = _enisa_scores(form)
        try:
            services.assess(
                incident,
                current_user,
                clock.now(),
                risk=form.risk.data or "",
                risk_rationale=form.risk_rationale.data or "",
                is_personal_data_breach=form.is_personal_data_breach.data != "no",
                not_breach_rationale=form.not_breach_rationale.data or "",
                is_dpo_involved=form.is_dpo_involved.answer,
                enisa_scores=scores,
                enisa_parts=(
                    float(form.cb_confidentiality.data or 0),
                    float(form.cb_integrity.data or 0),
                    float(form.cb_availability.data or 0),
                    bool(form.cb_malicious.data),
                ),
                enisa_dpc_base=float(form.enisa_dpc_base.data)
                if form.enisa_dpc_base.data
                else None,
                enisa_dpc_reason=form.enisa_dpc_reason.data or "",
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            if incident.pending_act and incident.pending_act_by_id == current_user.id:
                flash(_held(), "warning")
            else:
                flash(_("Assessment saved."), "success")
            return _back(incident, "assessment")
    return render_template(
        "notifications/assessment.html", incident=incident, form=form, bands=enisa.BANDS
    )


def _held() -> str:
    return _(
        "This organisation requires a second officer for this decision: it takes effect "
        "when another officer approves it."
    )


@bp.post("/pending-act/approve")
@require("can_handle")
def approve_act(ref: str) -> Any:
    """R14: a second officer lets a held risk none, not a breach or withdrawal stand."""
    incident = visible_or_404(ref)
    if EmptyForm().validate_on_submit():
        try:
            approval.approve_act(incident, current_user, clock.now())
        except RuleViolation as violation:
            db.session.rollback()
            flash_refusal(violation)
        else:
            flash(_("Approved; the decision is recorded."), "success")
    return redirect(url_for("incidents.show", ref=incident.ref))


def _score(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def _enisa_scores(form: AssessmentForm) -> tuple[float, float, float] | None:
    if not form.enisa_dpc.data or not form.enisa_ei.data:
        return None
    cb = enisa.circumstances(
        float(form.cb_confidentiality.data or 0),
        float(form.cb_integrity.data or 0),
        float(form.cb_availability.data or 0),
        bool(form.cb_malicious.data),
    )
    return float(form.enisa_dpc.data), float(form.enisa_ei.data), cb


@bp.route("/notifications/new", methods=["GET", "POST"])
@require("can_handle")
def notify(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = NotificationForm()
    zone = incident.organisation.timezone
    form.submitted_at.zone = zone
    if request.method == "GET":
        form.kind.data = "supplement" if incident.notified_at else "initial"
        form.meldnummer.data = incident.meldnummer
        # who notifies: as recorded before, else the officer recording it
        form.law.data = incident.law or "avg"
        form.notifier_name.data = incident.notifier_name or current_user.name
        form.notifier_role.data = incident.notifier_role
        form.notifier_email.data = incident.notifier_email or current_user.email
        form.notifier_phone.data = incident.notifier_phone
    form.receipt_at.zone = zone
    if form.validate_on_submit():
        submitted_at = form.submitted_at.to_utc(zone)
        if submitted_at is not None and not form.receipt_at.errors:
            try:
                recorded = services.record_notification(
                    incident,
                    current_user,
                    clock.now(),
                    kind=form.kind.data or "",
                    submitted_at=submitted_at,
                    meldnummer=form.meldnummer.data or "",
                    is_provisional=bool(form.is_provisional.data),
                    reasons_for_delay=form.reasons_for_delay.data or "",
                    follows=list(form.follows.data or []),
                    note=form.note.data or "",
                    gives=list(form.gives.data or []),
                    receipt_at=form.receipt_at.to_utc(zone),
                    receipt_text=form.receipt_text.data or "",
                    notifier=form.notifier(),
                )
            except RuleViolation as violation:
                db.session.rollback()
                attach_errors(form, violation)
            else:
                if recorded is None:
                    flash(_held(), "warning")
                else:
                    flash(_("The notification is recorded."), "success")
                return _back(incident, "notifications")
    return render_template(
        "notifications/notify.html", incident=incident, form=form, parts=ap_form.parts(incident)
    )


@bp.route("/subjects", methods=["GET", "POST"])
@require("can_handle")
def subjects(ref: str) -> Any:
    incident = visible_or_404(ref)
    zone = incident.organisation.timezone
    communication = CommunicationForm(prefix="c")
    exemption = ExemptionForm(prefix="e")
    communication.sent_at.zone = zone
    exemption.public_sent_at.zone = zone
    language = request.args.get("letter", str(get_locale()))
    if request.method == "GET":
        communication.text.data = letters.subject_letter(incident, language)
        communication.people_reached.data = incident.people_max
    if "c-text" in request.form and communication.validate_on_submit():
        sent_at = communication.sent_at.to_utc(zone)
        try:
            services.record_subject_communication(
                incident,
                current_user,
                clock.now(),
                sent_at=sent_at,
                channel=communication.channel.data or "",
                people_reached=communication.people_reached.data,
                text=communication.text.data or "",
                shortfall_reason=communication.shortfall_reason.data or "",
                names_contact=bool(communication.names_contact.data),
                names_consequences=bool(communication.names_consequences.data),
                names_measures=bool(communication.names_measures.data),
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(communication, violation)
        else:
            flash(_("The communication to the people concerned is recorded."), "success")
            return _back(incident, "subjects")
    if "e-ground" in request.form and exemption.validate_on_submit():
        try:
            services.record_exemption(
                incident,
                current_user,
                clock.now(),
                ground=exemption.ground.data or "",
                rationale=exemption.rationale.data or "",
                public_communication=exemption.public_communication.data or "",
                public_sent_at=exemption.public_sent_at.to_utc(zone),
                public_channel=exemption.public_channel.data or "",
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(exemption, violation)
        else:
            flash(_("The exemption is recorded."), "success")
            return _back(incident, "subjects")
    return render_template(
        "notifications/subjects.html",
        incident=incident,
        communication=communication,
        exemption=exemption,
    )


@bp.route("/close", methods=["GET", "POST"])
@require("can_handle")
def close(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = CloseForm()
    if request.method == "GET":
        form.evaluation.data = incident.evaluation
    if form.validate_on_submit():
        try:
            services.close(
                incident,
                current_user,
                clock.now(),
                form.evaluation.data or "",
                open_measures_confirmed=bool(form.confirm_open_measures.data),
            )
        except RuleViolation as violation:
            db.session.rollback()
            attach_errors(form, violation)
        else:
            flash(_("The incident is closed."), "success")
            return _back(incident, "top")
    missing = services.law.still_missing(services.situation(incident))
    return render_template(
        "notifications/close.html",
        incident=incident,
        form=form,
        missing=missing,
        open_measures=services.open_measures(incident),
        reopen=ReopenForm(),
    )


@bp.post("/reopen")
@require("can_handle")
def reopen(ref: str) -> Any:
    incident = visible_or_404(ref)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen(incident, current_user, clock.now(), form.reason.data or "")
        except RuleViolation as violation:
            db.session.rollback()
            flash_refusal(violation)
        else:
            flash(_("The incident is open again."), "success")
    return _back(incident, "top")


# the AP form page and its PDF, on this blueprint
from . import ap_form_views  # noqa: E402, F401
