"""Two demo organisations with their users and a year of realistic breaches, made through the
services: Groen (the main one, demo_data) and Blauw Zorg (demo_blauw), whose people see
nothing of Groen's register and the other way round.

Every act (report, assignment, assessment, notification, communication, measure, closing)
happens at its own moment in the past, in order, so the history tab and the audit chain
read like a real year. The scenarios themselves are in `demo_data`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import force_locale

from . import demo_blauw, demo_data
from .auth import services as auth
from .auth.models import User
from .demo_data import ORGANISATION, Step
from .domain.deadlines import to_local, zone
from .domain.errors import N_, Problem, RuleViolation
from .extensions import db
from .incidents import services as incidents
from .incidents.models import EDITABLE_FIELDS, Incident
from .notifications import services as notifications
from .notifications.letters import subject_letter
from .orgs import services as orgs
from .orgs.models import Organisation

ACTOR = "demo"
SUBMITTED_BEFORE = timedelta(minutes=20)  # the officer records what the AP confirmed by mail

Act = tuple[datetime, int, Callable[[], None]]


class Demo(NamedTuple):
    organisation: Organisation  # the main one, Groen
    users: list[User]
    incidents: list[Incident]
    password: str
    organisations: list[Organisation]


def create_demo(now: datetime) -> Demo:
    """Create the demo organisation, its users and incidents; the caller commits."""
    now = now.astimezone(UTC).replace(microsecond=0)
    taken = db.session.execute(
        sa.select(Organisation.id).where(Organisation.name == ORGANISATION["name"])
    ).first()
    if taken:
        raise RuleViolation([Problem("organisation", N_("The demo organisation already exists."))])
    tz = ORGANISATION["timezone"]
    start = datetime(to_local(now, tz).year, 1, 1, tzinfo=zone(tz)).astimezone(UTC)
    if now - start < timedelta(days=60):
        start = now - timedelta(days=365)  # early in the year: show the past twelve months
    usable = now - timedelta(days=5) - start

    setup_at = start - timedelta(days=14)
    password = secrets.token_urlsafe(12)
    made: list[Incident] = []
    acts: list[Act] = []
    everyone: list[User] = []
    organisations: list[Organisation] = []
    first_n = 0
    for data, prefixes in ((demo_data, ["DL", "GRN", "DEMO"]), (demo_blauw, demo_blauw.PREFIXES)):
        org = orgs.create_organisation(
            {**data.ORGANISATION, "ref_prefix": _free_prefix(list(prefixes))},
            actor=ACTOR,
            now=setup_at,
        )
        users = {
            key: auth.create_user(
                f"{mailbox}@{data.DOMAIN}",
                role,
                password,
                actor=ACTOR,
                now=setup_at,
                name=name,
                language=language,
                organisation_id=org.id,
            )
            for key, mailbox, name, role, language in data.USERS
        }
        if not organisations:
            # Groen's admin also runs the installation: sees both organisations' settings
            # and users, and still only Groen's register
            auth.update_user(
                users["admin"], {"is_installation_admin": True}, actor=ACTOR, now=setup_at
            )
        organisations.append(org)
        everyone.extend(users.values())
        for n, spec in enumerate(data.SCENARIOS, start=first_n):
            if "hours_ago" in spec:
                aware_at = (now - timedelta(hours=spec["hours_ago"])).replace(second=0)
            else:
                day = to_local(start + usable * spec["at"], tz).date()
                aware_at = _at(day, 9 + (n * 3) % 8, (n * 17) % 60, tz)
            acts.extend(_acts(spec, aware_at, org, users, made, n))
        first_n += len(data.SCENARIOS)
    # Acts that would lie in the future (a long tail late in a short year) simply wait.
    # Dutch throughout: what is frozen into AP notifications and the letters is as sent.
    with force_locale("nl"):
        for at, _, act in sorted(acts, key=lambda a: (a[0], a[1])):
            if at <= now:
                act()
    return Demo(organisations[0], everyone, made, password, organisations)


def _facts(spec: dict[str, Any], aware_at: datetime) -> dict[str, Any]:
    """The incident as reported: the scenario's facts with its moments made absolute."""
    facts = {k: v for k, v in spec.items() if k in EDITABLE_FIELDS}
    facts["aware_at"] = aware_at
    facts["discovered_at"] = aware_at - timedelta(hours=spec.get("discovered_hours", 0.5))
    facts["occurred_from"] = aware_at - timedelta(hours=spec.get("occurred_hours", 2))
    if "lasted_hours" in spec:
        facts["occurred_until"] = facts["occurred_from"] + timedelta(hours=spec["lasted_hours"])
    if "processor_hours" in spec:
        knew, told = spec["processor_hours"]
        facts["processor_aware_at"] = aware_at - timedelta(hours=knew)
        facts["processor_notified_at"] = aware_at - timedelta(hours=told)
    return facts


