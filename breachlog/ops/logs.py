"""Logs an operator can read and search: one format, UTC times with their zone.

Every line: time (UTC, ISO 8601 with +00:00), level, logger, message; with
LOG_FORMAT = "json" one JSON object per line with the same fields and the event's details.
What is logged, and where it comes from:

- breachlog.access: one line per request (method, path, status, milliseconds, address,
  user, and whether a session or an API token was used);
- breachlog.security: logins that succeed or fail, throttled accounts and addresses, forms
  refused for a missing or wrong CSRF token;
- breachlog.audit: every audit event once its transaction is committed (a new report,
  admin acts, changes to incidents and users), so the log never shows what was rolled back;
- breachlog.reminders: a reminder that failed or is retried, with the mail server's answer.

Security and audit lines are taken from the rows the app writes anyway (audit events, login
failures), after the commit: what the log says happened, happened.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, request
from flask_login import current_user, user_logged_in
from flask_wtf.csrf import CSRFError

from ..db import wants_write
from ..extensions import db
from .log_format import formatter

access = logging.getLogger("breachlog.access")
security = logging.getLogger("breachlog.security")
audit = logging.getLogger("breachlog.audit")
reminders = logging.getLogger("breachlog.reminders")
PENDING_LINES = "breachlog.log_lines"
_installed: dict[str, bool] = {}


def install_handler(log_format: str) -> None:
    """Once per process: our format on standard error (systemd's journal takes it from
    there), for our loggers and every other library's, gunicorn's included."""
    if _installed.get("handler"):
        return
    _installed["handler"] = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("breachlog").setLevel(logging.INFO)
    for name in ("gunicorn.error", "gunicorn.access"):
        for other in logging.getLogger(name).handlers:
            other.setFormatter(formatter(log_format))


def init_app(app: Flask) -> None:
    if not app.config.get("TESTING"):
        install_handler(str(app.config.get("LOG_FORMAT", "text")))
    app.before_request(_start_clock)
    app.after_request(_log_request)
    _log_csrf_refusals(app)
    if not _installed.get("signals"):
        _installed["signals"] = True
        user_logged_in.connect(_logged_in)
        _log_login_failures()
        sa.event.listen(db.session, "after_flush", _collect)
        sa.event.listen(db.session, "after_commit", _emit)
        sa.event.listen(db.session, "after_rollback", _forget)


def log(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    """A line with its details as fields, for the JSON format."""
    logger.log(level, message, extra={"fields": fields})


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Any) -> Any:
    started = g.get("request_started")
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    g.request_ms = elapsed
    try:
        user = current_user.get_id() if current_user.is_authenticated else None
    except sa.exc.SQLAlchemyError:  # the database went away during the request
        user = None
    how = "token" if request.headers.get("Authorization", "").startswith("Bearer ") else "session"
    log(
        access,
        logging.INFO,
        f"{request.method} {request.path} {response.status_code} {elapsed:.0f} ms "
        f"from {request.remote_addr} user={user or '-'} auth={how if user else '-'}",
        method=request.method,
        path=request.path,
        status=response.status_code,
        ms=round(elapsed, 1),
        address=request.remote_addr,
        user=user,
        auth=how if user else None,
    )
    from . import metrics

    metrics.count_request(request.method, response.status_code, elapsed / 1000)
    return response


def _logged_in(app: Flask, user: Any, **_: Any) -> None:
    log(
        security,
        logging.INFO,
        f"login ok: {user.email} from {request.remote_addr}",
        event="login_ok",
        email=user.email,
        address=request.remote_addr,
    )


def _log_login_failures() -> None:
    """Failed logins are counted with plain SQL upserts (no ORM objects to watch): the
    counting function is wrapped, and the counts it left are said after the commit."""
    from ..auth import throttle

    counted = throttle.record_failure

    def record_failure(email: str, address: str | None, now: datetime, **how: Any) -> None:
        counted(email, address, now, **how)
        wanted = sa.select(throttle.LoginFailure.key, throttle.LoginFailure.failures).add_columns(
            throttle.LoginFailure.blocked_until
        )
        wanted = wanted.where(
            throttle.LoginFailure.key.in_(throttle.keys(email, address, how.get("device")))
        )
        if wants_write():  # counted in the request's transaction: said after its commit
            rows = db.session.execute(wanted).all()
            lines = db.session.info.setdefault(PENDING_LINES, [])
        else:  # counted and committed beside the request (bookkeeping.py): said now
            with db.engine.connect() as connection:
                rows = connection.execute(wanted).all()
            lines = []
        for key, failures, blocked_until in rows:
            what, _, who = key.partition(":")
            if what == "device":  # counted on its own (auth/devices.py): name whose it is
                what, who = "account", f"{email.strip().lower()[:254]} from a known browser"
            if blocked_until is not None:
                message = f"throttled: {what} {who} after {failures} failed logins"
                lines.append((security, logging.WARNING, message, {"event": "throttled"}))
            else:
                message = f"login failed: {what} {who} ({failures} in a row)"
                lines.append((security, logging.WARNING, message, {"event": "login_failed"}))
        if not wants_write():
            for logger, level, message, fields in lines:
                log(logger, level, message, **fields)

    throttle.record_failure = record_failure  # type: ignore[assignment]


def _log_csrf_refusals(app: Flask) -> None:
    """Wrap the page the app shows for a refused form, so the refusal is logged too."""
    handlers = app.error_handler_spec.setdefault(None, {}).setdefault(400, {})
    shown = handlers.get(CSRFError)
    if shown is None:
        return

    def logged(error: CSRFError) -> Any:
        log(
            security,
            logging.WARNING,
            f"form refused ({error.description}): {request.method} {request.path} "
            f"from {request.remote_addr}",
            event="csrf_refused",
            path=request.path,
            address=request.remote_addr,
        )
        return shown(error)

    handlers[CSRFError] = logged


def _collect(session: Any, flush_context: Any) -> None:
    """Lines for what this flush wrote; said only once the transaction commits."""
    from ..audit.models import AuditEvent
    from ..reminders.models import FAILED, PENDING, Reminder

    lines = session.info.setdefault(PENDING_LINES, [])
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, AuditEvent) and obj in session.new:
            lines.append(
                (
                    audit,
                    logging.INFO,
                    f"{obj.action} {obj.object_type}:{obj.object_id} by {obj.actor}",
                    {"event": obj.action, "actor": obj.actor, "object": obj.object_type},
                )
            )
        elif isinstance(obj, Reminder) and obj.last_error and obj.status in (FAILED, PENDING):
            history = sa.inspect(obj).attrs.last_error.history
            if history.has_changes():
                outcome = "failed" if obj.status == FAILED else "will be retried"
                lines.append(
                    (
                        reminders,
                        logging.WARNING,
                        f"reminder {obj.id} ({obj.kind} {obj.stage}) {outcome}: {obj.last_error}",
                        {"event": "reminder_" + obj.status, "reminder": obj.id},
                    )
                )


def _emit(session: Any) -> None:
    for logger, level, message, fields in session.info.pop(PENDING_LINES, []):
        log(logger, level, message, **fields)


def _forget(session: Any) -> None:
    session.info.pop(PENDING_LINES, None)
