"""R10: the audit chain. Each event carries the hash of the one before it, and its own seal.

A seal is an HMAC-SHA-256 with a key kept outside the database, so whoever can change the
database but not read the key cannot rewrite an event and recompute the seals after it.
Events written before there was a key carry the plain SHA-256; they stay valid as the start
of the chain, since the first sealed event after them seals their last hash too. Cutting off
the newest events leaves a chain that fits together, so its head is also written, now and
then, to a file outside the database (an anchor); every anchored head must still be there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def event_hash(prev_hash: str, fields: Mapping[str, Any], key: bytes | None = None) -> str:
    """The event's seal with `key`; the plain SHA-256 of events from before sealing without."""
    message = prev_hash.encode("ascii") + b"\n" + canonical(dict(fields)).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class ChainLink:
    id: int
    prev_hash: str
    hash: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify_chain(
    links: Iterable[ChainLink],
    key: bytes | None = None,
    anchors: Mapping[int, str] | None = None,
) -> ChainBreak | None:
    """Walk the chain in order and name the first event that does not fit.

    With a key, unsealed events are accepted only before the first sealed one and up to the
    first anchor (written when sealing began); `anchors` maps event ids to the head hashes
    written outside the database, each of which must still be in the chain."""
    anchors = dict(anchors or {})
    sealing_began = min(anchors) if anchors else None
    expected_prev = GENESIS
    sealed_seen = False
    for link in links:
        if link.prev_hash != expected_prev:
            return ChainBreak(
                link.id, "previous hash does not match: an event before it was deleted or changed"
            )
        if key is not None and hmac.compare_digest(
            event_hash(link.prev_hash, link.fields, key), link.hash
        ):
            sealed_seen = True
        elif event_hash(link.prev_hash, link.fields) == link.hash:
            if key is not None and (
                sealed_seen or (sealing_began is not None and link.id > sealing_began)
            ):
                return ChainBreak(
                    link.id,
                    "not sealed with the key although sealing had begun: the chain was "
                    "rewritten without the key",
                )
        else:
            return ChainBreak(link.id, "contents do not match its hash: the event was edited")
        anchored = anchors.pop(link.id, None)
        if anchored is not None and anchored != link.hash:
            return ChainBreak(link.id, "differs from the head anchored outside the database")
        expected_prev = link.hash
    left = sorted(number for number in anchors if number > 0)
    if left:
        return ChainBreak(
            left[-1],
            "an anchored head is no longer in the chain: events at the end were deleted",
        )
    return None


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
