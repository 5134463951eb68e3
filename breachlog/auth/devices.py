"""Browsers that logged in before: failures from elsewhere never lock their owner out.

Throttling per account stops guessing, but lets anyone lock the privacy officer out by typing
wrong passwords, during the 72 hours too. So a successful login leaves a signed device cookie
naming the account (by a hash of its address) and a random device id. A login, a second
step or a re-authentication from a browser with that cookie is counted on the device's own
key instead of the account's and the address's: its owner's typing errors still slow it
down, while failures from anywhere else do not touch it. The cookie is signed with the
secret key, so it cannot be made for an account without having logged in to it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import throttle
from .services import normalise_email

COOKIE = "breachlog_device"
LIFETIME = timedelta(days=180)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="breachlog-device")


def _account(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()[:32]


def remember(response: Response, email: str) -> Response:
    """After a successful login: this browser is now known for this account."""
    value = _serializer().dumps({"a": _account(email), "d": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


def device_for(email: str) -> str | None:
    """The id of this browser when it logged in to this account before, else None."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account(email):
        return None
    device = data.get("d")
    return device if isinstance(device, str) else None


def blocked_for(email: str, now: datetime) -> timedelta | None:
    """How long a login or re-authentication of `email` from this browser must wait."""
    return throttle.blocked_for(email, request.remote_addr, now, device=device_for(email))


def record_failure(email: str, now: datetime) -> None:
    throttle.record_failure(email, request.remote_addr, now, device=device_for(email))


def record_success(email: str) -> None:
    throttle.record_success(email, request.remote_addr, device=device_for(email))
