from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime
from ..domain import roles
from ..extensions import db
from ..keys import Encrypted
from ..orgs.models import Organisation


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    role: Mapped[str] = mapped_column(sa.String(16))
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    is_active_user: Mapped[bool] = mapped_column("is_active", default=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Bumped on password change so every other session of this user ends.
    session_version: Mapped[int] = mapped_column(default=1)
    # TOTP two-factor: the secret is set when set-up starts, active once confirmed with a code.
    # It must be readable to check codes, so unlike passwords and tokens it is not hashed but
    # encrypted, with a key kept outside the database (see keys.py).
    totp_secret: Mapped[str | None] = mapped_column(Encrypted())
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the 30-second step of the last code accepted: no code of that step or before works again
    totp_last_step: Mapped[int | None]

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_user

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def can_report(self) -> bool:
        return roles.can_report(self.role)

    @property
    def can_read_all(self) -> bool:
        return roles.can_read_all(self.role)

    @property
    def can_handle(self) -> bool:
        return roles.can_handle(self.role)

    @property
    def can_administer(self) -> bool:
        return roles.can_administer(self.role)

    def audit_state(self) -> dict[str, object]:
        return {
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "language": self.language,
            "is_active": self.is_active_user,
            "organisation_id": self.organisation_id,
        }


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    """A Bearer token for the JSON API; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # refused from this moment on; a script needing longer gets a new token
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "read": GET only; "read-write": whatever the user's role allows
    scope: Mapped[str] = mapped_column(sa.String(16), default="read-write")

    user: Mapped[User] = relationship()

    @property
    def may_write(self) -> bool:
        return self.scope == "read-write"


class RecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A one-time code that stands in for the authenticator app; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SetupToken(db.Model):  # type: ignore[name-defined,misc]
    """A one-time link, e.g. to create the first admin in the browser."""

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
