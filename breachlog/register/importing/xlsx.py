"""An .xlsx worksheet read row by row from its XML, as the values Excel last calculated.

A register of 100,000 rows is some 150 MB of XML: it is parsed as a stream (ElementTree's
iterparse over the zipped part), so a row is read, handed on and dropped, and the progress
is the share of that XML read so far. openpyxl read it three times slower, cell objects and
all; its tables for number formats and dates are used here, so a date cell reads the same.

Nothing in a workbook may declare XML entities: every part is searched for a DTD as it is
read, and one is refused (entity expansion and external entities, see readers.py).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, fromstring, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOCUMENT_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ROW, CELL, VALUE, INLINE, TEXT, RUN = (MAIN + t for t in ("row", "c", "v", "is", "t", "r"))
CHUNK = 64 * 1024


class Hostile(Exception):
    """A part of the workbook declares XML entities."""


class WorkbookError(Exception):
    """The workbook is not what an .xlsx holds, or has no such sheet."""


@dataclass
class Worksheet:
    title: str
    size: int  # bytes of its XML, unpacked
    rows: Iterator[tuple[int, list[Any]]]
    done: Callable[[], int]  # bytes of its XML read so far


class Guarded:
    """A part of the zip as it is read: counted, and refused at the first DTD in it."""

    def __init__(self, raw: IO[bytes], name: str, marks: tuple[bytes, ...]) -> None:
        self.raw, self.name, self.marks = raw, name, marks
        self.position = 0
        self.tail = b""  # the end of the last chunk: a mark may straddle two

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.position += len(chunk)
        seen = self.tail + chunk
        if any(mark in seen for mark in self.marks):
            raise Hostile(self.name)
        self.tail = seen[-16:]
        return chunk

    def close(self) -> None:
        self.raw.close()


def open_sheet(archive: zipfile.ZipFile, name: str | None, marks: tuple[bytes, ...]) -> Worksheet:
    """The first worksheet, or the one called `name`."""

    def part(path: str) -> Element:
        with archive.open(path) as raw:
            return fromstring(Guarded(raw, path, marks).read())  # noqa: S314 - DTD refused

    book_path = _target(part("_rels/.rels"), "", "officeDocument")
    folder = posixpath.dirname(book_path)
    book = part(book_path)
    rels_path = posixpath.join(folder, "_rels", posixpath.basename(book_path) + ".rels")
    rels = part(rels_path)
    sheets = {}
    for sheet in book.iter(MAIN + "sheet"):
        path = _target(rels, folder, "worksheet", sheet.get(DOCUMENT_RELS + "id"))
        if path:
            sheets[sheet.get("name", "")] = path
    if not sheets:
        raise WorkbookError("it holds no worksheet")
    if name is None:
        title = next(iter(sheets))
    elif name in sheets:
        title = name
    else:
        raise WorkbookError(
            "has no sheet {!r}; it has {}".format(name, ", ".join(map(repr, sheets)))
        )
    properties = book.find(MAIN + "workbookPr")
    epoch = MAC_EPOCH if properties is not None and _true(properties.get("date1904")) else None
    names = set(archive.namelist())
    styles = posixpath.join(folder, "styles.xml")
    dates, durations = _date_styles(part(styles)) if styles in names else (set(), set())
    shared_path = _target(rels, folder, "sharedStrings") or posixpath.join(
        folder, "sharedStrings.xml"
    )
    shared = _shared_strings(archive, shared_path, marks) if shared_path in names else []
    path = sheets[title]
    stream = Guarded(archive.open(path), path, marks)
    cells = Cells(shared, dates, durations, epoch or WINDOWS_EPOCH)
    size = archive.getinfo(path).file_size
    return Worksheet(title, size, _rows(stream, cells), lambda: stream.position)


@dataclass
class Cells:
    shared: list[str]
    dates: set[int]  # style indices whose number format is a date or time
    durations: set[int]  # ... or a duration ([h]:mm)
    epoch: Any

    def value(self, cell: Element, kind: str) -> Any:
        if kind == "inlineStr":
            found = cell.find(INLINE)
            if found is None:
                return None
            if len(found) == 1 and found[0].tag == TEXT:  # plain text, as nearly always
                return found[0].text or ""
            return _text(found)
        raw = cell.findtext(VALUE)
        if not raw:
            return None
        if kind == "n":
            number = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            style = int(cell.get("s", 0))
            if style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # as Excel shows a date it cannot show
            return number
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text) and "e" (an error such as #N/A)


def _rows(stream: Guarded, cells: Cells) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from _parsed(stream, cells)
    except (ValueError, IndexError, OverflowError) as exc:
        raise WorkbookError(f"a cell cannot be read ({exc})") from exc
    finally:
        stream.close()


def _parsed(stream: Guarded, cells: Cells) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values); rows the XML leaves out come as empty rows, as Excel shows them."""
    expected = 1
    value = cells.value
    for _event, element in iterparse(stream, events=("end",)):  # noqa: S314 - Guarded
        if element.tag != ROW:
            continue
        number = int(element.get("r") or expected)
        while expected < number:  # rows without cells are left out of the XML
            yield expected, []
            expected += 1
        values: list[Any] = []
        for cell in element:
            if cell.tag != CELL:
                continue
            ref = cell.get("r")
            if ref:
                column = _column(ref)
                if column > len(values):
                    values.extend([None] * (column - len(values)))
            values.append(value(cell, cell.get("t", "n")))
        element.clear()  # the row is handed on; the tree keeps only its empty element
        yield number, values
        expected = number + 1


def _column(ref: str) -> int:
    """0 for "A1", 27 for "AB7"."""
    if ref[1].isdigit():
        return ord(ref[0]) - 65
    index = 0
    for char in ref:
        if char.isdigit():
            break
        index = index * 26 + ord(char) - 64
    return index - 1


def _text(element: Element) -> str:
    """A string item: its text, or its runs of formatted text; not its phonetic reading."""
    plain = element.findtext(TEXT) or ""
    return plain + "".join(run.findtext(TEXT) or "" for run in element.iter(RUN))


def _shared_strings(archive: zipfile.ZipFile, path: str, marks: tuple[bytes, ...]) -> list[str]:
    found = []
    with archive.open(path) as raw:
        stream = Guarded(raw, path, marks)
        for _event, element in iterparse(stream, events=("end",)):  # noqa: S314 - Guarded
            if element.tag == MAIN + "si":
                found.append(_text(element))
                element.clear()
    return found


def _date_styles(styles: Element) -> tuple[set[int], set[int]]:
    custom = {
        int(fmt.get("numFmtId", -1)): fmt.get("formatCode", "")
        for fmt in styles.iter(MAIN + "numFmt")
    }
    dates, durations = set(), set()
    xfs = styles.find(MAIN + "cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number) or BUILTIN_FORMATS.get(number, "")
        if is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
    return dates, durations


def _target(rels: Element, folder: str, kind: str, rid: str | None = None) -> str:
    for rel in rels.iter(RELATIONSHIPS + "Relationship"):
        if rid is not None and rel.get("Id") != rid:
            continue
        if rel.get("Type", "").rsplit("/", 1)[-1] != kind:
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(folder, target))
    return ""


def _true(value: str | None) -> bool:
    return value in ("1", "true")


__all__ = ["Hostile", "ParseError", "WorkbookError", "Worksheet", "open_sheet"]
