"""Route guards: every view names who may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from ..orgs import scope

F = TypeVar("F", bound=Callable[..., Any])


def require(check: str) -> Callable[[F], F]:
    """`check` names a User property: can_report, can_read_all, can_handle, can_administer.

    Here it asks whether the user may do it in some organisation; an incident loaded by
    visible_or_404 then asks it of their role in that incident's organisation.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not getattr(current_user, check):
                abort(403)
            scope.note_required(check)
            return view(*args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
