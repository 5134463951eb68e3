"""Every setting checked before breachlog serves anything.

A setting that cannot work must stop the process at its start, with a message naming the
setting, rather than turn up later as a failed request: a wrong reminder offset would
otherwise let the app start and then refuse every new report. `serve`, `scheduler` and the
app factory gunicorn calls all refuse to start on a problem listed here; `check-config`
lists them all without starting anything.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from datetime import timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import keys
from .domain.reminders import OffsetError, parse_offsets

try:  # gunicorn stops all workers, without a traceback, on its own "cannot load the app"
    from gunicorn.errors import AppImportError as _Refusal
except ImportError:  # pragma: no cover - gunicorn is a dependency; this keeps imports light
    _Refusal = Exception  # type: ignore[misc,assignment]

SCHEDULER_MODES = ("inline", "off")
LOG_FORMATS = ("text", "json")
# the name in config.py, and the environment variable that sets it
NAMES = {
    "SQLALCHEMY_DATABASE_URI": "BREACHLOG_DATABASE_URL",
    "SECRET_KEY": "BREACHLOG_SECRET_KEY",
    "ENCRYPTION_KEY": "BREACHLOG_ENCRYPTION_KEY",
    "AUDIT_KEY": "BREACHLOG_AUDIT_KEY",
    "SESSION_ABSOLUTE_LIFETIME": "BREACHLOG_SESSION_HOURS",
    "API_TOKEN_DAYS": "BREACHLOG_API_TOKEN_DAYS",
    "SMTP_HOST": "BREACHLOG_SMTP_HOST",
    "SMTP_PORT": "BREACHLOG_SMTP_PORT",
    "SMTP_USER": "BREACHLOG_SMTP_USER",
    "SMTP_PASSWORD": "BREACHLOG_SMTP_PASSWORD",
    "SMTP_STARTTLS": "BREACHLOG_SMTP_STARTTLS",
    "SMTP_TIMEOUT": "BREACHLOG_SMTP_TIMEOUT",
    "MAIL_FROM": "BREACHLOG_MAIL_FROM",
    "BASE_URL": "BREACHLOG_BASE_URL",
    "TIMEZONE": "BREACHLOG_TIMEZONE",
    "SCHEDULER": "BREACHLOG_SCHEDULER",
    "REMINDER_OFFSETS": "BREACHLOG_REMINDER_OFFSETS",
    "PROXY_FIX": "BREACHLOG_PROXY_FIX",
    "LOG_FORMAT": "BREACHLOG_LOG_FORMAT",
    "METRICS_TOKEN": "BREACHLOG_METRICS_TOKEN",
    "INSTANCE_PATH": "BREACHLOG_INSTANCE_PATH",
}


class StartRefused(_Refusal):
    """breachlog must not start this way; the text says why and what to do."""


class InvalidSettings(StartRefused):
    """Raised by the app factory; its text lists every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(refusal_text(problems))


def refusal_text(problems: list[str]) -> str:
    lines = ["breachlog cannot start: these settings are wrong."]
    lines += [f"  {problem}" for problem in problems]
    lines.append("Fix them in config.py in the instance folder or in the environment.")
    return "\n".join(lines)


def label(key: str) -> str:
    env = NAMES.get(key)
    return f"{key} ({env})" if env else key


