"""Reading a register kept in Excel: CSV as Excel writes it, or an XLSX workbook, as rows."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from xml.etree.ElementTree import ParseError

from . import xlsx

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
SEPARATORS = {"auto": "", ";": ";", ",": ",", "tab": "\t"}
# What a register can be, far beyond any real one; a larger or hostile file is refused with
# a message before it can fill the memory or hold the machine busy
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # an .xlsx is a zip: what it unpacks to
MAX_ROWS = 100_000  # below the header (the importer counts them)
MAX_CELL = 32_767  # characters: Excel's own limit for one cell
# a DTD stands before the root element; in UTF-8 and in UTF-16 (either byte order)
ENTITY_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
PROLOG_BYTES = 64 * 1024


class ReadError(Exception):
    """The file cannot be read as a register at all, or turns out not to be one on the way."""


@dataclass
class Sheet:
    """A register's rows as they are read: the file is never in memory as a whole."""

    file: str
    # (row number as the spreadsheet shows it, cells); the header row is among them. Read
    # once; ReadError on the way when the file turns out to be too large or unreadable.
    rows: Iterator[tuple[int, list[Any]]]
    size: int  # bytes the reader goes through: the file, or the worksheet's XML
    done: Callable[[], int]  # of which read so far, for a progress bar
    sheet: str = ""  # the worksheet's name, for a workbook
    encoding: str = ""
    separator: str = ""

    @property
    def source(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


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


NOT_TEXT = "the file is neither UTF-8 nor Windows-1252 text; save it again as CSV UTF-8"


def encoding_of(path: Path) -> str:
    """Excel saves UTF-8 with a BOM, UTF-16 as "Unicode text", or Windows-1252 as plain CSV.

    Without a BOM the whole file is tried as UTF-8, a megabyte at a time, nothing kept."""
    with path.open("rb") as handle:
        start = handle.read(3)
        if start.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


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
    encoding = encoding_of(path)
    handle = path.open(encoding=encoding, newline="")
    try:
        delimiter = SEPARATORS.get(separator, separator) or sniff_separator(
            handle.read(PROLOG_BYTES)
        )
        handle.seek(0)
    except UnicodeDecodeError:
        handle.close()
        raise ReadError(NOT_TEXT) from None
    rows = _csv_rows(path, handle, delimiter)
    raw = handle.buffer
    return Sheet(
        path.name, rows, path.stat().st_size, raw.tell, encoding=encoding, separator=delimiter
    )


def _csv_rows(path: Path, handle: TextIO, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(handle, delimiter=delimiter)
    previous = csv.field_size_limit(MAX_CELL)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"{path.name}, around line {reader.line_num}: a cell is longer than "
                f"{MAX_CELL:,} characters (the most Excel holds in one cell)"
            ) from exc
        raise ReadError(f"{path.name}: not a readable CSV file ({exc})") from exc
    except UnicodeDecodeError:
        raise ReadError(NOT_TEXT) from None
    finally:
        csv.field_size_limit(previous)
        handle.close()


def read_xlsx(path: Path, sheet: str | None = None) -> Sheet:
    refuse_hostile_workbook(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
    try:
        worksheet = xlsx.open_sheet(archive, sheet, ENTITY_MARKS)
    except xlsx.WorkbookError as exc:
        archive.close()
        if sheet is not None and str(exc).startswith("has no sheet"):
            raise ReadError(f"{path.name} {exc}") from None
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from None
    except (xlsx.Hostile, ParseError, KeyError, zipfile.BadZipFile, OSError) as exc:
        archive.close()
        raise _unreadable(path, exc) from None
    rows = _xlsx_rows(path, archive, worksheet)
    return Sheet(path.name, rows, worksheet.size, worksheet.done, sheet=worksheet.title)


def _xlsx_rows(
    path: Path, archive: zipfile.ZipFile, worksheet: xlsx.Worksheet
) -> Iterator[tuple[int, list[Any]]]:
    try:
        for row, values in worksheet.rows:
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                raise ReadError(
                    f"{path.name}, row {row}: a cell is longer than {MAX_CELL:,} characters"
                )
            yield row, values
    except (xlsx.Hostile, xlsx.WorkbookError, ParseError, zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(path, exc) from None
    finally:
        archive.close()


def _unreadable(path: Path, exc: Exception) -> ReadError:
    if isinstance(exc, xlsx.Hostile):
        return ReadError(
            f"{path.name}: {exc} declares XML entities (a DTD), which Excel never writes and "
            "breachlog refuses: entity expansion or external entities could harm this server"
        )
    return ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})")


def refuse_hostile_workbook(path: Path) -> None:
    """An .xlsx is a zip of XML files. Refused before any XML is parsed: one that unpacks to
    far more than a register could (a zip bomb), and XML that declares entities (a DTD),
    which Excel never writes: entity expansion ("billion laughs") can take gigabytes from a
    few bytes, and external entities (XXE) can read files on this server. The start of each
    part is searched here; the reader (xlsx.py) searches the rest as it reads."""
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
                        raise _unreadable(path, xlsx.Hostile(member.filename))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
