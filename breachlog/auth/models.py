from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import UTCDateTime
from ..domain import roles
from ..extensions import db
from ..keys import Encrypted
from ..orgs.members import Membership


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    # manages organisations and every user; reads a register only as a member of it
    is_installation_admin: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    is_active_user: Mapped[bool] = mapped_column("is_active", default=True)
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

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

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

    def roles_by_organisation(self) -> dict[int, str]:
        return {m.organisation_id: m.role for m in self.memberships}

    def organisation_ids_where(self, check: str) -> set[int]:
        """The organisations where this user's role passes `check` (see domain/roles.py)."""
        return roles.organisation_ids_where(self.roles_by_organisation(), check)

    def role_in(self, organisation_id: int) -> str | None:
        return self.roles_by_organisation().get(organisation_id)

    def can_report_in(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids_where("can_report")

    def can_read_all_in(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids_where("can_read_all")

    def can_handle_in(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids_where("can_handle")

    def can_administer_in(self, organisation_id: int) -> bool:
        return self.is_installation_admin or organisation_id in self.organisation_ids_where(
            "can_administer"
        )

    # In some organisation: what a route guard asks before the organisation is known.
    @property
    def can_report(self) -> bool:
        return bool(self.organisation_ids_where("can_report"))

    @property
    def can_read_all(self) -> bool:
        return bool(self.organisation_ids_where("can_read_all"))

    @property
    def can_handle(self) -> bool:
        return bool(self.organisation_ids_where("can_handle"))

    @property
    def can_administer(self) -> bool:
        return self.is_installation_admin or bool(self.organisation_ids_where("can_administer"))

    @property
    def role(self) -> str:
        """One word for the user's roles, for lists: their strongest membership."""
        if self.is_installation_admin:
            return roles.Role.ADMIN.value
        return roles.strongest(self.roles_by_organisation().values())

    def audit_state(self) -> dict[str, object]:
        return {
            "email": self.email,
            "name": self.name,
            "language": self.language,
            "is_active": self.is_active_user,
            "is_installation_admin": self.is_installation_admin,
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
    # the one organisation whose data the token reaches, even when its user is a member of more
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
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
