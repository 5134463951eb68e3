"""The acts of Articles 33 and 34: assess, notify the AP, inform the people, close."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa

from ..audit import chain
from ..auth.models import User
from ..domain import ap_answers, enisa, four_eyes, law, phased
from ..domain.errors import N_, Problem, RuleViolation
from ..extensions import db
from ..incidents.models import Incident
from ..reminders import planning as reminders
from . import ap_form, held
from .models import Notification, SubjectCommunication


class Recorded(Protocol):
    """What the law looks at: an incident, or a row of just these columns."""

    risk: str
    is_personal_data_breach: bool
    deadline_at: datetime
    notified_at: datetime | None
    is_withdrawn: bool
    subjects_informed_at: datetime | None
    exemption_ground: str
    status: str
    owed_parts: list[str]


class Checked(Recorded, Protocol):
    """What the checks of the acts below read: an incident, or the draft of one (an import's
    dry run keeps one per row instead of writing it)."""

    aware_at: datetime
    people_min: int | None
    is_protected: bool | None
    protection_details: str
    cause: str
    consequences: str
    notifications: Any
    measures: Any


def situation(incident: Recorded) -> law.Situation:
    return law.Situation(
        risk=incident.risk,
        is_personal_data_breach=incident.is_personal_data_breach,
        deadline_at=incident.deadline_at,
        has_initial_notification=incident.notified_at is not None,
        is_withdrawn=incident.is_withdrawn,
        has_subject_communication=incident.subjects_informed_at is not None,
        has_exemption=bool(incident.exemption_ground),
        is_closed=incident.status == "closed",
        owed_parts=tuple(incident.owed_parts or ()),
    )


def still_missing(incident: Incident) -> list[str]:
    """What the law still asks for, as untranslated messages (translate where shown)."""
    return law.still_missing(situation(incident))


def _refresh_status(incident: Incident) -> None:
    incident.status = law.status(situation(incident))


def _changed(
    incident: Incident,
    before: dict[str, Any],
    action: str,
    actor: User,
    now: datetime,
    reason: str = "",
) -> None:
    _refresh_status(incident)
    incident.updated_at = now
    old, new = chain.rules.changes(before, incident.audit_state())
    chain.record(
        action,
        incident,
        actor=actor,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=reason,
    )


def assess(
    incident: Incident,
    actor: User,
    now: datetime,
    *,
    risk: str,
    risk_rationale: str,
    is_personal_data_breach: bool = True,
    not_breach_rationale: str = "",
    is_dpo_involved: bool | None = None,
    enisa_scores: tuple[float, float, float] | None = None,
    enisa_parts: tuple[float, float, float, bool] | None = None,
    enisa_dpc_base: float | None = None,
    enisa_dpc_reason: str = "",
    approved: bool = False,
) -> Incident:
    """R1, R3: the officer's decision and reasoning; ENISA only informs it.

    The circumstances' parts and the base context are kept beside the score, so the form
    shows every factor again and a re-save without changes keeps the score. R14: where the
    organisation asks for it, risk none and "not a breach" are held for a second officer
    (`approved` is set only by the approval, which replays this act)."""
    _refuse_if_closed(incident)
    law.check_assessment(
        risk,
        risk_rationale,
        is_personal_data_breach,
        not_breach_rationale,
        notification_stands=incident.notified_at is not None and not incident.is_withdrawn,
    )
    if enisa_scores is not None:
        enisa.check(*enisa_scores)
        enisa.check_context(enisa_scores[0], enisa_dpc_base, enisa_dpc_reason)
    act = four_eyes.assessment_held(
        incident.organisation.four_eyes_required and not approved,
        risk=risk,
        is_personal_data_breach=is_personal_data_breach,
        current_risk=incident.risk,
        currently_a_breach=incident.is_personal_data_breach,
    )
    if act is not None:
        held.hold(
            incident,
            act,
            actor,
            now,
            reason=risk_rationale if is_personal_data_breach else not_breach_rationale,
            values={
                "risk": risk,
                "risk_rationale": risk_rationale,
                "is_personal_data_breach": is_personal_data_breach,
                "not_breach_rationale": not_breach_rationale,
                "is_dpo_involved": is_dpo_involved,
                "enisa_scores": enisa_scores,
                "enisa_parts": enisa_parts,
                "enisa_dpc_base": enisa_dpc_base,
                "enisa_dpc_reason": enisa_dpc_reason,
            },
        )
        return incident
    before = incident.audit_state()
    if incident.pending_act in (four_eyes.RISK_NONE, four_eyes.NOT_A_BREACH):
        held.clear(incident)  # a decision made since supersedes the one still held
    incident.risk = risk if is_personal_data_breach else incident.risk
    incident.risk_rationale = risk_rationale.strip()
    incident.is_personal_data_breach = is_personal_data_breach
    incident.not_breach_rationale = "" if is_personal_data_breach else not_breach_rationale.strip()
    incident.is_dpo_involved = is_dpo_involved
    incident.enisa_dpc, incident.enisa_ei, incident.enisa_cb = enisa_scores or (None, None, None)
    parts = enisa_parts if enisa_scores is not None else None
    (
        incident.enisa_confidentiality,
        incident.enisa_integrity,
        incident.enisa_availability,
        incident.enisa_malicious,
    ) = parts or (None, None, None, None)
    incident.enisa_dpc_base = enisa_dpc_base if enisa_scores is not None else None
    incident.enisa_dpc_reason = enisa_dpc_reason.strip() if enisa_scores is not None else ""
    _changed(incident, before, "incident.assessed", actor, now)
    reminders.plan(incident, now, actor=actor)
    return incident


def record_notification(
    incident: Incident,
    actor: User,
    now: datetime,
    *,
    kind: str,
    submitted_at: datetime,
    meldnummer: str = "",
    is_provisional: bool = False,
    reasons_for_delay: str = "",
    answers: Mapping[str, str] | None = None,
    follows: Sequence[str] = (),
    note: str = "",
    gives: Sequence[str] = (),
    receipt_at: datetime | None = None,
    receipt_text: str = "",
    notifier: Mapping[str, str] | None = None,
    approved: bool = False,
) -> Notification | None:
    """R4: the initial notification, a supplement (aanvulling) or a withdrawal (intrekking).

    R11: parts marked "follows" make the notification provisional and stay owed, with a
    weekly reminder, until supplements give them. R15: a withdrawal sends the incident back
    to assessment (the risk becomes unassessed), from where it is found to need no notice,
    or notified anew under a new meldnummer. R14: where the organisation asks for it, a
    withdrawal is held for a second officer and None is returned; the approval replays it.
    `notifier` (law, notifier_name, _role, _email, _phone: sections 0 and 1 of the AP form)
    is stored on the incident, so the form frozen with this notification shows who made it.
    """
    told = {k: v for k, v in (notifier or {}).items() if k in NOTIFIER_NAMES}
    refused = _notifier_problems(incident, told)
    try:
        given = check_notification_act(
            incident,
            now,
            kind=kind,
            submitted_at=submitted_at,
            meldnummer=meldnummer,
            is_provisional=is_provisional,
            reasons_for_delay=reasons_for_delay,
            answers=answers,
            follows=follows,
            note=note,
            gives=gives,
            receipt_at=receipt_at,
            parts=ap_form.parts(incident),
            meldnummer_taken=_meldnummer_taken(incident, meldnummer.strip()),
        )
    except RuleViolation as violation:
        raise RuleViolation([*refused, *violation.problems]) from None
    if refused:
        raise RuleViolation(refused)
    initial = _initial(incident)
    act = four_eyes.notification_held(
        incident.organisation.four_eyes_required and not approved, kind
    )
    if act is not None:
        held.hold(
            incident,
            act,
            actor,
            now,
            reason=note,
            values={
                "kind": kind,
                "submitted_at": submitted_at,
                "meldnummer": meldnummer,
                "note": note,
                "receipt_at": receipt_at,
                "receipt_text": receipt_text,
            },
        )
        return None
    if kind == "initial" and follows:
        is_provisional = True
    if kind == "initial" and not law.needs_ap_notification(
        incident.risk, incident.is_personal_data_breach
    ):
        # notifying below the threshold is allowed (a cautious controller), but it is noted
        note = note or "notified although the assessed risk does not require it"
    before = incident.audit_state()
    for name, answer in told.items():
        setattr(incident, name, answer.strip())
    is_late = kind == "initial" and submitted_at > incident.deadline_at
    # the form as submitted: section 0 says what this notification is
    submission = ap_form.Submission(
        kind=kind,
        meldnummer=(initial.meldnummer if initial and kind != "initial" else ""),
        # R11: a supplement leaves the notification provisional while parts stay owed
        is_provisional=is_provisional
        if kind == "initial"
        else kind == "supplement" and bool(set(incident.owed_parts or ()) - set(gives)),
        is_late=is_late,
        reasons_for_delay=reasons_for_delay.strip(),
    )
    notification = Notification(
        incident=incident,
        kind=kind,
        submitted_at=submitted_at,
        meldnummer=meldnummer.strip() or (initial.meldnummer if initial else ""),
        is_provisional=is_provisional,
        is_late=is_late,
        reasons_for_delay=reasons_for_delay.strip(),
        answers={"parts": given, "form": ap_form.frozen(incident, submission, now)},
        follows=list(follows) if kind == "initial" else [],
        parts_given=list(gives) if kind == "supplement" else [],
        receipt_at=receipt_at,
        receipt_text=receipt_text.strip(),
        note=note.strip(),
        recorded_by_id=actor.id,
        created_at=now,
    )
    db.session.add(notification)
    db.session.flush()
    if kind == "initial":
        incident.notified_at = submitted_at
        incident.meldnummer = notification.meldnummer
        incident.is_withdrawn = False
    elif kind == "withdrawal":
        incident.is_withdrawn = True
        incident.risk = "unassessed"
    incident.owed_parts = phased.owed_parts(
        (n.kind, n.follows or [], n.parts_given or []) for n in incident.notifications
    )
    chain.record(
        f"notification.{kind}",
        notification,
        actor=actor,
        now=now,
        after=notification.audit_state(),
        incident_id=incident.id,
    )
    # a withdrawal re-opens the assessment: its own act, so assessments stay apart in the trail
    action = "incident.withdrawn" if kind == "withdrawal" else "incident.updated"
    _changed(incident, before, action, actor, now)
    if kind == "initial" and is_provisional:
        reminders.cancel_provisional(incident, now)  # a withdrawn one's reminders end here
        reminders.plan_provisional(incident, notification.id, submitted_at, now)
    elif not incident.owed_parts or incident.is_withdrawn:
        reminders.cancel_provisional(incident, now)  # nothing more is owed to the AP
    reminders.plan(incident, now, actor=actor)
    return notification


NOTIFIER_NAMES = ("law", "notifier_name", "notifier_role", "notifier_email", "notifier_phone")


def _notifier_problems(incident: Incident, told: Mapping[str, str]) -> list[Problem]:
    """Sections 0 and 1 of the AP form as they will stand, checked before anything is kept;
    reported together with what the notification itself lacks."""
    try:
        ap_answers.check_notifier({**{k: getattr(incident, k) for k in NOTIFIER_NAMES}, **told})
    except RuleViolation as violation:
        return list(violation.problems)
    return []


def check_notification_act(
    incident: Checked,
    now: datetime,
    *,
    kind: str,
    submitted_at: datetime,
    meldnummer: str = "",
    is_provisional: bool = False,
    reasons_for_delay: str = "",
    answers: Mapping[str, str] | None = None,
    follows: Sequence[str] = (),
    note: str = "",
    gives: Sequence[str] = (),
    receipt_at: datetime | None = None,
    parts: Mapping[str, str],
    meldnummer_taken: bool,
) -> dict[str, str]:
    """What `record_notification` refuses (R4, R11, R15); returns the answers as they stand.

    `parts` are the incident's Art. 33(3) parts as the AP form shows them, and
    `meldnummer_taken` whether another incident of the organisation has this meldnummer:
    the caller finds both, as the import's dry run, which has no incident, does its own way.
    """
    _refuse_if_closed(incident)
    # after a withdrawal and a new notification, supplements belong to the newest one
    initial = _initial(incident)
    given = {**parts, **{k: v for k, v in (answers or {}).items() if v}}
    law.check_notification(
        kind=kind,
        submitted_at=submitted_at,
        deadline_at=incident.deadline_at,
        now=now,
        meldnummer=meldnummer,
        reasons_for_delay=reasons_for_delay,
        answers=given,
        follows=list(follows),
        has_initial=initial is not None,
        is_withdrawn=incident.is_withdrawn,
        initial_submitted_at=initial.submitted_at if initial else None,
        initial_meldnummer=initial.meldnummer if initial else "",
        aware_at=incident.aware_at,
        note=note,
        gives=list(gives),
        owed=list(incident.owed_parts or ()),
        meldnummer_taken=meldnummer_taken,
        receipt_at=receipt_at,
        is_provisional=is_provisional,
    )
    return given


def _initial(incident: Checked) -> Any:
    return next((n for n in reversed(incident.notifications) if n.kind == "initial"), None)


def _meldnummer_taken(incident: Incident, meldnummer: str) -> bool:
    """R10: one meldnummer, one incident, within an organisation's register."""
    if not meldnummer:
        return False
    return (
        db.session.scalar(
            sa.select(Incident.id).where(
                Incident.organisation_id == incident.organisation_id,
                Incident.id != incident.id,
                sa.func.upper(Incident.meldnummer) == meldnummer.upper(),
            )
        )
        is not None
    )


