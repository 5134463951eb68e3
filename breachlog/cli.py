"""The breachlog command line (placeholder until the CLI lands)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass


def main() -> None:
    pass
