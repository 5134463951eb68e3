"""Who gets a reminder: the escalation level of its stage, read against today's users."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from ..auth.models import User
from ..domain import reminders as rules
from ..domain.roles import Role
from ..extensions import db
from ..incidents.models import Incident, Measure
from ..orgs.members import members
from .models import Reminder

# enough to tell an address from a name in a measure's owner field; the server judges the rest
ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str


def officers(organisation_id: int) -> list[User]:
    """The organisation's active officers; its admins when there are none, so a reminder
    always has a reader. Never anyone of another organisation: the mail holds the breach."""
    for role in (Role.OFFICER, Role.ADMIN):
        users = [
            user
            for user in members(organisation_id, "can_handle")
            if user.role_in(organisation_id) == role.value
        ]
        if users:
            return users
    return []


def _assignee_or_officers(incident: Incident) -> list[User]:
    assignee = incident.assignee
    if (
        assignee is not None
        and assignee.is_active
        and assignee.can_handle_in(incident.organisation_id)
    ):
        return [assignee]
    return officers(incident.organisation_id)


def for_reminder(row: Reminder) -> list[Recipient]:
    """assignee: the incident's assignee (all officers when none); officers: all officers;
    management: the organisation's escalation addresses and all officers. A measure's
    reminder goes to its owner when the owner is an e-mail address."""
    incident = row.incident
    addresses: list[str] = []
    if row.kind == "measure_due":
        measure = db.session.get(Measure, row.measure_id) if row.measure_id else None
        owner = measure.owner.strip() if measure else ""
        # an owner's address that is no member's (typed before this was checked) gets nothing
        if ADDRESS.match(owner) and owner.lower() in _member_addresses(incident):
            addresses.append(owner)
    if row.level == rules.MANAGEMENT:
        addresses += incident.organisation.escalation_list
    users: list[User] = []
    if row.level == rules.ASSIGNEE and not addresses:
        users = _assignee_or_officers(incident)
    elif row.level != rules.ASSIGNEE:
        users = officers(incident.organisation_id)
    return _with_languages(addresses, users)


def _member_addresses(incident: Incident) -> set[str]:
    return {user.email.lower() for user in members(incident.organisation_id)}


def _with_languages(addresses: list[str], users: list[User]) -> list[Recipient]:
    """Users read their own language; a plain address reads the default (Dutch), unless it
    belongs to a user. Each address once."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    known = {user.email.lower(): user for user in users}
    if addresses:
        lowered = [address.lower() for address in addresses]
        for user in db.session.scalars(
            sa.select(User).where(sa.func.lower(User.email).in_(lowered))
        ):
            known.setdefault(user.email.lower(), user)
    result: dict[str, Recipient] = {}
    for email in [*addresses, *(user.email for user in users)]:
        reader = known.get(email.lower())
        language = reader.language if reader is not None else default
        if language not in languages:
            language = default
        result.setdefault(email.lower(), Recipient(email, language))
    return list(result.values())