def record_subject_communication(
    incident: Incident,
    actor: User,
    now: datetime,
    *,
    sent_at: datetime | None,
    channel: str,
    people_reached: int | None,
    text: str,
    shortfall_reason: str = "",
    names_contact: bool = False,
    names_consequences: bool = False,
    names_measures: bool = False,
    imported: bool = False,
) -> SubjectCommunication:
    """R7, R12: date, channel, people reached and the text sent (Art. 34(2))."""
    check_subject_act(
        incident,
        now,
        sent_at=sent_at,
        channel=channel,
        people_reached=people_reached,
        text=text,
        shortfall_reason=shortfall_reason,
        names_contact=names_contact,
        names_consequences=names_consequences,
        names_measures=names_measures,
        imported=imported,
    )
    before = incident.audit_state()
    record = SubjectCommunication(
        incident=incident,
        sent_at=sent_at,
        channel=channel,
        people_reached=people_reached,
        text=text.strip(),
        shortfall_reason=shortfall_reason.strip(),
        names_contact=names_contact,
        names_consequences=names_consequences,
        names_measures=names_measures,
        recorded_by_id=actor.id,
        created_at=now,
    )
    if incident.subjects_informed_at is None or (
        sent_at and sent_at < incident.subjects_informed_at
    ):
        incident.subjects_informed_at = sent_at
    return _file_subject_record(incident, record, "subjects.informed", actor, now, before)


