"""After a restore, reminders the backup still had waiting are held for an officer.

A backup cannot know which of its waiting reminders went out between the moment it was made
and the restore. Sending them again blindly could mail management twice (with the same
Message-ID, which mail programs may then drop as a copy), and not sending them could leave a
deadline unannounced. So each one already due is marked failed with the reason: the
dashboard lists it with "Send again", and the incident's history says what happened.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..audit import chain
from ..db import writing
from ..extensions import db
from .models import FAILED, PENDING, SENDING, Reminder
from .tick import ACTOR

HELD = (
    "Held after restoring a backup: this reminder may have gone out between the backup and "
    "the restore. Check with the recipients, then send it again if needed."
)


def hold_after_restore(now: datetime) -> int:
    """Mark every reminder that was waiting and is due by now; returns how many."""
    with writing():
        rows = db.session.scalars(
            sa.select(Reminder).where(
                Reminder.status.in_((PENDING, SENDING)), Reminder.due_at <= now
            )
        ).all()
        for row in rows:
            row.status, row.last_error = FAILED, HELD
            row.claimed_by, row.lease_until, row.updated_at = "", None, now
            chain.record(
                "reminder.failed",
                row,
                actor=ACTOR,
                now=now,
                after=row.audit_state(),
                incident_id=row.incident_id,
            )
        db.session.commit()
    return len(rows)
