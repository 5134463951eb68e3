"""R10: the audit chain. Each event carries the SHA-256 of the one before it."""

from __future__ import annotations

import hashlib
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


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(dict(fields)).encode("utf-8"))
    return digest.hexdigest()


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


def verify_chain(links: Iterable[ChainLink]) -> ChainBreak | None:
    """Walk the chain in order and name the first event that does not fit."""
    expected_prev = GENESIS
    for link in links:
        if link.prev_hash != expected_prev:
            return ChainBreak(
                link.id, "previous hash does not match: an event before it was deleted or changed"
            )
        if event_hash(link.prev_hash, link.fields) != link.hash:
            return ChainBreak(link.id, "contents do not match its hash: the event was edited")
        expected_prev = link.hash
    return None


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
