"""Reading a register kept in Excel: CSV as Excel writes it, or an XLSX workbook, as rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
SEPARATORS = {"auto": "", ";": ";", ",": ",", "tab": "\t"}
# What a register can be, far beyond any real one; a larger or hostile file is refused with
# a message before it can fill the memory or hold the machine busy
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # an .xlsx is a zip: what it unpacks to
MAX_ROWS = 100_000
MAX_CELL = 32_767  # characters: Excel's own limit for one cell
# a DTD stands before the root element; in UTF-8 and in UTF-16 (either byte order)
ENTITY_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
PROLOG_BYTES = 64 * 1024


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
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"{path.name} is {size // (1024 * 1024)} MB; a register of at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB can be imported: split it"
        )
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
    previous = csv.field_size_limit(MAX_CELL)
    try:
        rows = []
        for number, cells in enumerate(reader, start=1):
            _count(path, number)
            rows.append((number, list(cells)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"{path.name}, around line {reader.line_num}: a cell is longer than "
                f"{MAX_CELL:,} characters (the most Excel holds in one cell)"
            ) from exc
        raise ReadError(f"{path.name}: not a readable CSV file ({exc})") from exc
    finally:
        csv.field_size_limit(previous)
    return Sheet(path.name, rows, encoding=encoding, separator=delimiter)


def read_xlsx(path: Path, sheet: str | None = None) -> Sheet:
    from openpyxl import load_workbook

    refuse_hostile_workbook(path)
    try:
        # data_only: the values Excel last calculated, not the formulas behind them
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ParseError) as exc:
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
            _count(path, number)
            number = next((c.row for c in cells if getattr(c, "row", None)), number)
            values = [cell.value for cell in cells]
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                raise ReadError(
                    f"{path.name}, row {number}: a cell is longer than {MAX_CELL:,} characters"
                )
            rows.append((number, values))
    except ParseError as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
    finally:
        workbook.close()
    return Sheet(path.name, rows, sheet=worksheet.title)


def _count(path: Path, number: int) -> None:
    if number > MAX_ROWS + 1:  # the header row and MAX_ROWS breaches
        raise ReadError(
            f"{path.name} has more than {MAX_ROWS:,} rows; import it in parts of at most that"
        )


def refuse_hostile_workbook(path: Path) -> None:
    """An .xlsx is a zip of XML files. Refused before any XML is parsed: one that unpacks to
    far more than a register could (a zip bomb), and XML that declares entities (a DTD),
    which Excel never writes: entity expansion ("billion laughs") can take gigabytes from a
    few bytes, and external entities (XXE) can read files on this server."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise ReadError(
                    f"{path.name} unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB;"
                    " that is not a register"
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(PROLOG_BYTES).upper()
                    if any(mark in head for mark in ENTITY_MARKS):
                        raise ReadError(
                            f"{path.name}: {member.filename} declares XML entities (a DTD), "
                            "which Excel never writes and breachlog refuses: entity expansion "
                            "or external entities could harm this server"
                        )
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
