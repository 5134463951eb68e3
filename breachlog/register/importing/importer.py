"""Bringing in a register kept in Excel until now: every row through the app's own services.

Each row is recorded in a savepoint with the same acts an officer would perform (report,
measures, assessment, AP notification, informing the people, closing), so every domain rule
holds exactly as in the app. A row that breaks one is rolled back to its savepoint and
reported; the caller commits the whole import only when no row did (all or nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ...orgs.models import Organisation
from . import acts, mapping, rows, values
from .readers import Sheet


class Refusal(ValueError):
    """The import cannot start as asked (an option, the organisation); nothing was read."""


@dataclass(frozen=True)
class Actor:
    """Who the audit trail names for an import from the command line; not a user account."""

    email: str
    id: None = None


@dataclass
class RowResult:
    row: rows.Row
    label: str  # the ref in the file, else the title
    ref: str = ""  # the ref breachlog gave it
    skipped: bool = False


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
        return [r for r in self.results if r.row.problems]

    @property
    def imported(self) -> list[RowResult]:
        return [r for r in self.results if r.ref and not r.row.problems]

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
        self.recorder = acts.Recorder(actor, now, language, sheet.source)
        index = mapping.find_header(sheet.rows, overrides)
        if index < 0:
            raise Refusal(f"{sheet.source} is empty")
        try:
            columns = mapping.map_columns(sheet.rows[index][1], overrides)
        except ValueError as exc:
            raise Refusal(str(exc)) from None
        self.data = sheet.rows[index + 1 :]
        self.organisation = organisation or self._only_organisation(columns)
        self.by_name = self._organisations() if self.organisation is None else {}
        shown = self.organisation.name if self.organisation else "the organisation in each row"
        self.report = Report(
            sheet.source, columns, sheet.rows[index][0], shown, dry_run, organisation is not None
        )
        self.tables = rows.lookups(language)
        self.pending: list[tuple[RowResult, Organisation]] = []
        self._read()

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

    def _read(self) -> None:
        """Read every row first: refs are then given in order of awareness, not of the file."""
        if self.report.columns.problems:
            return  # without its title or aware_at column every row would say the same
        for number, cells in self.data:
            raw = {
                key: cells[i] if i < len(cells) else None
                for i, key in self.report.columns.by_index.items()
            }
            if all(values.is_blank(v) for v in raw.values()):
                if all(values.is_blank(v) for v in cells):
                    self.report.empty_rows += 1
                else:  # something only in columns breachlog does not read: say so, skip it
                    result = RowResult(rows.Row(number, raw), "", skipped=True)
                    self.report.results.append(result)
                continue
            org = self.organisation or self.by_name.get(mapping.normalise(raw.get("organisation")))
            zone = org.timezone if org else current_app.config["TIMEZONE"]
            row = rows.parse(number, raw, zone, self.tables)
            result = RowResult(row, row.values.get("ref") or row.values.get("title") or "")
            self.report.results.append(result)
            if org is None:
                blank = values.is_blank(raw.get("organisation"))
                row.problem(
                    "organisation",
                    "say which organisation, or use --organisation"
                    if blank
                    else "no active organisation by this name or KvK number",
                )
            else:
                self.pending.append((result, org))
        last = datetime.max.replace(tzinfo=UTC)
        self.pending.sort(key=lambda p: (p[0].row.values.get("aware_at") or last, p[0].row.number))

    def record(self, result: RowResult, org: Organisation) -> None:
        """Record one row in its own savepoint; a row with any problem leaves nothing behind."""
        row = result.row
        savepoint = db.session.begin_nested()
        try:
            result.ref = self.recorder.record(row, org)
        except BaseException:
            savepoint.rollback()
            raise
        if row.problems:
            savepoint.rollback()
            result.ref = ""
        else:
            savepoint.commit()
