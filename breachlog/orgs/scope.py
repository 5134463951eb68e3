"""The organisations a caller reaches: their memberships, narrowed by an API token's own.

A token is limited to one organisation (ApiToken.organisation_id): through it a user who is
a member of three organisations reaches only that one. The API's guard notes the token's
organisation on flask.g for the request, and every scoped query asks here, so no query has
to know whether the caller came with a token or a session.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context

TOKEN_KEY = "token_organisation_id"  # noqa: S105 - a key on flask.g, not a secret
NOWHERE = 0  # no organisation has this id: a token without an organisation reaches nothing


def organisation_ids(user: Any, check: str = "is_member") -> set[int]:
    """The ids of the organisations where `user` may do what `check` names (domain/roles)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = user.organisation_ids_where(check)
    only = g.get(TOKEN_KEY) if has_app_context() else None
    return ids if only is None else ids & {only}


def limit_to_token(organisation_id: int | None) -> None:
    setattr(g, TOKEN_KEY, organisation_id)


def forget_token() -> None:
    """At the start of every request: a token's limit never outlives its request."""
    g.pop(TOKEN_KEY, None)
    g.pop(CHECK_KEY, None)


CHECK_KEY = "required_check"


def note_required(check: str | None) -> None:
    """What the route's guard asked of the caller; a loaded incident asks it again of the
    caller's role in the incident's own organisation."""
    setattr(g, CHECK_KEY, check)


def required() -> str | None:
    return g.get(CHECK_KEY)


def may(user: Any, check: str, organisation_id: int) -> bool:
    return organisation_id in organisation_ids(user, check)
