"""Bearer tokens: who is calling, and may their role do this. The session cookie never counts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, jsonify, request

from .. import clock
from ..auth import two_factor
from ..auth.models import User
from ..auth.services import active_token, note_token_use
from ..orgs import scope

F = TypeVar("F", bound=Callable[..., Any])
READING = ("GET", "HEAD", "OPTIONS")


def require(check: str | None = None) -> Callable[[F], F]:
    """A valid token, and when `check` names a User property (can_handle, ...) that it holds."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            secret = _bearer_secret()
            now = clock.now()
            token = active_token(secret, now) if secret else None
            if token is None:
                return unauthorized(sent=bool(secret))
            if request.method not in READING and not token.may_write:
                return error(403, "This token may only read.")
            if two_factor.owed_by(token.user):
                return error(403, "Your organisation requires two-factor login: set it up first.")
            note_token_use(token, now)
            user = token.user
            # before the role is asked: a role in another organisation does not count here
            scope.limit_to_token(token.organisation_id or scope.NOWHERE)
            if check is not None and not _may(user, check):
                return error(403, "Your role does not allow this.")
            scope.note_required(check)
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _may(user: User, check: str) -> bool:
    return bool(scope.organisation_ids(user, check))


def caller() -> User:
    user: User = g.api_user
    return user


def _bearer_secret() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def unauthorized(sent: bool) -> Response:
    """RFC 6750: a token that was sent but is not valid is named invalid_token."""
    response = error(401, "Send a valid API token: Authorization: Bearer <token>.")
    challenge = 'Bearer realm="breachlog"'
    response.headers["WWW-Authenticate"] = challenge + (', error="invalid_token"' if sent else "")
    return response
