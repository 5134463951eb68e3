"""Organisations: the controllers whose registers this installation keeps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..audit import chain
from ..domain.deadlines import is_valid_zone
from ..domain.errors import N_, Problems
from ..domain.refs import is_valid_prefix
from ..extensions import db
from .models import Organisation

FIELDS = (
    "name",
    "kvk_number",
    "ref_prefix",
    "fg_name",
    "fg_email",
    "escalation_emails",
    "timezone",
    "is_active",
    "two_factor_required",
    "four_eyes_required",
)


def create_organisation(values: Mapping[str, Any], *, actor: Any, now: datetime) -> Organisation:
    data = {
        "kvk_number": "",
        "fg_name": "",
        "fg_email": "",
        "escalation_emails": "",
        "timezone": "Europe/Amsterdam",
        "is_active": True,
        "ref_prefix": "DL",
        "two_factor_required": False,
        "four_eyes_required": False,
    }
    data.update({k: v for k, v in values.items() if k in FIELDS})
    data = _clean(data)
    _check(data, None)
    org = Organisation(created_at=now, **data)
    db.session.add(org)
    db.session.flush()
    chain.record("organisation.created", org, actor=actor, now=now, after=org.audit_state())
    return org


def update_organisation(
    org: Organisation, changes: Mapping[str, Any], *, actor: Any, now: datetime
) -> Organisation:
    data = org.audit_state()
    data.update({k: v for k, v in changes.items() if k in FIELDS})
    data = _clean(data)
    _check(data, org)
    before = org.audit_state()
    for key, value in data.items():
        setattr(org, key, value)
    old, new = chain.rules.changes(before, org.audit_state())
    if new:
        chain.record("organisation.updated", org, actor=actor, now=now, before=old, after=new)
    return org


def active() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.is_active.is_(True))
            .order_by(Organisation.name)
        )
    )


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("name", "kvk_number", "fg_name", "fg_email", "escalation_emails", "timezone"):
        data[key] = (data.get(key) or "").strip()
    data["ref_prefix"] = (data.get("ref_prefix") or "").strip().upper()
    data["fg_email"] = data["fg_email"].lower()
    return data


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text


def _check(data: dict[str, Any], current: Organisation | None) -> None:
    problems = Problems()
    if not data["name"]:
        problems.add("name", N_("Give the organisation's legal name."))
    elif _taken(Organisation.name, data["name"], current):
        problems.add("name", N_("An organisation with this name already exists."))
    if data["kvk_number"] and not (data["kvk_number"].isdigit() and len(data["kvk_number"]) == 8):
        problems.add("kvk_number", N_("A KvK number has 8 digits."))
    if not is_valid_prefix(data["ref_prefix"]):
        problems.add(
            "ref_prefix", N_("Use 1 to 10 capital letters or digits, starting with a letter.")
        )
    elif _taken(Organisation.ref_prefix, data["ref_prefix"], current):
        problems.add(
            "ref_prefix", N_("Another organisation uses this prefix; refs must stay unique.")
        )
    elif (
        current is not None
        and data["ref_prefix"] != current.ref_prefix
        and _has_incidents(current)
    ):
        problems.add("ref_prefix", N_("The prefix cannot change once incidents have refs."))
    if data["fg_email"] and not _looks_like_email(data["fg_email"]):
        problems.add("fg_email", N_("Give a valid e-mail address."))
    bad = [
        e
        for e in data["escalation_emails"].replace(";", ",").split(",")
        if e.strip() and not _looks_like_email(e.strip())
    ]
    if bad:
        problems.add(
            "escalation_emails",
            N_("Not an e-mail address: %(list)s."),
            list=", ".join(e.strip() for e in bad),
        )
    if not is_valid_zone(data["timezone"]):
        problems.add("timezone", N_("Unknown time zone: %(name)s."), name=data["timezone"])
    problems.raise_if_any()


def _taken(column: Any, value: str, current: Organisation | None) -> bool:
    query = sa.select(Organisation.id).where(column == value)
    if current is not None:
        query = query.where(Organisation.id != current.id)
    return db.session.execute(query).first() is not None


def _has_incidents(org: Organisation) -> bool:
    from ..incidents.models import Incident

    return (
        db.session.execute(
            sa.select(Incident.id).where(Incident.organisation_id == org.id).limit(1)
        ).first()
        is not None
    )
