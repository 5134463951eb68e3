"""The import report, row by row, as the command line prints it (for engineers: English)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .importer import Report, RowResult
from .mapping import header_name

WIDTH = 60


def lines(report: Report, language: str, written: bool) -> list[str]:
    columns = report.columns
    mode = "dry run, nothing is written" if report.dry_run else "one transaction, all or nothing"
    out = [
        f"Importing {report.source} into {report.organisation} ({mode}).",
        *_wrapped(
            f"Header in row {report.header_row}; columns read:",
            [f"{h} [{k}]" for k, h in columns.headers.items()] or ["none"],
        ),
    ]
    if report.chosen and "organisation" in columns.headers:
        shown = repr(columns.headers["organisation"])
        out.append(
            f"Every row goes to {report.organisation} (--organisation); {shown} is not used."
        )
    if columns.unknown:
        out.append("Unknown columns, not read: " + ", ".join(map(repr, columns.unknown)))
    if columns.derived:
        out.append("Computed by breachlog, not read: " + ", ".join(map(repr, columns.derived)))
    if columns.ignored:
        out.append("Ignored with --map: " + ", ".join(map(repr, columns.ignored)))
    for problem in columns.problems:
        out.append(f"File: {problem}")
    out.append("")
    for result in report.results:
        out.extend(_row(result, report, language, written))
    if report.results:
        out.append("")
    out.extend(summary(report, written))
    return out


def _row(result: RowResult, report: Report, language: str, written: bool) -> list[str]:
    start = f"row {result.number:<5} {_cut(result.label or '(no ref or title)', 30):<30}"
    if result.skipped:
        return [f"{start} skipped: nothing in the columns breachlog reads"]
    if not result.problems:
        if not result.ref:
            return [f"{start} OK"]
        verb = "imported as" if written else "OK, would be"
        return [f"{start} {verb} {result.ref}"]
    count = len(result.problems)
    out = [f"{start} {count} problem{'s' if count != 1 else ''}"]
    order = list(report.columns.headers)  # the file's own column order
    for problem in sorted(result.problems, key=lambda p: _position(order, p.key)):
        header = report.columns.headers.get(problem.key)
        if header is None:
            where = f"{header_name(problem.key, language)} [{problem.key}] (no such column)"
        else:
            where = f"{header} [{problem.key}] {_shown(result.shown.get(problem.key))}"
        out.append(f"    {where}: {problem.message}")
    return out


def summary(report: Report, written: bool) -> list[str]:
    if report.columns.problems:
        return ["Rows not checked: fix the columns first. Nothing written."]
    read = [r for r in report.results if not r.skipped]
    skipped = len(report.results) - len(read)
    failed = len(report.failed)
    parts = [f"{len(read)} row{'s' if len(read) != 1 else ''}: {len(read) - failed} fine"]
    parts.append(f"{failed} with problems")
    if report.empty_rows or skipped:
        empty = report.empty_rows + skipped
        parts.append(f"{empty} empty row{'s' if empty != 1 else ''} skipped")
    out = [", ".join(parts) + "."]
    if written:
        refs = [r.ref for r in report.imported]
        shown = ", ".join(refs) if len(refs) <= 10 else f"{refs[0]}, ..., {refs[-1]}"
        noun = "incident" if len(refs) == 1 else "incidents"
        out.append(f"Imported {len(refs)} {noun}" + (f": {shown}." if refs else "."))
    elif report.dry_run:
        out.append(
            "Dry run: nothing written."
            + (" Run it again without --dry-run to import." if report.ok else "")
        )
    else:
        out.append("Nothing written: fix the problems above and run the import again.")
    return out


def _position(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def _wrapped(start: str, items: list[str], width: int = 99) -> list[str]:
    """Items separated by commas, wrapped between items rather than inside one."""
    out, line = [], start
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if len(line) + 1 + len(piece) > width:
            out.append(line)
            line = "   "
        line += " " + piece
    return [*out, line]


def _shown(value: Any) -> str:
    if value is None or str(value).strip() == "":
        return "(empty)"
    if isinstance(value, datetime):
        text = f"{value:%Y-%m-%d %H:%M}" + (" (date cell)" if value.tzinfo is None else "")
    elif isinstance(value, date):
        text = f"{value:%Y-%m-%d} (date cell)"
    else:
        text = " ".join(str(value).split())
    return repr(_cut(text, WIDTH))


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