def check_subject_act(
    incident: Checked,
    now: datetime,
    *,
    sent_at: datetime | None,
    channel: str,
    people_reached: int | None,
    text: str,
    shortfall_reason: str = "",
    names_contact: bool = False,
    names_consequences: bool = False,
    names_measures: bool = False,
    imported: bool = False,
) -> None:
    """What `record_subject_communication` refuses, before anything is written."""
    _refuse_if_closed(incident)
    law.check_subject_communication(
        sent_at=sent_at,
        channel=channel,
        people_reached=people_reached,
        text=text,
        now=now,
        aware_at=incident.aware_at,
        people_min=incident.people_min,
        shortfall_reason=shortfall_reason,
        names_contact=names_contact,
        names_consequences=names_consequences,
        names_measures=names_measures,
        imported=imported,
    )


def record_exemption(
    incident: Incident,
    actor: User,
    now: datetime,
    *,
    ground: str,
    rationale: str,
    public_communication: str = "",
    public_sent_at: datetime | None = None,
    public_channel: str = "",
    imported: bool = False,
) -> SubjectCommunication:
    """R8, R13: an Art. 34(3) exemption with its ground, reasoning and the facts it rests on."""
    check_exemption_act(
        incident,
        now,
        ground=ground,
        rationale=rationale,
        public_communication=public_communication,
        public_sent_at=public_sent_at,
        public_channel=public_channel,
        imported=imported,
    )
    disproportionate = ground == "disproportionate"
    before = incident.audit_state()
    record = SubjectCommunication(
        incident=incident,
        is_exemption=True,
        ground=ground,
        rationale=rationale.strip(),
        public_communication=public_communication.strip(),
        public_sent_at=public_sent_at if disproportionate else None,
        public_channel=public_channel if disproportionate else "",
        recorded_by_id=actor.id,
        created_at=now,
    )
    incident.exemption_ground = ground
    return _file_subject_record(incident, record, "subjects.exempted", actor, now, before)


