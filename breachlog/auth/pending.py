"""Between the password and the second factor: who is half logged in, in the signed session.

The cookie is signed, so it cannot be forged; the time limit inside it stops an old copy of
it from being used later. A password change (a new session version) ends it too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import session

from ..web import load_user
from .models import User

KEY = "two_factor_pending"
LIFETIME = timedelta(minutes=5)


def begin(user: User, target: str | None, now: datetime) -> None:
    session[KEY] = {
        "user": user.get_id(),
        "until": (now + LIFETIME).timestamp(),
        "next": target or "",
    }


def user(now: datetime) -> User | None:
    """The user who gave the right password less than five minutes ago, if any."""
    state = session.get(KEY)
    if not isinstance(state, dict) or float(state.get("until", 0)) <= now.timestamp():
        return None
    found = load_user(str(state.get("user", "")))
    if found is None or not found.has_two_factor:
        return None
    return found  # type: ignore[no-any-return]


def target() -> str | None:
    state = session.get(KEY)
    return (state.get("next") or None) if isinstance(state, dict) else None


def end() -> None:
    session.pop(KEY, None)
