"""Every write to an incident goes through one of these acts; the caller commits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..audit import chain
from ..auth.models import User
from ..catalogue import services as catalogue
from ..domain import ap_answers, law
from ..domain import incidents as rules
from ..domain.deadlines import deadline_for, ensure_aware, to_local
from ..domain.errors import N_, Problem, Problems, RuleViolation
from ..extensions import db
from ..orgs import scope
from ..orgs.members import members
from ..orgs.models import Organisation
from ..reminders import planning as reminders
from .models import ASSESSMENT_FIELDS, EDITABLE_FIELDS, Incident, Measure
from .refs import next_ref

REPORTER_FIELDS = (
    "title",
    "summary",
    "reporter_contact",
    "discovered_at",
    "aware_at",
    "occurred_from",
    "incident_type",
    "personal_data",
    "personal_data_details",
    "people_min",
    "people_max",
    "how_discovered",
    "processor_name",
    "processor_notified_at",
    "organisation_id",
    # the reporter may say what they know; "I don't know" leaves them None
    "is_ongoing",
    "has_special_categories",
    "special_categories",
)
LIST_FIELDS = (
    "nature",
    "personal_data",
    "special_categories",
    "subject_categories",
    "member_states",
    "data_outcomes",
    "harm_kinds",
    "other_authorities",
)


def report_incident(
    reporter: User, organisation: Organisation, facts: Mapping[str, Any], now: datetime
) -> Incident:
    """A new report. aware_at defaults to the processor's notice or the discovery, whichever
    came first (R5), or to now: the clock starts at once.

    Only into an organisation the reporter may report into: a report is read by that
    organisation's officers, and the reporter keeps reading it.
    """
    if not scope.may(reporter, "is_member", organisation.id):
        raise RuleViolation(
            [
                Problem(
                    "organisation_id",
                    N_("You can report only into an organisation you are a member of."),
                )
            ]
        )
    values = _new_values(organisation, facts)
    if values.get("aware_at") is None:
        values["aware_at"] = rules.aware_by_default(values, now)
    values["status"] = "open"
    _check(values, now, zone=organisation.timezone)

    year = to_local(values["aware_at"], organisation.timezone).year
    incident = Incident(
        ref=next_ref(organisation, year),
        ref_year=year,
        reporter_id=reporter.id,
        created_at=now,
        updated_at=now,
        deadline_at=deadline_for(values["aware_at"]),
        first_aware_at=values["aware_at"],
        first_deadline_at=deadline_for(values["aware_at"]),
        **values,
    )
    db.session.add(incident)
    db.session.flush()
    chain.record(
        "incident.reported",
        incident,
        actor=reporter,
        now=now,
        after=incident.audit_state(),
        incident_id=incident.id,
    )
    reminders.plan(incident, now, actor=reporter)
    reminders.plan_new_report(incident, now)
    return incident


def _new_values(organisation: Organisation, facts: Mapping[str, Any]) -> dict[str, Any]:
    """A new incident's columns from the facts given, with defaults for the rest."""
    values = _defaults()
    values.update({k: v for k, v in facts.items() if k in EDITABLE_FIELDS})
    _complete(values)
    values["organisation_id"] = organisation.id
    return values


def import_incident(
    organisation: Organisation,
    facts: Mapping[str, Any],
    actor: Any,
    now: datetime,
    *,
    source: str,
    assessment: Mapping[str, Any] | None = None,
    codes: Mapping[str, Collection[str]] | None = None,
) -> Incident:
    """An incident from a register kept elsewhere until now: the same rules, a new ref.

    Checked by `imported_values`; recorded in the one `incident.imported` event, whose reason
    says where it came from. Nobody is told of a new report and no reminder is planned here:
    the caller records the rest of its history (notification, closing) and then plans once,
    so a settled incident of last year plans nothing.
    """
    values = imported_values(organisation, facts, now, assessment=assessment, codes=codes)
    year = to_local(values["aware_at"], organisation.timezone).year
    incident = Incident(
        ref=next_ref(organisation, year),
        ref_year=year,
        reporter_id=None,
        created_at=now,
        updated_at=now,
        deadline_at=deadline_for(values["aware_at"]),
        first_aware_at=values["aware_at"],
        first_deadline_at=deadline_for(values["aware_at"]),
        **values,
    )
    db.session.add(incident)
    db.session.flush()
    chain.record(
        "incident.imported",
        incident,
        actor=actor,
        now=now,
        after=incident.audit_state(),
        incident_id=incident.id,
        reason=source,
    )
    return incident


