"""The audit chain's key and its anchors: the two things kept outside the database.

The key (`BREACHLOG_AUDIT_KEY`, or the file `audit_key` in the instance folder, made with
mode 0600 on first use) seals every new event. Someone who can change the database but not
read the key cannot rewrite the history so that it still verifies. Backups keep the key
apart from database dumps for the same reason.

The anchors file (`audit_anchors` in the instance folder) is only ever appended to: a line
per anchored head, "event-id hash moment reason". The first line is written when the key is
made, so every event after it must be sealed; later lines come daily from the scheduler and
with every register export. `verify-audit` checks that each anchored head is still in the
chain, so events cut off at the end are found.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..domain.audit import GENESIS
from ..extensions import db

KEY_FILE = "audit_key"
ANCHOR_FILE = "audit_anchors"
logger = logging.getLogger(__name__)


def key() -> bytes:
    """The sealing key; made in the instance folder the first time it is needed."""
    configured = current_app.config.get("AUDIT_KEY")
    if configured:
        return str(configured).encode("utf-8")
    cached = current_app.extensions.get("breachlog_audit_key")
    if cached is not None:
        return bytes(cached)
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        _make_key(path)
    value = path.read_text().strip().encode("ascii")
    if not value:
        raise RuntimeError(f"the audit key file {path} is empty")
    current_app.extensions["breachlog_audit_key"] = value
    return value


def _make_key(path: Path) -> None:
    """Write a new key beside the final name and link it into place: two processes starting
    at once end up with one key, and nobody ever reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{KEY_FILE}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(draft, path)
    except FileExistsError:
        return  # another process was first; its key counts
    finally:
        draft.unlink()
    anchor("sealing begins")


def head() -> tuple[int, str, str]:
    """The newest event: its id, hash and moment (0, GENESIS, "" for an empty chain)."""
    from .models import AuditEvent

    row = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.hash, AuditEvent.at)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return 0, GENESIS, ""
    return int(row.id), str(row.hash), row.at.isoformat()


def anchor(reason: str) -> tuple[int, str]:
    """Append the chain's head to the anchors file (and the log); returns (id, hash). A file
    that cannot be written is logged as an error, and does not stop the export or tick that
    asked for it."""
    number, digest, moment = head()
    path = Path(current_app.instance_path) / ANCHOR_FILE
    line = f"{number} {digest} {moment or '-'} {reason.replace(chr(10), ' ')}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        logger.error(
            "audit head %s %s could not be anchored in %s: %s", number, digest, path, error
        )
    else:
        logger.info("audit head anchored (%s): event %s %s", reason, number, digest)
    return number, digest


def anchors() -> tuple[dict[int, str], list[str]]:
    """The anchored heads by event id, and the lines that could not be read."""
    path = Path(current_app.instance_path) / ANCHOR_FILE
    found: dict[int, str] = {}
    unreadable: list[str] = []
    if not path.exists():
        return found, unreadable
    for number, line in enumerate(path.read_text("utf-8", "replace").splitlines(), start=1):
        parts = line.split(" ", 3)
        if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            unreadable.append(f"line {number}: {line[:80]!r}")
            continue
        event_id, digest = int(parts[0]), parts[1]
        if found.get(event_id, digest) != digest:
            unreadable.append(f"line {number}: event {event_id} anchored with two hashes")
        found[event_id] = digest
    return found, unreadable
