from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.chain import jsonable
from ..db import UTCDateTime
from ..extensions import db
from ..incidents.models import Incident


class Notification(db.Model):  # type: ignore[name-defined,misc]
    """One submission to the AP: the initial notification, a supplement or a withdrawal."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meldnummer: Mapped[str] = mapped_column(sa.String(64))
    is_provisional: Mapped[bool] = mapped_column(default=False)
    is_late: Mapped[bool] = mapped_column(default=False)
    reasons_for_delay: Mapped[str] = mapped_column(sa.Text, default="")
    # the answers as submitted, frozen: later edits of the incident do not change them
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    follows: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # R11: the owed parts a supplement gives
    parts_given: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # the AP's confirmation of receipt, as it came
    receipt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt_text: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship(back_populates="notifications")

    def audit_state(self) -> dict[str, Any]:
        return {
            name: jsonable(getattr(self, name))
            for name in (
                "kind",
                "submitted_at",
                "meldnummer",
                "is_provisional",
                "is_late",
                "reasons_for_delay",
                "follows",
                "parts_given",
                "receipt_at",
                "receipt_text",
                "note",
            )
        }


class SubjectCommunication(db.Model):  # type: ignore[name-defined,misc]
    """Art. 34: what the people concerned were told, or why they were not (an exemption)."""

    __tablename__ = "subject_communications"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id"), index=True)
    is_exemption: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(sa.String(32), default="")
    people_reached: Mapped[int | None]
    text: Mapped[str] = mapped_column(sa.Text, default="")
    ground: Mapped[str] = mapped_column(sa.String(32), default="")
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    public_communication: Mapped[str] = mapped_column(sa.Text, default="")
    public_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public_channel: Mapped[str] = mapped_column(sa.String(32), default="")
    # R12: fewer reached than concerned, and the officer's word on what the text names
    shortfall_reason: Mapped[str] = mapped_column(sa.Text, default="")
    names_contact: Mapped[bool] = mapped_column(default=False)
    names_consequences: Mapped[bool] = mapped_column(default=False)
    names_measures: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship(back_populates="subject_communications")

    def audit_state(self) -> dict[str, Any]:
        return {
            name: jsonable(getattr(self, name))
            for name in (
                "is_exemption",
                "sent_at",
                "channel",
                "people_reached",
                "text",
                "ground",
                "rationale",
                "public_communication",
                "public_sent_at",
                "public_channel",
                "shortfall_reason",
                "names_contact",
                "names_consequences",
                "names_measures",
            )
        }
