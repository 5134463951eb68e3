"""Who may do what, per organisation.

A user has a role in each organisation they are a member of (membership: user x organisation
x role). What a role allows is the same in every organisation; what a user may do with an
incident depends on their role in that incident's organisation alone. Admins can do
everything an officer can, and manage their organisation's members. An installation admin
manages organisations and every user, but reads a register only as a member of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    REPORTER = "reporter"
    VIEWER = "viewer"


ROLES = tuple(r.value for r in Role)
# the strongest first: what one name shows for a user with several memberships
RANK = (Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.REPORTER)


def can_report(role: str) -> bool:
    """Every employee may report a suspected breach, management included: the 72 hours run
    from the moment anyone in the organisation knows (Art. 33(1))."""
    return role in ROLES


def can_read_all(role: str) -> bool:
    return role in (Role.ADMIN, Role.OFFICER, Role.VIEWER)


def can_handle(role: str) -> bool:
    return role in (Role.ADMIN, Role.OFFICER)


def can_administer(role: str) -> bool:
    return role == Role.ADMIN


def is_member(role: str) -> bool:
    return role in ROLES


CHECKS: dict[str, Callable[[str], bool]] = {
    "can_report": can_report,
    "can_read_all": can_read_all,
    "can_handle": can_handle,
    "can_administer": can_administer,
    "is_member": is_member,
}


def organisation_ids_where(roles: Mapping[int, str], check: str) -> set[int]:
    """The organisations (id -> the user's role there) where the role passes `check`."""
    allowed = CHECKS[check]
    return {organisation_id for organisation_id, role in roles.items() if allowed(role)}


def strongest(roles: Iterable[str]) -> str:
    """One name for a user's roles, e.g. in a list of users; '' for no membership."""
    held = set(roles)
    return next((role.value for role in RANK if role in held), "")