def _acts(
    spec: dict[str, Any],
    aware_at: datetime,
    org: Organisation,
    users: dict[str, User],
    made: list[Incident],
    n: int,
) -> list[Act]:
    """Every act of one scenario with its moment; `mine` holds the incident once reported."""
    facts = _facts(spec, aware_at)
    reported_at = aware_at + timedelta(minutes=15)
    mine: list[Incident] = []

    def report() -> None:
        incident = incidents.report_incident(users[spec["by"]], org, facts, reported_at)
        mine.append(incident)
        made.append(incident)

    acts: list[Act] = [(reported_at, n, report)]
    handler = users[spec.get("assign", "fg")]
    if "assign" in spec:
        at = aware_at + timedelta(hours=2)
        acts.append((at, n, _later(mine, _assign, users["fg"], at, {"assignee": handler})))
    for kind, text, owner, days, is_done in spec.get("measures", ()):
        at = aware_at + timedelta(days=days, hours=3)
        args = {"kind": kind, "text": text, "owner": owner, "is_done": is_done}
        acts.append((at, n, _later(mine, _measure, handler, at, args)))
    step: Step
    for step in spec.get("steps", ()):
        at = aware_at + timedelta(hours=step.hours)
        actor = users[step.by] if step.by else handler
        args = dict(step.args)
        if step.act == "notify" and step.args["kind"] == "initial":
            args["meldnummer"] = _meldnummer(at, org.timezone, n)
        acts.append((at, n, _later(mine, ACTS[step.act], actor, at, args)))
    return acts


def _later(
    mine: list[Incident],
    act: Callable[..., object],
    actor: User,
    at: datetime,
    args: dict[str, Any],
) -> Callable[[], None]:
    def run() -> None:
        act(mine[0], actor, at, **args)

    return run


# One small function per act; each is the service call a privacy officer's click makes.


def _assign(incident: Incident, actor: User, at: datetime, *, assignee: User) -> None:
    incidents.update_incident(incident, {"assignee_id": assignee.id}, actor, at)


def _update(incident: Incident, actor: User, at: datetime, **facts: Any) -> None:
    # the meldformulier's dates are told relative to the step: authorities the same day
    if "subjects_planned_days" in facts:
        days = facts.pop("subjects_planned_days")
        facts["subjects_planned_on"] = (at + timedelta(days=days)).date()
    if "other_authorities" in facts:
        facts["other_authorities"] = [
            {**entry, "notified_on": at.date()} for entry in facts["other_authorities"]
        ]
    incidents.update_incident(incident, facts, actor, at)


def _assess(
    incident: Incident, actor: User, at: datetime, *, facts: dict[str, Any], **assessment: Any
) -> None:
    if facts:  # cause and consequences are facts, saved with the assessment
        incidents.update_incident(incident, facts, actor, at)
    notifications.assess(incident, actor, at, **assessment)


def _notify(incident: Incident, actor: User, at: datetime, **notification: Any) -> None:
    # who notifies: as the form fills it in, from the account of the officer recording it
    notifier = {} if incident.notifier_name else {"notifier_name": actor.name}
    if not incident.notifier_email:
        notifier["notifier_email"] = actor.email
    notifications.record_notification(
        incident,
        actor,
        at,
        submitted_at=at - SUBMITTED_BEFORE,
        notifier=notifier,
        **notification,
    )


def _inform(
    incident: Incident,
    actor: User,
    at: datetime,
    *,
    channel: str,
    people_reached: int,
    told: str,
    shortfall_reason: str,
) -> None:
    if incident.subject_description != told:
        incidents.update_incident(incident, {"subject_description": told}, actor, at)
    notifications.record_subject_communication(
        incident,
        actor,
        at,
        sent_at=at - SUBMITTED_BEFORE,
        channel=channel,
        people_reached=people_reached,
        text=subject_letter(incident, "nl"),
        shortfall_reason=shortfall_reason,
        # the officer read the letter through before sending it
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )


def _exempt(incident: Incident, actor: User, at: datetime, **exemption: Any) -> None:
    if exemption.get("public_channel"):
        exemption["public_sent_at"] = at - SUBMITTED_BEFORE
    notifications.record_exemption(incident, actor, at, **exemption)


def _close(incident: Incident, actor: User, at: datetime, *, evaluation: str) -> None:
    # the officer closes knowing which measures are still open (R16)
    notifications.close(incident, actor, at, evaluation=evaluation, open_measures_confirmed=True)


def _measure(
    incident: Incident,
    actor: User,
    at: datetime,
    *,
    kind: str,
    text: str,
    owner: str,
    is_done: bool,
) -> None:
    incidents.add_measure(
        incident,
        actor,
        at,
        kind=kind,
        description=text,
        owner=owner,
        due_on=None if is_done else (at + timedelta(days=30)).date(),
        done_at=at if is_done else None,
    )


ACTS: dict[str, Callable[..., None]] = {
    "update": _update,
    "assess": _assess,
    "notify": _notify,
    "inform": _inform,
    "exempt": _exempt,
    "close": _close,
}


def _meldnummer(at: datetime, tz: str, n: int) -> str:
    """An AP meldnummer as the meldformulier returns it: year and a number rising over it."""
    local = to_local(at - SUBMITTED_BEFORE, tz)
    return f"M-{local.year}-{local.timetuple().tm_yday * 71 + n % 71:05d}"


def _at(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone(tz)).astimezone(UTC)


def _free_prefix(candidates: list[str]) -> str:
    """The first free one of `candidates`, else one of its own (refs stay unique)."""
    used = set(db.session.scalars(sa.select(Organisation.ref_prefix)))
    candidates = candidates + [f"{candidates[-1]}{n}" for n in range(2, len(used) + 3)]
    return next(prefix for prefix in candidates if prefix not in used)
