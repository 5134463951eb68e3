"""GET /healthz: is the database there, and are reminders going out. No login.

200 while the database answers, also when reminders failed: the app still works, and a
monitor reads "degraded" and the counts. 503 only without a database.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from . import clock
from .extensions import csrf, db
from .reminders import scheduler, status

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
        try:
            reminders = {
                "failed": status.failed_count(),
                "pending_overdue": status.pending_overdue_count(clock.now()),
            }
        except sa.exc.SQLAlchemyError as exc:  # e.g. a database not yet upgraded
            db.session.rollback()
            reminders = {"error": type(exc).__name__}
    if not database["ok"]:
        state = "error"
    elif reminders is None or "error" in reminders or reminders["failed"]:
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
