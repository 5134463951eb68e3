"""Answers kept for the second they were made in: many readers of the same data at once.

The dashboard's board, a page of the register and a page of the API's incident list change
only by an audited act (R10 for incidents; the names and addresses of users and the names
and time zones of organisations are audited likewise) or by the clock. Audit events are
appended one at a time (chain.record holds a lock until commit), so the id of the last one
names the state of the data. A copy is kept under that id, the second it was made in and
whatever else it depends on (language, caller, query): an edit shows at once, a countdown
moves each second, and nothing outlives its second. The id is read before the data, so a
change committed in between only makes a copy newer than its key.

Each worker keeps a few copies in its own memory; nothing is shared or written.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app

from .audit.models import AuditEvent
from .extensions import db

T = TypeVar("T")
KEPT = 32  # copies per worker: a few pages, languages and callers of the current second


def kept(kind: str, now: datetime, key: tuple[Hashable, ...], make: Callable[[datetime], T]) -> T:
    """What make(second) gives for `now`'s second, made once per state of the data and `key`."""
    second = now.replace(microsecond=0)
    version = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    full = (kind, version, second, *key)
    store: dict[tuple[Any, ...], Any] = current_app.extensions.setdefault("breachlog.kept", {})
    found = store.get(full)
    if found is None:
        found = make(second)
        if len(store) >= KEPT:
            store.clear()
        store[full] = found
    return found  # type: ignore[no-any-return]
