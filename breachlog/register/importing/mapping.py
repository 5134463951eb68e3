"""Which column of an imported register holds which field: by header, in Dutch or English."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..columns import BY_KEY, COLUMNS

# Fields an Excel register may have that the printed register does not show; only by key or --map.
EXTRA_KEYS = (
    "how_discovered",
    "processor_name",
    "processor_aware_at",
    "processor_notified_at",
    "personal_data_details",
    "protection_details",
)
# Computed by breachlog from the other columns; recognised so they are not reported as unknown.
DERIVED = ("deadline_at", "on_time", "is_provisional", "closed_at")
KEYS = tuple(c.key for c in COLUMNS) + EXTRA_KEYS
# A register needs at least these to say anything (R2: no incident without aware_at).
REQUIRED = ("title", "aware_at")
# The header is among the first rows with anything in them (a title line or two above it).
HEADER_CANDIDATES = 10


def normalise(text: object) -> str:
    """Case, accents, spaces and punctuation do not matter: "Beëindigd op" == "beeindigd-op"."""
    return _normalised(text if isinstance(text, str) else str(text or ""))


@lru_cache(maxsize=16384)  # a register repeats its labels on every row
def _normalised(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if c.isalnum())


def _known_headers() -> dict[str, str]:
    known: dict[str, str] = {normalise(key): key for key in KEYS}
    for column in COLUMNS:
        for name in (column.nl, column.en, *column.aliases):
            known.setdefault(normalise(name), column.key)
    return known


KNOWN = _known_headers()


def header_name(key: str, language: str) -> str:
    column = BY_KEY.get(key)
    return column.header(language) if column else key


@dataclass
class ColumnMap:
    by_index: dict[int, str] = field(default_factory=dict)  # column index -> field key
    headers: dict[str, str] = field(default_factory=dict)  # field key -> header in the file
    unknown: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # ignored on purpose with --map "Header="
    problems: list[str] = field(default_factory=list)


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """--map "Their header=key" (repeatable); "Their header=" ignores that column."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        header, sep, key = pair.rpartition("=")
        header, key = header.strip(), key.strip()
        if not sep or not normalise(header):
            raise ValueError(f'{pair!r}: write it as "Their header=key"')
        if key and key not in KEYS:
            raise ValueError(f"{pair!r}: unknown field {key!r}; use one of {', '.join(KEYS)}")
        overrides[normalise(header)] = key
    return overrides


def recognised(cells: Sequence[Any]) -> int:
    return sum(1 for cell in cells if normalise(cell) in KNOWN)


def find_header(rows: Sequence[tuple[int, list[Any]]], overrides: Mapping[str, str]) -> int:
    """Index of the header row: registers kept by hand often have a title line above it."""
    candidates = [i for i, (_, cells) in enumerate(rows) if any(filled(c) for c in cells)]
    candidates = candidates[:HEADER_CANDIDATES]
    for index in candidates:
        cells = rows[index][1]
        if recognised(cells) + sum(1 for c in cells if normalise(c) in overrides) >= 2:
            return index
    return candidates[0] if candidates else -1


def map_columns(header: Sequence[Any], overrides: Mapping[str, str]) -> ColumnMap:
    result = ColumnMap()
    seen = {normalise(cell) for cell in header}
    for name in overrides:
        if name not in seen:
            shown = ", ".join(repr(str(c).strip()) for c in header if filled(c))
            raise ValueError(f"--map names a column the file does not have; it has {shown}")
    for index, cell in enumerate(header):
        if not filled(cell):
            continue
        text, name = str(cell).strip(), normalise(cell)
        key = overrides[name] if name in overrides else KNOWN.get(name)
        if name in overrides and not key:
            result.ignored.append(text)
        elif key is None:
            result.unknown.append(text)
        elif key in DERIVED:
            result.derived.append(text)
        elif key in result.headers:
            result.problems.append(
                f"columns {result.headers[key]!r} and {text!r} both hold {key}; "
                f'ignore one with --map "{text}="'
            )
        else:
            result.by_index[index] = key
            result.headers[key] = text
    for key in REQUIRED:
        if key not in result.headers:
            result.problems.append(
                f"no column for {key} (such as {BY_KEY[key].nl!r} or {BY_KEY[key].en!r}); "
                f'name yours with --map "Your header={key}"'
            )
    return result


def filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""
