"""The one place that reads the wall clock; everything else gets `now` passed in."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def now() -> datetime:
    return datetime.now(UTC)


def stopwatch() -> Callable[[], timedelta]:
    """Time passed since this call, by the monotonic clock: a long tick measures its own
    progress with it (for leases) without reading the wall clock again."""
    start = time.monotonic()
    return lambda: timedelta(seconds=time.monotonic() - start)
