"""GET /healthz: is the database there, can it take a write, and are reminders going out.
No login.

200 while the database answers and can write, also when reminders failed: the app still
works, and a monitor reads "degraded" and the counts. The first failed delivery makes it
"degraded" at once (mail_trouble), not only the last retry an hour later. 503 without a
database, or with one that refuses writes (read-only, or a full disk), since no report
could be saved.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from . import clock
from .db import sqlite_path
from .errors import storage_fault
from .extensions import csrf, db
from .incidents.models import RefCounter
from .reminders import scheduler, status

# SQLite: below this much free space beside the database file, report the disk as full
MIN_FREE_BYTES = 20 * 1024 * 1024

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    database: dict[str, Any] = {"backend": db.engine.dialect.name}
    reminders: dict[str, Any] | None = None
    try:
        db.session.execute(sa.text("SELECT 1"))
        database["ok"] = True
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        database.update(ok=False, error=type(exc).__name__)
    if database["ok"]:
        problem = write_problem()
        database["writable"] = problem is None
        if problem is not None:
            database.update(ok=False, error=problem)
    if database["ok"]:
        try:
            now = clock.now()
            reminders = {
                "failed": status.failed_count(),
                "pending_overdue": status.pending_overdue_count(now),
                # the reason is in the log and on the officers' dashboard, not here: no login
                "mail_trouble": status.mail_trouble(now) is not None,
            }
        except sa.exc.SQLAlchemyError as exc:  # e.g. a database not yet upgraded
            db.session.rollback()
            reminders = {"error": type(exc).__name__}
    if not database["ok"]:
        state = "error"
    elif (
        reminders is None
        or "error" in reminders
        or reminders["failed"]
        or reminders["mail_trouble"]
    ):
        state = "degraded"
    else:
        state = "ok"
    body: dict[str, Any] = {
        "status": state,
        "database": database,
        "scheduler": {
            "mode": current_app.config["SCHEDULER"],
            # this process; with mode "off" a separate `breachlog scheduler` sends them
            "running_here": scheduler.is_running(),
        },
    }
    if reminders is not None:
        body["reminders"] = reminders
    return jsonify(body), 200 if database["ok"] else 503


def write_problem() -> str | None:
    """Why a write would fail now, or None. Cheap, and it changes nothing: an UPDATE that
    matches no row still asks for the write lock, which a read-only database (SQLite) or a
    read-only transaction (a PostgreSQL standby) refuses; the rollback right after gives the
    lock back at once. It comes before any other read of this request, so SQLite never sees
    it as a stale reader. A rolled-back write never reaches the disk, so for SQLite the free
    space beside the file is checked too; a PostgreSQL server's disk is watched on that
    server."""
    try:
        db.session.execute(
            sa.update(RefCounter).where(sa.false()).values(last_seq=RefCounter.last_seq)
        )
    except sa.exc.SQLAlchemyError as exc:
        return storage_fault(exc) or type(exc).__name__
    finally:
        db.session.rollback()
    path = sqlite_path(db.engine.url)
    if path is not None:
        try:
            free = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
        except OSError:
            return "database folder missing"
        if free < MIN_FREE_BYTES:
            return "disk full"
    return None
