from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime
from ..extensions import db


class SenderHeartbeat(db.Model):  # type: ignore[name-defined,misc]
    """When a reminder sender (`breachlog scheduler`, or `serve` with its inline scheduler)
    last began a tick. /readyz reads it: reminders go out only while one is seen."""

    __tablename__ = "sender_heartbeats"

    sender: Mapped[str] = mapped_column(sa.String(100), primary_key=True)  # host:pid
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
