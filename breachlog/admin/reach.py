"""Whom an admin manages: an installation admin everyone; an organisation's admin its members.

An organisation's admin changes a user's password, two-factor login or tokens only when every
membership of that user is in organisations they administer: otherwise the admin of one
organisation could take over an account that reads another's register. A user they share
no organisation with answers 404, like an unknown id.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort

from ..auth.models import User
from ..extensions import db
from ..orgs.members import Membership
from ..orgs.models import Organisation


def managed_organisation_ids(admin: Any) -> set[int]:
    if admin.is_installation_admin:
        return set(db.session.scalars(sa.select(Organisation.id)))
    return set(admin.organisation_ids_where("can_administer"))


def managed_organisations(admin: Any) -> list[Organisation]:
    query = sa.select(Organisation).order_by(Organisation.name)
    if not admin.is_installation_admin:
        query = query.where(Organisation.id.in_(sorted(managed_organisation_ids(admin))))
    return list(db.session.scalars(query))


def users_query(admin: Any) -> sa.Select[Any]:
    query = sa.select(User).order_by(User.email)
    if admin.is_installation_admin:
        return query
    shared = sa.select(Membership.user_id).where(
        Membership.organisation_id.in_(sorted(managed_organisation_ids(admin)))
    )
    return query.where(User.id.in_(shared))


def shares_organisation(admin: Any, user: User) -> bool:
    if admin.is_installation_admin:
        return True
    return bool(set(user.roles_by_organisation()) & managed_organisation_ids(admin))


def manages_account(admin: Any, user: User) -> bool:
    """May change the account itself: password, two-factor login, tokens, name, active."""
    if admin.is_installation_admin:
        return True
    if user.is_installation_admin:
        return False
    held = set(user.roles_by_organisation())
    return bool(held) and held <= managed_organisation_ids(admin)


def user_or_404(admin: Any, user_id: int, *, account: bool = True) -> User:
    """The user, if `admin` manages them (their account too, when `account`)."""
    user = db.session.get(User, user_id)
    if user is None or not shares_organisation(admin, user):
        abort(404)
    if account and not manages_account(admin, user):
        abort(403)
    return user


def organisation_or_404(admin: Any, organisation_id: int) -> Organisation:
    if organisation_id not in managed_organisation_ids(admin):
        abort(404)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation
