"""Proving it is really the logged-in user before a sensitive act, throttled like the login.

An open session is no way around the login throttle: every wrong password or code given
here counts where a wrong login would (see devices.py), and a blocked account waits here too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext, ngettext

from ..domain.errors import RuleViolation
from . import devices, two_factor
from .models import User


def too_many_attempts(wait: timedelta) -> str:
    minutes = max(1, round(wait.total_seconds() / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(num)d minute.",
        "Too many failed attempts. Try again in %(num)d minutes.",
        minutes,
    )


def proof_errors(user: User, *, code: str, password: str, now: datetime) -> dict[str, list[str]]:
    """Nothing when `code` (from the app) or else `password` is right; else errors by field
    ("code", "password")."""
    wait = devices.blocked_for(user.email, now)
    if wait:
        return {"code": [too_many_attempts(wait)]}
    try:
        two_factor.check_proof(user, code=code, password=password, now=now)
    except RuleViolation as violation:
        if code or password:
            devices.record_failure(user.email, now)
        return violation.by_field(gettext)
    return {}
