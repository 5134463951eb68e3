"""The reminder sender says it is alive at the start of every tick.

/readyz cannot see another process's scheduler thread; a row in the database it can see,
whichever process or host sends. One row per sender (host and process id), so two senders
running by mistake show as two rows; rows of senders long gone are cleared as they age.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..db import writing
from ..extensions import db
from .models import SenderHeartbeat

# a sender beats every tick (30 s); one not seen for two ticks is not sending
STALE_AFTER = timedelta(seconds=60)
FORGET_AFTER = timedelta(days=1)


def sender_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def beat(now: datetime, sender: str | None = None) -> None:
    """Record that this sender is ticking now, in a transaction of its own."""
    name = sender or sender_name()
    with writing():
        row = db.session.get(SenderHeartbeat, name)
        if row is None:
            db.session.add(SenderHeartbeat(sender=name, seen_at=now))
        else:
            row.seen_at = now
        db.session.execute(
            sa.delete(SenderHeartbeat).where(SenderHeartbeat.seen_at < now - FORGET_AFTER)
        )
        db.session.commit()


def last_seen() -> datetime | None:
    return db.session.scalar(sa.select(sa.func.max(SenderHeartbeat.seen_at)))


def senders_seen(now: datetime) -> int:
    """How many senders ticked within the last two ticks."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count()).where(SenderHeartbeat.seen_at >= now - STALE_AFTER)
        )
        or 0
    )
