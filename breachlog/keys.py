"""The encryption key for secrets that must be read back, such as two-factor TOTP secrets.

Passwords, API tokens and recovery codes are stored as hashes; a TOTP secret cannot be, since
codes are checked against it. It is kept encrypted (Fernet: AES-128-CBC with HMAC-SHA256)
with a key that is never in the database, so a copy of the database or a backup of it
alone gives no one's second factor. The key is BREACHLOG_ENCRYPTION_KEY, or else the file
`encryption_key` in the instance folder, generated on first start and readable by its owner
only. Several keys, comma- or line-separated, may be given while rotating: the first
encrypts, every one decrypts; `breachlog rotate-key` re-encrypts everything with the first.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

KEY_FILE = "encryption_key"


def parse(text: str) -> list[str]:
    return [key.strip() for key in text.replace(",", "\n").splitlines() if key.strip()]


def write_private(path: Path, text: str, *, replace: bool = False) -> None:
    """Write a file readable by its owner only (0600), whole or not at all: written beside it
    first, then linked into place (refused if it exists) or, with replace, moved over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    try:
        if replace:
            os.replace(draft, path)
        else:
            os.link(draft, path)
    finally:
        if draft.exists():
            draft.unlink()


def instance_key(instance_path: str) -> str:
    """The instance folder's key file, generated on first start."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        # another process starting at the same moment may have made it
        with contextlib.suppress(FileExistsError):
            write_private(path, Fernet.generate_key().decode("ascii") + "\n")
    return path.read_text()


def _fernet() -> MultiFernet:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get("breachlog_fernet")
    keys = parse(str(app.config["ENCRYPTION_KEY"]))
    if cached is None or cached[0] != keys:
        cached = (keys, MultiFernet([Fernet(key.encode("ascii")) for key in keys]))
        app.extensions["breachlog_fernet"] = cached
    return cached[1]


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise RuntimeError(
            "A stored secret cannot be decrypted with the encryption key: is "
            "BREACHLOG_ENCRYPTION_KEY or instance/encryption_key the one it was stored with?"
        ) from None


def rotate(token: str) -> str:
    """The same secret, encrypted with the first key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


class Encrypted(sa.types.TypeDecorator[str]):
    """A text column stored encrypted; the program sees the plain text."""

    impl = sa.String(255)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        try:
            return decrypt(str(value))
        except RuntimeError as error:
            # a wrong key: the app codes of these users fail (recovery codes still work),
            # rather than every page that lists users
            current_app.logger.error("%s", error)
            return None
