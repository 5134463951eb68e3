"""APScheduler only drives the tick, every 30 seconds; the row claim keeps it correct.

Started by `breachlog serve` (SCHEDULER = "inline") or by `breachlog scheduler` alone; never
when the app is created or imported, never in tests.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask

from .. import clock
from ..audit import seal
from ..extensions import db
from ..ops import heartbeat
from . import smtp, tick

if TYPE_CHECKING:  # APScheduler is imported by the processes that schedule, not by every command
    from apscheduler.schedulers.background import BackgroundScheduler

INTERVAL_SECONDS = 30
JOB_ID = "reminders-tick"
ANCHOR_JOB_ID = "audit-anchor"
ANCHOR_HOURS = 24
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
logger = logging.getLogger(__name__)
_running: BackgroundScheduler | None = None  # the one this process started, for /healthz


def run_tick(app: Flask, stop: threading.Event | None = None) -> tick.TickResult | None:
    """The job: one tick in an app context of its own. Errors are logged; the next run comes.
    It first records the sender's heartbeat, which /readyz reads."""
    with app.app_context():
        try:
            heartbeat.beat(clock.now())
            with smtp.Session() as send:
                result = tick.tick(
                    clock.now(), send, should_stop=stop.is_set if stop is not None else None
                )
        except sa.exc.DBAPIError as exc:
            db.session.rollback()
            database_down(exc, clock.now())
            return None
        except Exception:
            logger.exception("reminder tick failed; trying again in %s s", INTERVAL_SECONDS)
            db.session.rollback()
            return None
        finally:
            db.session.remove()
    _outage["since"] = None
    for line in summary(result):
        logger.info("%s", line)
    return result


def run_anchor(app: Flask) -> None:
    """The daily job: the audit chain's head to the anchors file (see audit/seal.py)."""
    with app.app_context():
        try:
            seal.anchor("daily")
        except Exception:
            logger.exception("the audit head could not be anchored; trying again tomorrow")
        finally:
            db.session.remove()


# a database that is away is said once a minute in one line, not with a traceback per tick
DATABASE_DOWN_EVERY = timedelta(minutes=1)
_outage: dict[str, datetime | None] = {"since": None, "said": None}


def database_down(exc: sa.exc.DBAPIError, now: datetime) -> None:
    said = _outage["said"]
    if _outage["since"] is None:
        _outage["since"] = now
    elif said is not None and now - said < DATABASE_DOWN_EVERY:
        return
    _outage["said"] = now
    reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
    logger.error(
        "database unreachable since %s, no reminders sent: %s",
        f"{_outage['since']:%Y-%m-%dT%H:%M:%SZ}",
        reason[:300],
    )


def summary(result: tick.TickResult) -> list[str]:
    lines = []
    for what, labels in (
        ("sent", result.sent),
        ("retry later", result.retried),
        ("failed", result.failed),
        ("superseded", result.superseded),
        ("cancelled", result.cancelled),
    ):
        lines += [
            f"{what:<11} {label}"
            + (f": {result.reasons[label]}" if label in result.reasons else "")
            for label in labels
        ]
    return lines


def create(app: Flask, stop: threading.Event | None = None) -> BackgroundScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        run_tick,
        "interval",
        seconds=INTERVAL_SECONDS,
        args=(app, stop),
        id=JOB_ID,
        coalesce=True,  # after a pause, one run, not one per missed interval
        max_instances=1,
        misfire_grace_time=None,  # a late run still runs
        next_run_time=clock.now(),  # the first run at start
    )
    scheduler.add_job(
        run_anchor,
        "interval",
        hours=ANCHOR_HOURS,
        args=(app,),
        id=ANCHOR_JOB_ID,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=clock.now(),
    )
    return scheduler


def should_start_inline(
    config: Mapping[str, Any], *, use_reloader: bool, environ: Mapping[str, str]
) -> bool:
    """In `serve`, when configured inline, and only in the process that serves: under
    Werkzeug's reloader the parent only watches files and restarts the child
    (WERKZEUG_RUN_MAIN=true), which would start a second scheduler."""
    if config.get("SCHEDULER") != "inline" or config.get("TESTING"):
        return False
    return not use_reloader or environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_inline(app: Flask, use_reloader: bool = False) -> BackgroundScheduler | None:
    global _running
    if not should_start_inline(app.config, use_reloader=use_reloader, environ=os.environ):
        return None
    if _running is not None:
        return _running
    _running = create(app)
    _running.start()
    return _running


def is_running() -> bool:
    return _running is not None and _running.running


def shutdown_inline() -> None:
    global _running
    if _running is not None:
        _running.shutdown(wait=False)
        _running = None


def run_foreground(app: Flask, announce: Any = print) -> None:
    """`breachlog scheduler`: the same job alone, until SIGTERM or SIGINT. A tick in progress
    finishes the mail it is sending; rows it claimed but did not reach go back at once."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    scheduler = create(app, stop)
    scheduler.start()
    announce(f"Sending reminders every {INTERVAL_SECONDS} seconds. Stop with Ctrl+C.")
    try:
        while not stop.wait(1.0):  # the signal handler sets it; a short wait stays responsive
            pass
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    announce("Stopped.")
