"""Bringing in a register kept in Excel until now: every row through the app's own services.

Each row is recorded in a savepoint with the same acts an officer would perform (report,
measures, assessment, AP notification, informing the people, closing), so every domain rule
holds exactly as in the app. A row that breaks one is rolled back to its savepoint and
reported; the caller commits the whole import only when no row did (all or nothing).

A dry run (`dry.py`) checks each row with the checks of those same acts and writes nothing.
Rows are read as a stream; the import proper keeps them to record them in order of
awareness, a dry run keeps only what its report and the order-bound checks need.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ...catalogue import services as catalogue
from ...extensions import db
from ...orgs.models import Organisation
from . import acts, mapping, readers, rows, values
from .readers import Sheet


class Refusal(ValueError):
    """The import cannot start as asked (an option, the organisation); nothing was read."""


@dataclass(frozen=True)
class Actor:
    """Who the audit trail names for an import from the command line; not a user account."""

    email: str
    id: None = None


@dataclass(slots=True)
class RowResult:
    number: int
    label: str  # the ref in the file, else the title
    problems: list[rows.Problem] = field(default_factory=list)
    # the cells of the columns with a problem, as the file holds them (the report shows them)
    shown: dict[str, Any] = field(default_factory=dict)
    ref: str = ""  # the ref breachlog gave it (or would give it)
    skipped: bool = False

    def keep(self, row: rows.Row, problems: list[rows.Problem] | None = None) -> None:
        """What the report needs of a row, and no more."""
        self.problems = row.problems if problems is None else problems
        self.shown = {p.key: row.raw.get(p.key) for p in self.problems}


@dataclass
class Report:
    source: str
    columns: mapping.ColumnMap
    header_row: int
    organisation: str
    dry_run: bool
    chosen: bool  # the organisation was given with --organisation, not read from the rows
    results: list[RowResult] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.problems]

    @property
    def imported(self) -> list[RowResult]:
        return [r for r in self.results if r.ref and not r.problems]

    @property
    def ok(self) -> bool:
        return not self.columns.problems and not self.failed


class Importer:
    def __init__(
        self,
        sheet: Sheet,
        *,
        organisation: Organisation | None,
        overrides: Mapping[str, str],
        language: str,
        now: datetime,
        actor: Actor,
        dry_run: bool,
    ) -> None:
        head = _head(sheet.rows)
        index = mapping.find_header(head, overrides)
        if index < 0:
            raise Refusal(f"{sheet.source} is empty")
        try:
            columns = mapping.map_columns(head[index][1], overrides)
        except ValueError as exc:
            raise Refusal(str(exc)) from None
        self.sheet = sheet
        self.data = itertools.chain(head[index + 1 :], sheet.rows)
        self.organisation = organisation or self._only_organisation(columns)
        self.by_name = self._organisations() if self.organisation is None else {}
        shown = self.organisation.name if self.organisation else "the organisation in each row"
        self.report = Report(
            sheet.source, columns, head[index][0], shown, dry_run, organisation is not None
        )
        entries = catalogue.by_kind()  # the catalogue, read once for every row
        self.tables = rows.lookups(language, entries)
        self.codes = catalogue.known_codes(entries)
        self.actor, self.now, self.language = actor, now, language

    def recorder(self, services: Any) -> acts.Recorder:
        return acts.Recorder(self.actor, self.now, self.language, self.sheet.source, services)

    def _only_organisation(self, columns: mapping.ColumnMap) -> Organisation | None:
        if "organisation" in columns.headers:
            return None
        active = db.session.scalars(
            sa.select(Organisation).where(Organisation.is_active.is_(True)).limit(2)
        ).all()
        if len(active) == 1:
            return active[0]
        if not active:
            raise Refusal("there is no organisation yet; create one first")
        raise Refusal("several organisations keep a register here; choose one with --organisation")

    def _organisations(self) -> dict[str, Organisation]:
        found: dict[str, Organisation] = {}
        for org in db.session.scalars(sa.select(Organisation).where(Organisation.is_active)):
            found[mapping.normalise(org.name)] = org
            if org.kvk_number:
                found[mapping.normalise(org.kvk_number)] = org
        return found

    def rows(self) -> Iterator[tuple[RowResult, rows.Row, Organisation]]:
        """Each row of the file read into values, in the file's order, with its organisation.

        Empty rows, rows with nothing in the columns read and rows of no known organisation
        are reported here and not handed on. Raises ReadError past the most rows a register
        may have (readers.MAX_ROWS after the header)."""
        if self.report.columns.problems:
            return  # without its title or aware_at column every row would say the same
        by_index = self.report.columns.by_index.items()
        for count, (number, cells) in enumerate(self.data, start=1):
            if count > readers.MAX_ROWS:
                raise readers.ReadError(
                    f"{self.sheet.file} has more than {readers.MAX_ROWS:,} rows; import it "
                    "in parts of at most that"
                )
            raw = {key: cells[i] if i < len(cells) else None for i, key in by_index}
            if all(values.is_blank(v) for v in raw.values()):
                if all(values.is_blank(v) for v in cells):
                    self.report.empty_rows += 1
                else:  # something only in columns breachlog does not read: say so, skip it
                    self.report.results.append(RowResult(number, "", skipped=True))
                continue
            org = self.organisation or self.by_name.get(mapping.normalise(raw.get("organisation")))
            zone = org.timezone if org else current_app.config["TIMEZONE"]
            row = rows.parse(number, raw, zone, self.tables)
            result = RowResult(number, row.values.get("ref") or row.values.get("title") or "")
            self.report.results.append(result)
            if org is None:
                blank = values.is_blank(raw.get("organisation"))
                row.problem(
                    "organisation",
                    "say which organisation, or use --organisation"
                    if blank
                    else "no active organisation by this name or KvK number",
                )
                result.keep(row)
            else:
                yield result, row, org

    def pending(self) -> list[tuple[RowResult, rows.Row, Organisation]]:
        """Every row to record, in order of awareness: refs are given in that order."""
        found = list(self.rows())
        last = datetime.max.replace(tzinfo=UTC)
        found.sort(key=lambda p: (p[1].values.get("aware_at") or last, p[1].number))
        return found

    def record(
        self, recorder: acts.Recorder, result: RowResult, row: rows.Row, org: Organisation
    ) -> None:
        """Record one row in its own savepoint; a row with any problem leaves nothing behind."""
        savepoint = db.session.begin_nested()
        try:
            ref = recorder.record(row, org)
        except BaseException:
            savepoint.rollback()
            raise
        result.keep(row)
        if row.problems:
            savepoint.rollback()
        else:
            savepoint.commit()
            result.ref = ref


def _head(source: Iterator[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The rows up to the tenth one with anything in it: the header is among them."""
    head: list[tuple[int, list[Any]]] = []
    filled = 0
    for number, cells in source:
        head.append((number, cells))
        filled += any(mapping.filled(c) for c in cells)
        if filled >= mapping.HEADER_CANDIDATES or len(head) > readers.MAX_ROWS:
            break
    return head
