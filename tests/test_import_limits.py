"""A large or hostile file cannot bring the import down: clear messages, no tracebacks."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook

from breachlog.register.importing import readers

from .factories import Factory

HEADER = ["Titel", "Datum kennisname"]
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    + "]>\n"
).replace("&lol0;", "&lol;")
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


@pytest.fixture
def org(app: Flask) -> None:
    with app.app_context():
        Factory(app).organisation()


def invoke(app: Flask, *args: Any) -> Any:
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def workbook(path: Path, rows: int = 2) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for number in range(rows):
        sheet.append([f"Laptop kwijt {number}", "2026-03-09 14:30"])
    book.save(path)
    return path


def with_prolog(path: Path, prolog: str) -> Path:
    """The same workbook, its sheet's XML preceded by a DTD."""
    hostile = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
                data = (prolog + body).encode("utf-8")
            target.writestr(item, data)
    return hostile


@pytest.mark.parametrize(("name", "prolog"), [("laughs", BILLION_LAUGHS), ("xxe", XXE)])
def test_entity_expansion_and_external_entities_are_refused_with_a_message(
    app, org, tmp_path, name, prolog
):
    hostile = with_prolog(workbook(tmp_path / "register.xlsx"), prolog)
    result = invoke(app, hostile, "--dry-run")
    assert result.exit_code == 2, result.output
    assert "declares XML entities (a DTD)" in result.output
    assert "Traceback" not in result.output and "root:" not in result.output


def test_a_cell_over_the_excel_limit_in_a_csv_is_refused_with_its_line(app, org, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(f"Titel;Datum kennisname\nLaptop;2026-03-09 14:30\n{'x' * 130_000};\n")
    result = invoke(app, path, "--dry-run")
    assert result.exit_code == 2, result.output
    assert "around line 3: a cell is longer than 32,767 characters" in result.output


def test_a_file_too_large_or_with_too_many_rows_is_refused_before_it_is_read(
    app, org, tmp_path, monkeypatch
):
    path = workbook(tmp_path / "register.xlsx", rows=30)
    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    result = invoke(app, path, "--dry-run")
    assert result.exit_code == 2 and "has more than 10 rows" in result.output
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024)
    result = invoke(app, path, "--dry-run")
    assert result.exit_code == 2 and "can be imported: split it" in result.output


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(app, org, tmp_path, monkeypatch):
    path = workbook(tmp_path / "register.xlsx")
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", 1024)
    result = invoke(app, path, "--dry-run")
    assert result.exit_code == 2 and "unpacks to more than" in result.output
