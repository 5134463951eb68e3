"""The yearly register as CSV for Excel: UTF-8 with a BOM, `;` (Dutch Excel) or `,`.

One row per incident with the columns of columns.py, headed in the chosen language. Lists
are joined with "; ". Times are "YYYY-MM-DD HH:MM" in the organisation's own time zone
(Organisation.timezone, Europe/Amsterdam by default), as the import reads them back.
"""

from __future__ import annotations

import csv
import io
import re
from typing import BinaryIO

from flask_babel import force_locale

from ..audit import seal
from ..orgs.models import Organisation
from .columns import COLUMNS
from .export_data import Formatter, column_values, records

SEPARATORS = (";", ",")
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def register_csv(
    organisation: Organisation, year: int, *, language: str, separator: str = ";"
) -> bytes:
    """The register of `organisation` for `year` (of aware_at in its zone), as CSV bytes."""
    output = io.BytesIO()
    write_register_csv(output, organisation, year, language=language, separator=separator)
    return output.getvalue()


def write_register_csv(
    output: BinaryIO,
    organisation: Organisation,
    year: int,
    *,
    language: str,
    separator: str = ";",
) -> None:
    """Write the register CSV to a binary file, a batch of incidents at a time."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}")
    seal.anchor("register export")  # the history's head as this copy leaves, kept apart
    # utf-8-sig starts the file with the BOM that tells Excel it is UTF-8
    text = io.TextIOWrapper(output, encoding="utf-8-sig", newline="", write_through=True)
    try:
        # every cell quoted: a cell holding the other separator ("Laptop kwijt,=cmd|...")
        # stays one cell in a spreadsheet whose list separator is that one
        writer = csv.writer(
            text, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_ALL
        )
        writer.writerow([column.header(language) for column in COLUMNS])
        with force_locale(language):
            fmt = Formatter(language, organisation.timezone)
            for record in records(organisation.id, year, with_history=False):
                values = column_values(record, fmt, organisation.name)
                writer.writerow([defused(values[column.key]) for column in COLUMNS])
        text.flush()
    finally:
        text.detach()  # the caller's file stays open


# Read with the other list separator, "Laptop kwijt,=cmd|..." splits before "=cmd|...": a
# formula start after a separator inside a cell is defused too. A "+" or "-" before a plain
# number ("€ 10,-", "1,-5") is no formula and stays.
INNER_FORMULA = re.compile(r"""(?<=[,;])([\s"]*)(?=[=@\t\r]|[+-](?![\d.,]*(?:[,;\s]|$)))""")


def defused(value: str) -> str:
    """A leading apostrophe makes a spreadsheet show the text instead of running it."""
    if "," in value or ";" in value:
        value = INNER_FORMULA.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