def check_exemption_act(
    incident: Checked,
    now: datetime,
    *,
    ground: str,
    rationale: str,
    public_communication: str = "",
    public_sent_at: datetime | None = None,
    public_channel: str = "",
    imported: bool = False,
) -> None:
    """What `record_exemption` refuses, before anything is written."""
    _refuse_if_closed(incident)
    law.check_exemption(
        ground=ground,
        rationale=rationale,
        public_communication=public_communication,
        is_protected=incident.is_protected,
        protection_details=incident.protection_details,
        public_sent_at=public_sent_at,
        public_channel=public_channel,
        now=now,
        imported=imported,
    )


def _file_subject_record(
    incident: Incident,
    record: SubjectCommunication,
    action: str,
    actor: User,
    now: datetime,
    before: dict[str, Any],
) -> SubjectCommunication:
    """Store an Art. 34 record with its audit event; the incident's change is audited next."""
    db.session.add(record)
    db.session.flush()
    chain.record(
        action, record, actor=actor, now=now, after=record.audit_state(), incident_id=incident.id
    )
    _changed(incident, before, "incident.updated", actor, now)
    reminders.plan(incident, now, actor=actor)
    return record


def open_measures(incident: Checked) -> list[str]:
    return [m.description for m in incident.measures if m.done_at is None]


