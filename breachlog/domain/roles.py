"""Who may do what. Admins can do everything an officer can, and manage the installation."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    REPORTER = "reporter"
    VIEWER = "viewer"


ROLES = tuple(r.value for r in Role)


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