def imported_values(
    organisation: Organisation,
    facts: Mapping[str, Any],
    now: datetime,
    *,
    assessment: Mapping[str, Any] | None = None,
    codes: Mapping[str, Collection[str]] | None = None,
) -> dict[str, Any]:
    """The columns of an imported incident, checked: raises RuleViolation with every problem.

    aware_at is required (R2) and usually long past; without it the processor's notice
    stands for it (R5). `assessment` (risk, risk_rationale, is_personal_data_breach,
    not_breach_rationale) is checked as `assess` checks it (R1, R3). `codes` are the
    catalogue's codes by field when the caller read them once (an import of many rows).
    The dry run of an import calls this too, so both refuse the same rows.
    """
    values = _new_values(organisation, facts)
    if values.get("aware_at") is None and values.get("processor_notified_at") is not None:
        values["aware_at"] = values["processor_notified_at"]  # R5
    problems: list[Problem] = []
    if assessment is not None:
        values.update({k: v for k, v in assessment.items() if k in ASSESSMENT_FIELDS})
        try:
            law.check_assessment(
                values["risk"],
                values["risk_rationale"],
                values["is_personal_data_breach"],
                values["not_breach_rationale"],
            )
        except RuleViolation as violation:
            problems = violation.problems
    values["status"] = law.status(
        law.Situation(
            risk=values["risk"],
            is_personal_data_breach=values["is_personal_data_breach"],
            deadline_at=now,
            has_initial_notification=False,
            is_withdrawn=False,
            has_subject_communication=False,
            has_exemption=False,
        )
    )
    _check(values, now, problems, zone=organisation.timezone, codes=codes)
    return values