def problems(config: Mapping[str, Any], instance_path: str) -> list[str]:
    """What is wrong with these settings, each line starting with the setting's name."""
    found: list[str] = []

    def wrong(key: str, why: str) -> None:
        found.append(f"{label(key)}: {why}")

    for key, why in config.get("UNREADABLE_SETTINGS", {}).items():
        wrong(key, why)
    unreadable = set(config.get("UNREADABLE_SETTINGS", {}))

    def check(key: str) -> Any:
        return None if key in unreadable else config.get(key)

    url = check("SQLALCHEMY_DATABASE_URI")
    if url is not None:
        why = database_problem(url)
        if why:
            wrong("SQLALCHEMY_DATABASE_URI", why)
    host = check("SMTP_HOST")
    if host is not None and (not isinstance(host, str) or not host.strip()):
        wrong("SMTP_HOST", "give the name of the mail server, e.g. smtp.example.nl")
    port = check("SMTP_PORT")
    if port is not None and (not _whole(port) or not 1 <= port <= 65535):
        wrong("SMTP_PORT", f"{port!r} is not a port number (1-65535)")
    timeout = check("SMTP_TIMEOUT")
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        wrong("SMTP_TIMEOUT", f"{timeout!r} is not a number of seconds above 0")
    starttls = check("SMTP_STARTTLS")
    if starttls is not None and not isinstance(starttls, bool):
        wrong("SMTP_STARTTLS", f"{starttls!r}: use True or False (true/false in the environment)")
    sender = check("MAIL_FROM")
    if sender is not None:
        address = parseaddr(str(sender))[1]
        local, _, domain = address.partition("@")
        if not local or not domain or "@" in domain:
            wrong("MAIL_FROM", f"{sender!r} is not an e-mail address")
    base = check("BASE_URL")
    if base is not None:
        parts = urlsplit(str(base))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            wrong(
                "BASE_URL",
                f"{base!r}: give the address people use, e.g. https://datalek.example.nl",
            )
    zone = check("TIMEZONE")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            wrong("TIMEZONE", f"{zone!r} is not a time zone; use e.g. Europe/Amsterdam")
    mode = check("SCHEDULER")
    if mode is not None and mode not in SCHEDULER_MODES:
        wrong("SCHEDULER", f"{mode!r}: use inline or off")
    offsets = check("REMINDER_OFFSETS")
    if offsets is not None:
        try:
            parse_offsets(str(offsets))
        except OffsetError as exc:
            wrong("REMINDER_OFFSETS", f"{exc}; the default is 48h,24h,12h,4h,1h,0h")
    hops = check("PROXY_FIX")
    if hops is not None and (not _whole(hops) or not 0 <= hops <= 10):
        wrong("PROXY_FIX", f"{hops!r}: give the number of proxies in front, 0 when none")
    log_format = check("LOG_FORMAT")
    if log_format is not None and log_format not in LOG_FORMATS:
        wrong("LOG_FORMAT", f"{log_format!r}: use text or json")
    encryption = check("ENCRYPTION_KEY")
    if encryption and not all(_fernet_key(key) for key in keys.parse(str(encryption))):
        # the key itself is never repeated: the message ends up in logs
        wrong(
            "ENCRYPTION_KEY",
            "not a key breachlog can use (44 characters, as `breachlog rotate-key` prints "
            "them, comma-separated while rotating); leave it out to keep the key in the "
            "instance folder",
        )
    lifetime = check("SESSION_ABSOLUTE_LIFETIME")
    if lifetime is not None:
        hours = _hours(lifetime)
        if hours is None or not math.isfinite(hours) or hours <= 0:
            wrong(
                "SESSION_ABSOLUTE_LIFETIME",
                f"{lifetime!r}: give the hours a login lasts, above 0 (in config.py a timedelta)",
            )
    days = check("API_TOKEN_DAYS")
    if days is not None and _whole_number(days) not in range(1, 367):
        wrong("API_TOKEN_DAYS", f"{days!r}: give the days a new API token works, 1 to 366")
    token = check("METRICS_TOKEN")
    if token and len(str(token)) < 16:
        wrong("METRICS_TOKEN", "use at least 16 characters, e.g. from `openssl rand -hex 16`")
    why = instance_problem(instance_path)
    if why:
        wrong("INSTANCE_PATH", why)
    return found


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_number(value: Any) -> int | None:
    """An int, or text holding one (what the code reading the setting accepts)."""
    if _whole(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _hours(value: Any) -> float | None:
    """A timedelta, or a number of hours (what auth/sessions.py accepts)."""
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode("ascii"))
    except ValueError:  # also a wrong length, bad base64 or a letter outside ASCII
        return False
    return True


def database_problem(url: Any) -> str | None:
    try:
        parsed = make_url(str(url))
    except ArgumentError:
        return (
            "not a database URL; use postgresql+psycopg://USER:PASSWORD@HOST/NAME "
            "(special characters in the password %-encoded) or leave it out for SQLite"
        )
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        return f"{parsed.get_backend_name()!r}: breachlog works with PostgreSQL or SQLite"
    return None


def instance_problem(instance_path: str) -> str | None:
    """The instance folder holds the data: never inside the installation, which a rebuild
    of the virtual environment would throw away."""
    here = os.path.realpath(instance_path)
    prefix = os.path.realpath(sys.prefix)
    if sys.prefix != sys.base_prefix and (here == prefix or here.startswith(prefix + os.sep)):
        return (
            f"{instance_path} is inside the Python environment and would be lost when it is "
            "rebuilt; set BREACHLOG_INSTANCE_PATH to a folder outside it, e.g. /var/lib/breachlog"
        )
    return None
