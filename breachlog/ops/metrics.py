"""GET /metrics: counts for Prometheus, in its text format.

From the database, the same for every process: reminders by state, overdue reminders,
the last tick of a sender, open and overdue incidents. Per process (labelled with its pid,
as each gunicorn worker counts its own): requests by method and status, and their
duration. Only loopback may ask, or whoever sends METRICS_TOKEN as a Bearer token; the
numbers hold no breach details, only counts over every organisation.
"""

from __future__ import annotations

import hmac
import os
import threading
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, jsonify, request

from .. import clock
from ..extensions import db
from ..incidents.models import Incident
from ..reminders.models import STATUSES, Reminder
from ..reminders.status import pending_overdue_count
from . import heartbeat
from .readiness import bp

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LOOPBACK = ("127.0.0.1", "::1")
_lock = threading.Lock()
_requests: dict[tuple[str, str], int] = {}
_durations = {"count": 0, "sum": 0.0, "buckets": [0] * len(BUCKETS)}


def count_request(method: str, status: int, seconds: float) -> None:
    with _lock:
        key = (method, str(status))
        _requests[key] = _requests.get(key, 0) + 1
        _durations["count"] += 1  # type: ignore[operator]
        _durations["sum"] += seconds  # type: ignore[operator]
        for number, bound in enumerate(BUCKETS):
            if seconds <= bound:
                _durations["buckets"][number] += 1  # type: ignore[index]


def allowed() -> bool:
    token = str(current_app.config.get("METRICS_TOKEN") or "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.remote_addr in LOOPBACK


@bp.get("/metrics")
def metrics() -> Any:
    if not allowed():
        return jsonify(error="metrics are for loopback or the METRICS_TOKEN only"), 403
    lines = database_lines(clock.now()) + process_lines()
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")


def database_lines(now: datetime) -> list[str]:
    by_status = dict(
        db.session.execute(
            sa.select(Reminder.status, sa.func.count(Reminder.id)).group_by(Reminder.status)
        ).all()
    )
    lines = [
        "# HELP breachlog_reminders Reminder e-mails by state.",
        "# TYPE breachlog_reminders gauge",
    ]
    lines += [f'breachlog_reminders{{state="{s}"}} {by_status.get(s, 0)}' for s in STATUSES]
    seen = heartbeat.last_seen()
    open_incidents = sa.and_(Incident.status != "closed")
    clock_running = sa.and_(
        open_incidents,
        Incident.is_personal_data_breach.is_(True),
        Incident.notified_at.is_(None),
        Incident.risk.in_(("unassessed", "risk", "high")),
    )
    return lines + [
        "# HELP breachlog_reminders_overdue Reminders due over five minutes ago, not sent.",
        "# TYPE breachlog_reminders_overdue gauge",
        f"breachlog_reminders_overdue {pending_overdue_count(now)}",
        "# HELP breachlog_last_tick_seconds When a reminder sender last ticked (Unix time).",
        "# TYPE breachlog_last_tick_seconds gauge",
        f"breachlog_last_tick_seconds {seen.timestamp() if seen else 0:.0f}",
        "# HELP breachlog_incidents_open Incidents not closed.",
        "# TYPE breachlog_incidents_open gauge",
        f"breachlog_incidents_open {_count(open_incidents)}",
        "# HELP breachlog_incidents_overdue Incidents past the 72 hours, the AP not notified.",
        "# TYPE breachlog_incidents_overdue gauge",
        f"breachlog_incidents_overdue {_count(clock_running, Incident.deadline_at < now)}",
    ]


def _count(*conditions: Any) -> int:
    return int(db.session.scalar(sa.select(sa.func.count(Incident.id)).where(*conditions)) or 0)


def process_lines() -> list[str]:
    pid = os.getpid()
    with _lock:
        requests = sorted(_requests.items())
        count, total = _durations["count"], _durations["sum"]
        buckets = list(_durations["buckets"])  # type: ignore[call-overload]
    lines = [
        "# HELP breachlog_requests_total Requests answered by this process.",
        "# TYPE breachlog_requests_total counter",
    ]
    lines += [
        f'breachlog_requests_total{{pid="{pid}",method="{m}",status="{s}"}} {n}'
        for (m, s), n in requests
    ]
    lines += [
        "# HELP breachlog_request_seconds Time to answer a request, in this process.",
        "# TYPE breachlog_request_seconds histogram",
    ]
    lines += [
        f'breachlog_request_seconds_bucket{{pid="{pid}",le="{bound}"}} {n}'
        for bound, n in zip(BUCKETS, buckets, strict=True)
    ]
    lines += [
        f'breachlog_request_seconds_bucket{{pid="{pid}",le="+Inf"}} {count}',
        f'breachlog_request_seconds_sum{{pid="{pid}"}} {total:.3f}',
        f'breachlog_request_seconds_count{{pid="{pid}"}} {count}',
    ]
    return lines