def update_incident(
    incident: Incident,
    changes: Mapping[str, Any],
    actor: User,
    now: datetime,
    reason: str = "",
) -> Incident:
    """Change facts of an incident; every changed field lands in one audit event."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise RuleViolation(
            [Problem(name, N_("This field cannot be changed.")) for name in unknown]
        )
    if "organisation_id" in changes and changes["organisation_id"] != incident.organisation_id:
        raise RuleViolation(
            [
                Problem(
                    "organisation_id",
                    N_(
                        "An incident stays in the register of the organisation it was reported to."
                    ),
                )
            ]
        )
    before = incident.audit_state()
    values = {name: getattr(incident, name) for name in (*EDITABLE_FIELDS, *ASSESSMENT_FIELDS)}
    values["status"] = incident.status
    values.update(changes)
    changes = {**changes, **_complete(values)}
    problems: list[Problem] = []
    try:
        rules.check_aware_at_change(
            incident.aware_at,
            values.get("aware_at"),
            reason,
            is_notified=incident.notified_at is not None,
        )
    except RuleViolation as violation:
        problems = violation.problems
    _check(values, now, problems, zone=incident.organisation.timezone)
    held = rules.needs_second_officer(
        incident.first_deadline_at, incident.aware_at, values.get("aware_at"), now
    )
    if held:
        # R14: the later awareness waits for a second officer; the rest is saved now
        incident.pending_aware_at = values["aware_at"]
        incident.pending_aware_reason = reason.strip()
        incident.pending_aware_by_id = actor.id
        values["aware_at"] = incident.aware_at
    elif ensure_aware(values["aware_at"]) != ensure_aware(incident.aware_at):
        incident.aware_at_reason = reason.strip()
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(incident, name, values[name])
    moved = incident.deadline_at != deadline_for(incident.aware_at)
    incident.deadline_at = deadline_for(incident.aware_at)
    # the register year follows awareness; the ref keeps the year it was given in
    incident.ref_year = to_local(incident.aware_at, incident.organisation.timezone).year
    after = incident.audit_state()
    old, new = chain.rules.changes(before, after)
    if not new:
        return incident
    incident.updated_at = now
    chain.record(
        "incident.updated",
        incident,
        actor=actor,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=reason.strip(),
    )
    if moved:
        reminders.plan(incident, now, actor=actor)
    return incident


def approve_aware_at(incident: Incident, approver: User, now: datetime) -> Incident:
    """R14: a second officer lets a later awareness, proposed after the first deadline, stand."""
    rules.check_approval(incident.pending_aware_by_id, approver.id, incident.pending_aware_at)
    before = incident.audit_state()
    assert incident.pending_aware_at is not None
    incident.aware_at = incident.pending_aware_at
    incident.aware_at_reason = incident.pending_aware_reason
    incident.deadline_at = deadline_for(incident.aware_at)
    # the register year follows awareness, as in update_incident
    incident.ref_year = to_local(incident.aware_at, incident.organisation.timezone).year
    incident.pending_aware_at, incident.pending_aware_by_id = None, None
    incident.pending_aware_reason = ""
    incident.updated_at = now
    old, new = chain.rules.changes(before, incident.audit_state())
    chain.record(
        "incident.aware_at_approved",
        incident,
        actor=approver,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=incident.aware_at_reason,
    )
    reminders.plan(incident, now, actor=approver)
    return incident


def add_measure(
    incident: Incident,
    actor: User,
    now: datetime,
    *,
    kind: str,
    description: str,
    owner: str = "",
    due_on: date | None = None,
    done_at: datetime | None = None,
) -> Measure:
    check_measure_act(
        incident.organisation_id,
        kind=kind,
        description=description,
        owner=owner,
        due_on=due_on,
        done_at=done_at,
        now=now,
    )
    measure = Measure(
        incident=incident,
        kind=kind,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        done_at=done_at,
        created_at=now,
    )
    db.session.add(measure)
    db.session.flush()
    chain.record(
        "measure.added",
        measure,
        actor=actor,
        now=now,
        after=measure.audit_state(),
        incident_id=incident.id,
    )
    reminders.plan_measure(measure, now)
    return measure


def check_measure_act(
    organisation_id: int,
    *,
    kind: str,
    description: str,
    owner: str = "",
    due_on: date | None = None,
    done_at: datetime | None = None,
    now: datetime,
) -> None:
    """What `add_measure` refuses, before anything is written (the import's dry run too)."""
    rules.check_measure(kind, description, due_on=due_on, done_at=done_at, now=now)
    _check_owner(organisation_id, owner)


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """The incidents of the organisations where the user reads the register, and their own
    reports in the organisations they are still a member of; nothing of any other."""
    readable = scope.organisation_ids(user, "can_read_all")
    member = scope.organisation_ids(user, "is_member")
    return sa.or_(
        Incident.organisation_id.in_(sorted(readable)),
        sa.and_(Incident.reporter_id == user.id, Incident.organisation_id.in_(sorted(member))),
    )


def can_see(user: User, incident: Incident) -> bool:
    if scope.may(user, "can_read_all", incident.organisation_id):
        return True
    return incident.reporter_id == user.id and scope.may(
        user, "is_member", incident.organisation_id
    )


def can_edit(user: User, incident: Incident) -> bool:
    return scope.may(user, "can_handle", incident.organisation_id)


def may(user: User, check: str | None, incident: Incident) -> bool:
    """Whether the user's role in the incident's organisation allows what a guard asks."""
    if check in (None, "is_authenticated"):
        return True
    return scope.may(user, check, incident.organisation_id)


def find(ref: str) -> Incident | None:
    """The incident with this ref, or the one that had it before it moved (moving.py)."""
    from .moving import by_former_ref

    found = db.session.execute(
        sa.select(Incident).where(Incident.ref == ref.upper())
    ).scalar_one_or_none()
    return found if found is not None else by_former_ref(ref)


def _check_owner(organisation_id: int, owner: str) -> None:
    """An owner with an address hears of the measure by mail, with the breach's details: the
    address must be a member's of the incident's organisation. A plain name gets no mail."""
    if "@" not in owner:
        return
    addresses = {user.email.lower() for user in members(organisation_id)}
    if owner.strip().lower() not in addresses:
        raise RuleViolation(
            [
                Problem(
                    "owner",
                    N_(
                        "Give a name, or the e-mail address of a member of this organisation: "
                        "the owner is mailed the breach's details."
                    ),
                )
            ]
        )


def _defaults() -> dict[str, Any]:
    values: dict[str, Any] = {name: None for name in EDITABLE_FIELDS}
    values.update({name: [] for name in LIST_FIELDS})
    for name in (
        "summary",
        "reporter_contact",
        "how_discovered",
        "processor_name",
        "personal_data_details",
        "protection_details",
        "consequences",
        "subject_description",
        "not_breach_rationale",
        "risk_rationale",
        "cause",
        "evaluation",
        *ap_answers.TEXT_FIELDS,
        "severity",
        "subjects_plan",
        "notifier_name",
        "notifier_role",
        "notifier_email",
        "notifier_phone",
    ):
        values[name] = ""
    values["law"] = "avg"
    # is_ongoing, is_dpo_involved, is_cross_border and the other yes/no facts stay None:
    # "not known yet" until someone answers them
    values.update(incident_type="other", is_personal_data_breach=True, risk="unassessed")
    return values


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """The answers as stored: authorities in one shape, and the yes an answer implies (a
    special category listed, an authority named); returns what it added."""
    if "other_authorities" in values:
        values["other_authorities"] = ap_answers.stored_authorities(values["other_authorities"])
    added = ap_answers.implied(values)
    values.update(added)
    return {"other_authorities": values.get("other_authorities"), **added}


def _check(
    values: dict[str, Any],
    now: datetime,
    earlier: list[Problem] | None = None,
    zone: str = "UTC",
    codes: Mapping[str, Collection[str]] | None = None,
) -> None:
    problems = Problems()
    problems.items.extend(earlier or [])
    for name in (
        "summary",
        "consequences",
        "subject_description",
        "cause",
        "evaluation",
        "risk_rationale",
    ):
        if len(values.get(name) or "") > rules.TEXT_MAX:
            problems.add(name, N_("This text is too long."))
    known = codes or {}
    if values.get("incident_type") is not None:
        catalogue.check_codes(
            problems, "incident_type", [values["incident_type"]], known.get("incident_type")
        )
    for name in ("nature", "personal_data", "special_categories", "subject_categories"):
        catalogue.check_codes(problems, name, values.get(name) or [], known.get(name))
    if values.get("assignee_id") is not None:
        assignee = db.session.get(User, values["assignee_id"])
        if (
            assignee is None
            or not assignee.is_active
            or not assignee.can_handle_in(values["organisation_id"])
        ):
            problems.add(
                "assignee_id", N_("The assignee must be an active officer of the organisation.")
            )
    try:
        rules.check_facts(values, now, zone)
    except RuleViolation as violation:
        problems.items.extend(violation.problems)
    try:
        ap_answers.check_answers(values, to_local(now, zone).date())
    except RuleViolation as violation:
        problems.items.extend(violation.problems)
    problems.raise_if_any()
