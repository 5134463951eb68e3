from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime
from ..extensions import db
from ..incidents.models import Incident

PENDING, SENDING, SENT, FAILED, SUPERSEDED, CANCELLED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "superseded",
    "cancelled",
)
STATUSES = (PENDING, SENDING, SENT, FAILED, SUPERSEDED, CANCELLED)


class Reminder(db.Model):  # type: ignore[name-defined,misc]
    """The outbox row of one reminder mail. The tick claims, sends and marks it."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("incident_id", "stage"),
        sa.Index("ix_reminders_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id"), index=True)
    measure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("measures.id"))
    notification_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notifications.id"))
    # deadline | subjects | new_report | measure_due | provisional
    kind: Mapped[str] = mapped_column(sa.String(16))
    stage: Mapped[str] = mapped_column(sa.String(64))
    purpose: Mapped[str] = mapped_column(sa.String(16), default="")
    level: Mapped[str] = mapped_column(sa.String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str] = mapped_column(sa.String(100), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    recipients: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    incident: Mapped[Incident] = relationship()

    def audit_state(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "status": self.status,
            "due_at": self.due_at.isoformat(),
            "recipients": list(self.recipients or []),
            "attempts": self.attempts,
            "last_error": self.last_error,
        }
