"""Configuration: defaults, then instance/config.py, then BREACHLOG_* environment variables."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_REMINDER_OFFSETS = "48h,24h,12h,4h,1h,0h"


def flag(value: str) -> bool:
    word = value.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("use true or false")


# Environment variable suffix -> (config key, parser)
ENVIRONMENT = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "ENCRYPTION_KEY": ("ENCRYPTION_KEY", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USER": ("SMTP_USER", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", flag),
    "SMTP_TIMEOUT": ("SMTP_TIMEOUT", float),
    "MAIL_FROM": ("MAIL_FROM", str),
    "BASE_URL": ("BASE_URL", str),
    "TIMEZONE": ("TIMEZONE", str),
    "SCHEDULER": ("SCHEDULER", str),
    "REMINDER_OFFSETS": ("REMINDER_OFFSETS", str),
    "PROXY_FIX": ("PROXY_FIX", int),
    "SESSION_HOURS": ("SESSION_ABSOLUTE_LIFETIME", lambda v: timedelta(hours=float(v))),
    "API_TOKEN_DAYS": ("API_TOKEN_DAYS", int),
    "AUDIT_KEY": ("AUDIT_KEY", str),
    "LOG_FORMAT": ("LOG_FORMAT", str),
    "METRICS_TOKEN": ("METRICS_TOKEN", str),
}


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "breachlog.sqlite"),
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 30,
        "MAIL_FROM": "breachlog@localhost",
        "BASE_URL": "http://127.0.0.1:5000",
        "TIMEZONE": "Europe/Amsterdam",
        "SCHEDULER": "inline",
        "REMINDER_OFFSETS": DEFAULT_REMINDER_OFFSETS,
        # how many reverse proxies in front whose X-Forwarded-For/-Proto are believed
        "PROXY_FIX": 0,
        # text: one line per event with a UTC time and its zone; json: one object per line
        "LOG_FORMAT": "text",
        # /metrics answers loopback only, or any address that sends this as a Bearer token
        "METRICS_TOKEN": "",
        "BABEL_DEFAULT_LOCALE": "nl",
        "LANGUAGES": ("nl", "en"),
        "PER_PAGE": 25,
        "PASSWORD_HASH_METHOD": "scrypt",
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "breachlog_session",
        # idle: a session unused this long ends (the cookie's signed timestamp and the server)
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        # absolute: however busy, a session ends this long after the login
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=12),
        # how long a new API token works unless its maker says otherwise
        "API_TOKEN_DAYS": 90,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    }


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        unreadable: dict[str, str] = {}
        try:
            app.config.from_pyfile("config.py", silent=True)
        except Exception as exc:  # config.py is Python: any mistake in it stops the start
            unreadable["config.py"] = f"cannot be read: {type(exc).__name__}: {exc}"
        for suffix, (key, parse) in ENVIRONMENT.items():
            value = os.environ.get("BREACHLOG_" + suffix)
            if value is not None and value != "":
                try:
                    app.config[key] = parse(value)
                except (ValueError, OverflowError):
                    # reported by check-config, and refused at start, with the setting's name
                    unreadable[key] = (
                        f"{value!r}: use true or false"
                        if parse is flag
                        else f"{value!r} is not a number"
                    )
        app.config["UNREADABLE_SETTINGS"] = unreadable
    else:
        app.config.from_mapping(test_config)
    # the session cookie travels only over HTTPS when breachlog is served over HTTPS
    if str(app.config["BASE_URL"]).startswith("https:"):
        app.config["SESSION_COOKIE_SECURE"] = True
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; the bare scheme would look for psycopg2
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + url[len("postgresql://") :]
        )
    try:
        options = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    except ArgumentError:  # not a URL: check-config names it, and nothing starts
        options = {}
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


def load_secret_key(app: Flask) -> None:
    """The keys and the SQLite database in the instance folder, made once the folder is
    known to be ours (take_instance_folder)."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if not app.config.get("ENCRYPTION_KEY"):
        from .keys import instance_key

        app.config["ENCRYPTION_KEY"] = instance_key(app.instance_path)
        app.config["ENCRYPTION_KEY_FILE"] = os.path.join(app.instance_path, "encryption_key")
    with contextlib.suppress(ArgumentError):
        private_sqlite_file(str(app.config["SQLALCHEMY_DATABASE_URI"]))


def private_sqlite_file(url: str) -> None:
    """Create the SQLite database readable by its owner only (0600) before SQLite would create
    it with the usual 0644; its journal files take the same mode from it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    # a folder that is not there is the database's own fault to report, not ours to make
    if not path.exists() and path.parent.is_dir():
        # another process starting at the same moment may have made it
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def take_instance_folder(instance_path: str) -> None:
    """Create the instance folder, readable by us only; refuse to work in one that belongs to
    another user. Run once as root, a command would otherwise leave files there (the secret
    key, the SQLite database) that the service, running as its own user, cannot read."""
    from .config_check import StartRefused

    path = Path(instance_path)
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        return
    owner = path.stat().st_uid
    if owner != os.geteuid():
        raise StartRefused(
            f"The instance folder {instance_path} belongs to {user_name(owner)}, and this "
            f"command runs as {user_name(os.geteuid())}. Run it as {user_name(owner)}, e.g. "
            f"sudo -u {user_name(owner)} breachlog ..., so that every file it makes stays "
            "readable by the service."
        )


def user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # We emit BEGIN ourselves (see db.py) so writers can take the lock up front.
        return {
            "connect_args": {"timeout": 30, "isolation_level": None, "check_same_thread": False}
        }
    # Per process. A gunicorn sync worker needs one connection at a time (two with a scheduler
    # in it), `serve` one per thread: 5 kept open covers both, 10 more for a burst, so four
    # workers stay far below PostgreSQL's default max_connections of 100. pool_pre_ping
    # replaces a connection the server dropped (restart, failover, idle timeout) before a
    # request uses it; pool_recycle renews connections before firewalls forget them.
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_recycle": 1800,
        "pool_timeout": 10,  # all connections busy for 10 s: answer 503 rather than hang
    }
    if "connect_timeout" not in make_url(url).query:
        # an unreachable server fails a request in seconds, not after TCP's minutes
        options["connect_args"] = {"connect_timeout": 10}
    return options


def instance_secret_key(instance_path: str) -> str:
    """Generate the secret key into the instance folder on first run, readable by us only."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
