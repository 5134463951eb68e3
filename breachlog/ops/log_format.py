"""The one format of every log line, breachlog's and gunicorn's alike (gunicorn_conf.py):
time in UTC with its zone, level, logger, message; or one JSON object per line. Kept apart
from logs.py, which needs Flask and the database, so gunicorn's master can use it before
any app is loaded."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


class UTCFormatter(logging.Formatter):
    """2026-12-06T05:08:32.123+00:00 INFO breachlog.access: GET /login 200 12 ms"""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JSONFormatter(UTCFormatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def formatter(log_format: str) -> logging.Formatter:
    return JSONFormatter() if log_format == "json" else UTCFormatter()
