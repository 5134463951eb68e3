"""Reading a register kept in Excel: CSV as Excel writes it, or an XLSX workbook, as rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
SEPARATORS = {"auto": "", ";": ";", ",": ",", "tab": "\t"}


class ReadError(Exception):
    """The file cannot be read as a register at all; no row was looked at."""


@dataclass
class Sheet:
    file: str
    # (row number as the spreadsheet shows it, cells); the header row is among them
    rows: list[tuple[int, list[Any]]]
    sheet: str = ""  # the worksheet's name, for a workbook
    encoding: str = ""
    separator: str = ""

    @property
    def source(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


def read(path: Path, separator: str = "auto", sheet: str | None = None) -> Sheet:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, separator)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet)
    raise ReadError(
        f"{path.name}: cannot read {suffix or 'a file without extension'}; "
        "save the register as .xlsx or .csv"
        + (" (Excel 97-2003 .xls is not supported)" if suffix == ".xls" else "")
    )


def decode(raw: bytes) -> tuple[str, str]:
    """Excel saves UTF-8 with a BOM, UTF-16 as "Unicode text", or Windows-1252 as plain CSV."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ReadError(
            "the file is neither UTF-8 nor Windows-1252 text; save it again as CSV UTF-8"
        ) from exc


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the most columns (quotes respected)."""
    sample = [line for line in text.splitlines()[:20] if line.strip()][:5]
    best, most = ";", 0
    for candidate in (";", ",", "\t"):
        counts = [len(fields) for fields in csv.reader(sample, delimiter=candidate)]
        score = max(counts, default=0)
        if score > most:
            best, most = candidate, score
    return best


def read_csv(path: Path, separator: str = "auto") -> Sheet:
    text, encoding = decode(path.read_bytes())
    delimiter = SEPARATORS.get(separator, separator) or sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ReadError(f"{path.name}: not a readable CSV file ({exc})") from exc
    return Sheet(path.name, rows, encoding=encoding, separator=delimiter)


def read_xlsx(path: Path, sheet: str | None = None) -> Sheet:
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel last calculated, not the formulas behind them
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(repr(name) for name in workbook.sheetnames)
            raise ReadError(f"{path.name} has no sheet {sheet!r}; it has {names}")
        # some programs write a wrong <dimension>; read every row that is really there
        worksheet.reset_dimensions()
        rows = []
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            number = next((c.row for c in cells if getattr(c, "row", None)), number)
            rows.append((number, [cell.value for cell in cells]))
    finally:
        workbook.close()
    return Sheet(path.name, rows, sheet=worksheet.title)
