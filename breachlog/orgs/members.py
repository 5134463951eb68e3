"""Memberships: who works for which organisation, in which role.

A membership is the only way into an organisation's register: every query, page, export,
mail and API call is scoped by them (see scope.py). Each change is audited like every other
change to users and organisations.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit import chain
from ..db import UTCDateTime
from ..domain.errors import N_, Problems
from ..domain.roles import ROLES
from ..extensions import db
from .models import Organisation

if TYPE_CHECKING:
    from ..auth.models import User


class Membership(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def audit_state(self) -> dict[str, object]:
        return {
            "user": self.user.email if self.user else self.user_id,
            "organisation_id": self.organisation_id,
            "role": self.role,
        }


def set_membership(
    user: User, organisation: Organisation | None, role: str, *, actor: Any, now: datetime
) -> Membership:
    """Make `user` a member of `organisation` in `role`, or change the role they have there."""
    problems = Problems()
    if organisation is None:
        problems.add("organisation_id", N_("Choose an organisation."))
    if role not in ROLES:
        problems.add("role", N_("Choose one of: %(roles)s."), roles=", ".join(ROLES))
    problems.raise_if_any()
    assert organisation is not None
    found = membership_of(user, organisation.id)
    if found is not None:
        if found.role != role:
            before = found.audit_state()
            found.role = role
            chain.record(
                "membership.changed",
                found,
                actor=actor,
                now=now,
                before=before,
                after=found.audit_state(),
            )
        return found
    membership = Membership(user=user, organisation=organisation, role=role, created_at=now)
    db.session.add(membership)
    db.session.flush()
    chain.record(
        "membership.added", membership, actor=actor, now=now, after=membership.audit_state()
    )
    return membership


def end_membership(membership: Membership, *, actor: Any, now: datetime) -> None:
    before = membership.audit_state()
    chain.record("membership.ended", membership, actor=actor, now=now, before=before)
    db.session.delete(membership)
    db.session.flush()


def membership_of(user: User, organisation_id: int) -> Membership | None:
    return next((m for m in user.memberships if m.organisation_id == organisation_id), None)


def members(organisation_id: int, check: str = "is_member") -> list[User]:
    """The active users whose role in the organisation passes `check`, by id."""
    from ..auth.models import User
    from ..domain.roles import CHECKS

    roles = [role for role in ROLES if CHECKS[check](role)]
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role.in_(roles),
                User.is_active_user.is_(True),
            )
            .order_by(User.id)
        )
    )
