from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime
from ..extensions import db


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    """A controller with its own register; one installation may serve a group of them."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kvk_number: Mapped[str] = mapped_column(sa.String(20), default="")
    ref_prefix: Mapped[str] = mapped_column(sa.String(10), unique=True, default="DL")
    fg_name: Mapped[str] = mapped_column(sa.String(200), default="")
    fg_email: Mapped[str] = mapped_column(sa.String(254), default="")
    escalation_emails: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    is_active: Mapped[bool] = mapped_column(default=True)
    # officers and admins of this organisation log in with a second factor (auth/two_factor)
    two_factor_required: Mapped[bool] = mapped_column(default=False)
    # R14: risk none, "not a breach" and a withdrawal wait for a second officer
    four_eyes_required: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def escalation_list(self) -> list[str]:
        return [
            e.strip() for e in self.escalation_emails.replace(";", ",").split(",") if e.strip()
        ]

    def audit_state(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kvk_number": self.kvk_number,
            "ref_prefix": self.ref_prefix,
            "fg_name": self.fg_name,
            "fg_email": self.fg_email,
            "escalation_emails": self.escalation_emails,
            "timezone": self.timezone,
            "is_active": self.is_active,
            "two_factor_required": self.two_factor_required,
            "four_eyes_required": self.four_eyes_required,
        }
