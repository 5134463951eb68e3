"""Login sessions kept on the server, so that logging out really ends them.

The signed cookie holds a random session secret; the database keeps only its SHA-256 with
when the session started and was last seen. A request counts as logged in only while that
row exists, is not ended, and is younger than the absolute lifetime: a copy of the cookie
saved before a logout, a password change or a deactivation opens nothing afterwards.
The idle limit stays with the cookie's own signed timestamp (PERMANENT_SESSION_LIFETIME).

A login must work while the database takes no writes (read-only, disk full). The row is
then written at the first request after the database takes writes again; until then the
cookie marks the session as not yet recorded and it holds for the absolute lifetime. Once
recorded it is ended like any other, so a copy saved before a later logout opens nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request, session
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import UTCDateTime
from ..extensions import db
from .models import User

KEY = "sid"
# when a login could not be recorded (the database took no writes): its start, ISO 8601
UNRECORDED = "sid_unrecorded"
# last_seen_at is written at most this often: no write on every page
SEEN_PRECISION = timedelta(minutes=1)


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    browser: Mapped[str] = mapped_column(sa.String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _sha256(text: str) -> str:
    from .services import sha256

    return sha256(text)


def absolute_lifetime() -> timedelta:
    value = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    return value if isinstance(value, timedelta) else timedelta(hours=float(value))


def idle_lifetime() -> timedelta:
    value = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def begin(user: User, now: datetime) -> None:
    """A new session for this browser; a secret it had before is no longer honoured."""
    end_current(now)
    secret = secrets.token_urlsafe(32)
    session[KEY] = secret
    session.pop(UNRECORDED, None)
    if not _record(user, secret, started_at=now, now=now):
        session[UNRECORDED] = now.isoformat()


def _record(user: User, secret: str, *, started_at: datetime, now: datetime) -> bool:
    from ..bookkeeping import best_effort

    row = {
        "user_id": user.id,
        "secret_hash": _sha256(secret),
        "started_at": started_at,
        "last_seen_at": now,
        "browser": (request.headers.get("User-Agent", "") if has_request_context() else "")[:300],
        "ended_at": None,
    }
    return best_effort(sa.insert(UserSession).values(**row), "recording a login session")


def current() -> UserSession | None:
    secret = session.get(KEY)
    if not isinstance(secret, str) or not secret:
        return None
    return db.session.execute(
        sa.select(UserSession).where(UserSession.secret_hash == _sha256(secret))
    ).scalar_one_or_none()


def is_live(record: UserSession | None, user: User, now: datetime) -> bool:
    return (
        record is not None
        and record.user_id == user.id
        and record.ended_at is None
        and now - record.started_at < absolute_lifetime()
        and now - record.last_seen_at < idle_lifetime()
    )


def load(user_id: str) -> Any:
    """Flask-Login's user loader: the user of a live session in this cookie, else nobody."""
    from ..bookkeeping import best_effort
    from ..web import load_user

    user = load_user(user_id)
    if user is None:
        return None
    now = clock.now()
    record = current()
    if record is None and session.get(UNRECORDED):
        return user if _unrecorded_holds(user, now) else None
    if not is_live(record, user, now):
        return None
    assert record is not None
    if now - record.last_seen_at >= SEEN_PRECISION:
        best_effort(
            sa.update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now),
            "noting when a session was last seen",
        )
    return user


def _unrecorded_holds(user: User, now: datetime) -> bool:
    """A login made while the database took no writes: recorded now if it can be."""
    try:
        started_at = datetime.fromisoformat(str(session[UNRECORDED]))
    except ValueError:
        return False
    if started_at.tzinfo is None or not timedelta(0) <= now - started_at < absolute_lifetime():
        return False
    secret = session.get(KEY)
    if not isinstance(secret, str) or not secret:
        return False
    if _record(user, secret, started_at=started_at, now=now):
        session.pop(UNRECORDED, None)
    return True


def end_current(now: datetime) -> None:
    record = current()
    if record is not None and record.ended_at is None:
        record.ended_at = now
    session.pop(KEY, None)
    session.pop(UNRECORDED, None)


def end_all(user: User, now: datetime, *, keep: UserSession | None = None) -> int:
    """End every session of the user (but `keep`); returns how many were ended."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    ended = db.session.execute(
        query.values(ended_at=now).execution_options(synchronize_session="fetch")
    )
    return int(ended.rowcount or 0)


def live_sessions(user: User, now: datetime) -> list[UserSession]:
    """The user's sessions that still open pages, the most recently seen first."""
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.started_at > now - absolute_lifetime(),
            UserSession.last_seen_at > now - idle_lifetime(),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(rows)
