"""A reminder's lease, and writes that outlast a lost database connection.

Why a mail goes out once: a row is sent only by the worker that holds its lease, and the
lease is renewed, and checked, right before the mail server is called. The renewal is one
conditional UPDATE, so of two workers at most one wins it; the other sends nothing. A batch's
claim is only a reservation: rows waiting behind a slow mail server may lose it to another
worker, and then this one skips them. The lease (5 minutes) is far longer than one mail can
take (the SMTP timeout is 30 s per step), so the row being sent is never taken meanwhile.

Why a sent mail is not sent again: the server's OK is written as the row's status at once,
and that write is retried across a reconnect (a database restart, a connection killed), for
up to `PATIENCE`. Only when the database stays away longer than that does the row stay
"sending" until its lease runs out and another worker sends it once more (with the same
Message-ID).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa

from ..db import writing
from ..extensions import db
from .models import SENDING, Reminder

LEASE = timedelta(minutes=5)
PATIENCE = 120.0  # seconds a write waits for the database to come back
FIRST_PAUSE, LONGEST_PAUSE = 0.1, 5.0
logger = logging.getLogger(__name__)
T = TypeVar("T")


def is_passing(error: BaseException) -> bool:
    """A lost connection or a database not yet back: worth trying again on a new one."""
    if isinstance(error, sa.exc.DBAPIError):
        return bool(error.connection_invalidated) or isinstance(
            error, sa.exc.OperationalError | sa.exc.InterfaceError
        )
    return False


def durably(
    write: Callable[[], T],
    what: str,
    pause: Callable[[float], None] = time.sleep,
    patience: float = PATIENCE,
) -> T:
    """Run `write` (which commits) until it succeeds; a passing database fault rolls back,
    waits a little longer each time, and tries again on a new connection."""
    waited, wait = 0.0, FIRST_PAUSE
    while True:
        try:
            return write()
        except sa.exc.DBAPIError as error:
            with contextlib.suppress(sa.exc.DBAPIError):
                db.session.rollback()  # on a dead connection: the pool gives a new one next
            if not is_passing(error) or waited >= patience:
                raise
            logger.warning(
                "%s: the database is away (%s); trying again in %.1f s",
                what,
                str(error.orig or error).strip().splitlines()[0] if error.orig else error,
                wait,
            )
            pause(wait)
            waited += wait
            wait = min(wait * 2, LONGEST_PAUSE)


def renew(row_id: int, worker: str, at: datetime, lease: timedelta = LEASE) -> bool:
    """Extend this worker's lease on a row it still holds; False when it lost it (another
    worker claimed it, or the lease ran out). Committed before anything is sent."""
    with writing():
        renewed = db.session.execute(
            sa.update(Reminder)
            .where(
                Reminder.id == row_id,
                Reminder.status == SENDING,
                Reminder.claimed_by == worker,
                Reminder.lease_until > at,
            )
            .values(lease_until=at + lease)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return bool(renewed.rowcount)  # type: ignore[attr-defined]
