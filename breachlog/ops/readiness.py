"""GET /readyz: can breachlog do its work now? For monitors, which read the status code.

/healthz says the process answers (liveness); /readyz answers 503, with every reason in the
body, as soon as anything a privacy officer relies on is not fine: the database reachable,
writable and at the schema this code expects, a reminder sender seen within the last two
ticks, no reminder left overdue, and mail being delivered. The version and the schema
revision are in the body, so an upgrade half done shows here too.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, jsonify

from .. import __version__, clock, migrating
from ..extensions import csrf, db
from ..health import write_problem
from ..reminders import status
from . import heartbeat

bp = Blueprint("ops", __name__)
csrf.exempt(bp)


@cache
def expected_revisions() -> tuple[str, ...]:
    """The newest migration(s) this code ships."""
    # Alembic is imported here, not above: every process that makes the app imports this
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", migrating.DIRECTORY)
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def database_revisions() -> tuple[str, ...]:
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(db.session.connection())
    return tuple(sorted(context.get_current_heads()))


def problems(now: datetime) -> tuple[list[str], dict[str, Any]]:
    """Every reason breachlog is not ready, in words, and the facts behind them."""
    facts: dict[str, Any] = {"version": __version__, "expected_schema": expected_revisions()}
    try:
        facts["schema"] = database_revisions()
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return [f"database unreachable: {type(exc).__name__}"], facts
    found = []
    if facts["schema"] != facts["expected_schema"]:
        found.append(
            f"database schema at {', '.join(facts['schema']) or 'nothing'}, this version needs "
            f"{', '.join(facts['expected_schema'])}: run `breachlog init-db`"
        )
        return found, facts  # the other checks read tables that may not be there yet
    problem = write_problem()
    if problem is not None:
        found.append(f"database cannot take a write: {problem}")
    seen = heartbeat.last_seen()
    facts["sender_seen_at"] = seen.isoformat() if seen else None
    if heartbeat.senders_seen(now) == 0:
        found.append(
            "no reminder sender running: none seen since "
            + (f"{seen:%Y-%m-%d %H:%M:%S} UTC" if seen else "the start")
            + " (run `breachlog scheduler`, or `serve` with SCHEDULER = inline)"
        )
    overdue = status.pending_overdue_count(now)
    facts["reminders_overdue"] = overdue
    if overdue:
        found.append(f"{overdue} reminder(s) overdue and not sent")
    delivering, failed = status.mail_delivering(now)
    facts["reminders_failed"] = failed
    if not delivering:
        found.append(f"mail not delivered: {failed} reminder(s) failed (see the dashboard)")
    return found, facts


@bp.get("/readyz")
def readyz() -> Any:
    found, facts = problems(clock.now())
    body = {"status": "not ready" if found else "ready", "problems": found} | facts
    return jsonify(body), 503 if found else 200