def close(
    incident: Incident,
    actor: User,
    now: datetime,
    evaluation: str = "",
    open_measures_confirmed: bool = False,
) -> Incident:
    """R6, R16: refused, with what is missing, while the law or the record asks for something.

    Measures may stay open; the officer confirms which, and that confirmation is the close
    event's reason, so the history shows who closed with what still to do.
    """
    check_close_act(incident, open_measures_confirmed)
    still_open = open_measures(incident)
    before = incident.audit_state()
    if evaluation.strip():
        incident.evaluation = evaluation.strip()
    incident.closed_at = now
    incident.status = "closed"
    incident.updated_at = now
    old, new = chain.rules.changes(before, incident.audit_state())
    chain.record(
        "incident.closed",
        incident,
        actor=actor,
        now=now,
        before=old,
        after=new,
        incident_id=incident.id,
        reason=("closed with open measures: " + "; ".join(still_open)) if still_open else "",
    )
    reminders.plan(incident, now, actor=actor)
    reminders.cancel_provisional(incident, now)
    return incident


def check_close_act(incident: Checked, open_measures_confirmed: bool = False) -> None:
    """What `close` refuses (R6, R16), before anything is written."""
    _refuse_if_closed(incident)
    problems: list[Problem] = []
    checks = [lambda: law.check_close(situation(incident))]
    if incident.is_personal_data_breach:
        # a report found not to be a breach stays with its rationale, without the Art. 33(5) entry
        checks.append(
            lambda: law.check_record(
                cause=incident.cause,
                consequences=incident.consequences,
                measures=len(incident.measures),
                open_measures=open_measures(incident),
                open_measures_confirmed=open_measures_confirmed,
            )
        )
    for check in checks:
        try:
            check()
        except RuleViolation as violation:
            problems += violation.problems
    if problems:
        raise RuleViolation(problems)


def reopen(incident: Incident, actor: User, now: datetime, reason: str) -> Incident:
    if incident.status != "closed":
        raise RuleViolation([Problem("status", N_("This incident is not closed."))])
    if not reason.strip():
        raise RuleViolation([Problem("reason", N_("Give a reason for reopening."))])
    before = incident.audit_state()
    incident.closed_at = None
    incident.status = "open"
    _changed(incident, before, "incident.reopened", actor, now, reason=reason.strip())
    reminders.plan(incident, now, actor=actor)
    return incident


def _refuse_if_closed(incident: Recorded) -> None:
    if incident.status == "closed":
        raise RuleViolation([Problem("status", N_("This incident is closed; reopen it first."))])
