"""Login throttling per account and per address, kept in the database so every worker sees it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime
from ..extensions import db

FREE_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)
# failures older than this are forgotten
MEMORY = timedelta(hours=24)


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


def keys(email: str, address: str | None, device: str | None = None) -> list[str]:
    """A browser known to the account (see devices.py) counts on its own key only."""
    if device:
        return [f"device:{device}"]
    # no address is longer than 254 characters (RFC 5321); a longer "e-mail" typed at the
    # login still counts as a failure, on a key that fits its column
    account = email.strip().lower()[:254]
    return [f"account:{account}"] + ([f"address:{address[:280]}"] if address else [])


def delay_after(failures: int) -> timedelta | None:
    """None for the first few; then 30 s, doubling with each failure, at most an hour."""
    if failures < FREE_ATTEMPTS:
        return None
    return min(FIRST_DELAY * 2 ** (failures - FREE_ATTEMPTS), LONGEST_DELAY)


def blocked_for(
    email: str, address: str | None, now: datetime, device: str | None = None
) -> timedelta | None:
    rows = db.session.scalars(
        sa.select(LoginFailure).where(LoginFailure.key.in_(keys(email, address, device)))
    ).all()
    waits = [r.blocked_until - now for r in rows if r.blocked_until and r.blocked_until > now]
    return max(waits) if waits else None


def record_failure(
    email: str, address: str | None, now: datetime, device: str | None = None
) -> None:
    """One atomic upsert per key, so concurrent workers count every failure. Beside the
    request (bookkeeping.py): a database that takes no writes still lets people log in."""
    from ..bookkeeping import best_effort

    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def count(connection: Any) -> None:
        for key in keys(email, address, device):
            stale = LoginFailure.last_failure_at < now - MEMORY
            statement = (
                insert(LoginFailure)
                .values(key=key, failures=1, last_failure_at=now, blocked_until=None)
                .on_conflict_do_update(
                    index_elements=[LoginFailure.key],
                    set_={
                        "failures": sa.case((stale, 1), else_=LoginFailure.failures + 1),
                        "last_failure_at": now,
                    },
                )
                .returning(LoginFailure.failures)
            )
            failures = connection.execute(statement).scalar_one()
            delay = delay_after(failures)
            if delay is not None:
                connection.execute(
                    sa.update(LoginFailure)
                    .where(LoginFailure.key == key)
                    .values(blocked_until=now + delay)
                )

    best_effort(count, "counting a failed login")


def record_success(email: str, address: str | None, device: str | None = None) -> None:
    from ..bookkeeping import best_effort

    cleared = [keys(email, None)[0]] + (keys(email, None, device) if device else [])
    best_effort(
        sa.delete(LoginFailure).where(LoginFailure.key.in_(cleared)),
        "clearing failed logins",
    )
