"""Catalogue changes by an admin, audited like every other change to users and organisations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..audit import chain
from ..catalogue import services as catalogue
from ..catalogue.models import CatalogueEntry


def entry_state(entry: CatalogueEntry) -> dict[str, object]:
    return {
        "kind": entry.kind,
        "code": entry.code,
        "label_nl": entry.label_nl,
        "label_en": entry.label_en,
        "is_builtin": entry.is_builtin,
        "is_active": entry.is_active,
    }


def add_entry(
    kind: str, code: str, label_nl: str, label_en: str, *, actor: Any, now: datetime
) -> CatalogueEntry:
    entry = catalogue.add_entry(kind, code, label_nl, label_en)
    chain.record("catalogue.entry_added", entry, actor=actor, now=now, after=entry_state(entry))
    return entry


def set_entry_active(
    entry: CatalogueEntry, active: bool, *, actor: Any, now: datetime
) -> CatalogueEntry:
    """Entries are never removed (incidents keep their codes); inactive ones are not offered."""
    if entry.is_active != active:
        entry.is_active = active
        chain.record(
            "catalogue.entry_activated" if active else "catalogue.entry_deactivated",
            entry,
            actor=actor,
            now=now,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return entry
