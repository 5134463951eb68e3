"""Bookkeeping beside a request: when a token was last used, login failures counted and
cleared. Best effort, in a transaction of its own, so that a database that takes no writes
(read-only, disk full) still serves every read and every login; only acts are refused.

It also says a storage fault once a minute in the log, not once per request: a full disk
under load would otherwise write a traceback for every page asked for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from .db import wants_write
from .errors import storage_fault
from .extensions import db

LOG_EVERY = 60.0  # seconds between two log lines about the same storage fault
SHORT_WAIT_MS = 200  # SQLite: how long bookkeeping waits for the write lock
logger = logging.getLogger(__name__)
_said: dict[str, float] = {}
_lock = threading.Lock()


def once_a_minute(kind: str, clock: Callable[[], float] = time.monotonic) -> bool:
    """True when `kind` was not logged in the last minute (and notes that it is now)."""
    moment = clock()
    with _lock:
        if moment - _said.get(kind, float("-inf")) < LOG_EVERY:
            return False
        _said[kind] = moment
        return True


def say_storage_fault(error: BaseException, what: str) -> None:
    fault = storage_fault(error) or type(error).__name__
    if once_a_minute(fault):
        logger.error(
            "the database takes no writes (%s): %s refused; reads go on (said once a minute): %s",
            fault,
            what,
            getattr(error, "orig", None) or error,
        )


def best_effort(work: sa.Executable | Callable[[Any], object], what: str) -> bool:
    """Run a write (a statement, or a function of a connection) in its own short
    transaction; a refusal is logged (once a minute) and otherwise ignored. Returns whether
    it was written. A request that writes anyway keeps it in its own transaction: on SQLite
    it holds the write lock already."""
    run = work if callable(work) else (lambda connection: connection.execute(work))
    if wants_write():
        run(db.session)
        return True
    try:
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            with connection.begin():
                if sqlite:  # a busy writer elsewhere must not hold up a page for 30 s
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={SHORT_WAIT_MS}")
                run(connection)
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=30000")
                connection.rollback()
    except sa.exc.SQLAlchemyError as error:
        if storage_fault(error) is not None:
            say_storage_fault(error, what)
        elif once_a_minute(f"bookkeeping {type(error).__name__}"):
            logger.warning("%s skipped (said once a minute): %s", what, error)
        return False
    return True
