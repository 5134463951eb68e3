"""Incident references such as DL-2026-0007: prefix, year, and a number per organisation."""

from __future__ import annotations

import re

REF_PATTERN = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9]{0,9})-(?P<year>\d{4})-(?P<seq>\d{4,})$")
PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


def format_ref(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}-{year:04d}-{seq:04d}"


def is_valid_prefix(prefix: str) -> bool:
    return bool(PREFIX_PATTERN.match(prefix))


def looks_like_ref(text: str) -> bool:
    return bool(REF_PATTERN.match(text))
