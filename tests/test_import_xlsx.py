"""An .xlsx register is read from its XML as a stream, and reads as openpyxl reads it."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from breachlog.register.importing import readers


def openpyxl_rows(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    worksheet = book[sheet] if sheet else book.worksheets[0]
    worksheet.reset_dimensions()
    found = [(n, list(v)) for n, v in enumerate(worksheet.iter_rows(values_only=True), 1)]
    book.close()
    return found


def read(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    workbook = readers.read(path, sheet=sheet)
    try:
        return list(workbook.rows)
    finally:
        workbook.close()


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_cells_read_as_openpyxl_reads_them(tmp_path: Path, epoch: str):
    book = Workbook()
    if epoch == "1904":
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Register"
    book.create_sheet("Oud").append(["Titel", "Kennisname"])
    sheet.append(["Datalekregister 2025"])
    sheet.append(["Titel", "Kennisname", "Aantal", "Gesloten", "Tijd", "Dag", "Deel"])
    sheet.append(["Laptop kwijt", datetime(2025, 1, 14, 9, 30), 1250, True, time(9, 5)])
    sheet.append([None, date(2025, 3, 5), 2.5, False, None, "", "  spaties  "])
    sheet["C6"] = "=1+1"  # a formula: the workbook holds no value calculated for it
    sheet["A9"] = CellRichText("Mail ", TextBlock(InlineFont(b=True), "verkeerd"))
    sheet["D9"] = "Brief & <envelop>"
    sheet["F9"] = datetime(2025, 10, 26, 2, 30)
    sheet["B9"].number_format = "dd-mm-yyyy"
    sheet["B9"] = 45000
    path = tmp_path / "register.xlsx"
    book.save(path)

    rows = read(path)

    assert rows == openpyxl_rows(path)
    assert rows[2] == (3, ["Laptop kwijt", datetime(2025, 1, 14, 9, 30), 1250, True, time(9, 5)])
    assert [n for n, _ in rows] == list(range(1, 10))  # the rows left out are empty rows
    assert rows[8][1][0] == "Mail verkeerd"
    assert rows[8][1][1] == (datetime(2023, 3, 15) if epoch == "1900" else datetime(2027, 3, 16))
    assert read(path, "Oud") == [(1, ["Titel", "Kennisname"])] == openpyxl_rows(path, "Oud")


def test_the_bench_register_reads_as_openpyxl_reads_it(tmp_path: Path):
    """A workbook written in openpyxl's write-only mode, as the benchmark writes it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Register 2025")
    sheet.append(["Datalekregister 2025"])
    for n in range(50):
        sheet.append([f"2025-{n:05d}", f"Laptop {n}", "14-01-2025 09:30", n * 7, None, "x"])
    path = tmp_path / "register.xlsx"
    book.save(path)

    assert read(path) == openpyxl_rows(path)


def test_a_dtd_further_into_a_part_is_refused_as_it_is_read(tmp_path: Path):
    """Not only in the part's first 64 KB: the reader searches every byte it reads."""
    book = Workbook()
    book.active.append(["Titel", "Kennisname"])
    plain = tmp_path / "register.xlsx"
    book.save(plain)
    hostile = tmp_path / "hostile.xlsx"
    padding = "<!--" + "x" * (readers.PROLOG_BYTES * 2) + "-->"
    doctype = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.decode("utf-8").split("?>", 1)[-1]
                data = ('<?xml version="1.0"?>' + padding + doctype + body).encode("utf-8")
            target.writestr(item, data)

    readers.refuse_hostile_workbook(hostile)  # its start looks like any part's
    with pytest.raises(readers.ReadError, match="declares XML entities"):
        read(hostile)


def test_a_broken_cell_is_a_message_not_a_traceback(tmp_path: Path):
    book = Workbook()
    book.active.append(["Titel", "Kennisname"])
    book.active.append(["Laptop", 3])
    plain = tmp_path / "register.xlsx"
    book.save(plain)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>3</v>", b"<v>drie</v>")
            target.writestr(item, data)

    with pytest.raises(readers.ReadError, match="not a readable .xlsx workbook"):
        read(broken)
