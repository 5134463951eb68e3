"""Moving an incident filed under the wrong organisation to the right one.

Each organisation is a controller with its own register and refs, so a report filed under
the wrong B.V. gets a new ref in the right one. It may move only before the AP is notified:
a notification names the controller and its meldnummer, and the register must keep saying
what was sent in whose name. Only an officer of both organisations moves it, so nobody
reads or places anything in a register they have no part in. The old ref is kept: search
finds it and its address leads to the incident, now under its new ref.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..audit import chain
from ..db import UTCDateTime
from ..domain.deadlines import to_local
from ..domain.errors import N_, Problems
from ..extensions import db
from ..orgs import scope
from ..orgs.models import Organisation
from .models import Incident
from .refs import next_ref

if TYPE_CHECKING:
    from ..auth.models import User


class FormerRef(db.Model):  # type: ignore[name-defined,misc]
    """A ref an incident had in the organisation it was first filed under."""

    __tablename__ = "former_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        sa.ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(sa.String(32), unique=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)


def move_incident(
    incident: Incident, target: Organisation | None, actor: User, now: datetime, reason: str
) -> Incident:
    problems = Problems()
    if target is None or not target.is_active:
        problems.add("organisation_id", N_("Choose an active organisation."))
    elif target.id == incident.organisation_id:
        problems.add("organisation_id", N_("The incident is already in this organisation."))
    elif not (
        scope.may(actor, "can_handle", incident.organisation_id)
        and scope.may(actor, "can_handle", target.id)
    ):
        problems.add(
            "organisation_id", N_("Only an officer of both organisations can move an incident.")
        )
    if incident.notified_at is not None or incident.notifications:
        problems.add(
            "organisation_id",
            N_("The AP has been notified in this organisation's name: it can no longer move."),
        )
    if not reason.strip():
        problems.add("reason", N_("Say why the incident belongs to the other organisation."))
    problems.raise_if_any()
    assert target is not None
    before = {"organisation_id": incident.organisation_id, "ref": incident.ref}
    db.session.add(
        FormerRef(
            incident_id=incident.id,
            ref=incident.ref,
            organisation_id=incident.organisation_id,
            moved_at=now,
        )
    )
    year = to_local(incident.aware_at, target.timezone).year
    incident.ref = next_ref(target, year)
    incident.ref_year = year
    incident.organisation_id = target.id
    incident.organisation = target
    # the assignee must be an officer of the organisation the incident is in
    if incident.assignee is not None and not incident.assignee.can_handle_in(target.id):
        incident.assignee_id = None
    incident.updated_at = now
    db.session.flush()
    chain.record(
        "incident.moved",
        incident,
        actor=actor,
        now=now,
        before=before,
        after={"organisation_id": target.id, "ref": incident.ref},
        incident_id=incident.id,
        reason=reason.strip(),
    )
    return incident


def by_former_ref(ref: str) -> Incident | None:
    return db.session.scalars(
        sa.select(Incident)
        .join(FormerRef, FormerRef.incident_id == Incident.id)
        .where(FormerRef.ref == ref.upper())
    ).first()


def former_refs_matching(pattern: Any) -> sa.ColumnElement[bool]:
    """Incidents one of whose former refs matches the LIKE `pattern`."""
    return Incident.id.in_(
        sa.select(FormerRef.incident_id).where(FormerRef.ref.ilike(pattern, escape="\\"))
    )


_TABLE_SEEN: set[str] = set()


def any_moved() -> bool:
    """Whether any incident ever moved: searches ask for former refs only then. (A database
    still at an older schema, as in a test of older migrations, has no table for them.)"""
    url = str(db.engine.url)
    if url not in _TABLE_SEEN:
        if not sa.inspect(db.session.connection()).has_table(FormerRef.__tablename__):
            return False
        _TABLE_SEEN.add(url)
    return db.session.execute(sa.select(FormerRef.id).limit(1)).first() is not None
