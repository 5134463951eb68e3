"""A dry run of an import: every row checked as the import would record it, nothing written.

The recorder (acts.py) goes through the same acts in the same order as for the import, but
each act here is the check its service makes before it writes (`*_act` and
`imported_values` in the services), on a draft of the incident that lives only while its
row is checked. So a rule added to a service's check holds in both, and the dry run keeps
no row: of each, only what the report shows and a few keys.

Two things depend on the rows recorded before a row, which the import takes in order of
awareness: whether the register already holds the same incident (title and awareness), and
whether another incident has the meldnummer. Only rows that are fine are recorded, so these
wait until every row is checked; `settle` then goes through the rows in that order and asks
the database once per batch of rows, not once per row:

- A row the register already holds gets the import's problem in its title column, first,
  where that column's other problems from an act are then not repeated (acts._problems).
- A taken meldnummer is the notification's problem. The recorder notifies only while the
  meldnummer column has no problem, so it is the only one there.
- The recorder closes an incident only when the row has no problem; a row that turns out
  to have one was not closed, so what closing found is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from ...domain import law, phased
from ...domain.deadlines import deadline_for, to_local
from ...domain.errors import RuleViolation
from ...domain.refs import format_ref
from ...extensions import db
from ...incidents import services as incidents
from ...incidents.models import Incident
from ...incidents.refs import counter
from ...notifications import services as notifications
from ...orgs.models import Organisation
from . import acts, rows
from .importer import Importer, RowResult

BATCH = 500  # rows per query of what the register holds
EVERY = 256  # rows between two updates of the progress bar


class Draft(SimpleNamespace):
    """An incident as the import would record it; never added to the session."""


class Checks:
    """The acts of `acts.Services`, each as the check its service makes, on a Draft."""

    def __init__(self, codes: dict[str, set[str]]) -> None:
        self.codes = codes
        self.start()

    def start(self) -> None:
        """Before each row."""
        self.title: str | None = None  # checked against the register in `settle`
        self.taken: rows.Problem | None = None  # the problem if the meldnummer is taken
        self.meldnummer = ""
        self.year: int | None = None

    def existing(self, org: Organisation, title: str, aware_at: datetime) -> str | None:
        self.title = title
        return None

    def import_incident(
        self, org: Organisation, facts: Any, actor: Any, now: datetime, **kw: Any
    ) -> Draft:
        values = incidents.imported_values(
            org, facts, now, assessment=kw.get("assessment"), codes=self.codes
        )
        self.year = to_local(values["aware_at"], org.timezone).year
        return Draft(
            **values,
            ref="",
            deadline_at=deadline_for(values["aware_at"]),
            notified_at=None,
            meldnummer="",
            is_withdrawn=False,
            owed_parts=[],
            subjects_informed_at=None,
            exemption_ground="",
            notifications=[],
            measures=[],
        )

    def add_measure(self, incident: Draft, actor: Any, now: datetime, **kw: Any) -> None:
        incidents.check_measure_act(incident.organisation_id, now=now, **kw)
        incident.measures.append(
            SimpleNamespace(description=kw["description"].strip(), done_at=kw.get("done_at"))
        )

    def parts(self, incident: Draft) -> dict[str, str]:
        # The import answers every part the incident does not give with "not in the imported
        # register", so every part is answered whatever this returns.
        return {}

    def record_notification(self, incident: Draft, actor: Any, now: datetime, **kw: Any) -> None:
        meldnummer = self.meldnummer = kw.get("meldnummer", "").strip()
        try:
            notifications.check_notification_act(
                incident, now, parts={}, meldnummer_taken=True, **kw
            )
        except RuleViolation as violation:
            others = [p for p in violation.problems if p.message != phased.MELDNUMMER_TAKEN]
            for problem in violation.problems:
                if problem.message == phased.MELDNUMMER_TAKEN:
                    key = acts.column(problem.field, acts.NOTIFICATION_FIELDS, "notified_at")
                    self.taken = rows.Problem(key, problem.render(), act=True)
            if others:
                raise RuleViolation(others) from None
        # what record_notification changes of the incident, for the acts after it
        notification = {"kind": kw["kind"], "submitted_at": kw["submitted_at"]}
        incident.notifications.append(SimpleNamespace(**notification, meldnummer=meldnummer))
        incident.notified_at, incident.meldnummer = kw["submitted_at"], meldnummer
        incident.status = law.status(notifications.situation(incident))

    def record_subject_communication(
        self, incident: Draft, actor: Any, now: datetime, **kw: Any
    ) -> None:
        notifications.check_subject_act(incident, now, **kw)
        sent_at = kw["sent_at"]
        if incident.subjects_informed_at is None or sent_at < incident.subjects_informed_at:
            incident.subjects_informed_at = sent_at
        incident.status = law.status(notifications.situation(incident))

    def record_exemption(self, incident: Draft, actor: Any, now: datetime, **kw: Any) -> None:
        notifications.check_exemption_act(incident, now, **kw)
        incident.exemption_ground = kw["ground"]
        incident.status = law.status(notifications.situation(incident))

    def close(self, incident: Draft, actor: Any, now: datetime, **kw: Any) -> None:
        notifications.check_close_act(incident, kw.get("open_measures_confirmed", False))
        incident.status = "closed"

    def plan(self, incident: Draft, now: datetime, actor: Any) -> None:
        """Reminders are planned for what was recorded; nothing is."""


@dataclass(slots=True)
class Checked:
    """What `settle` needs of a row that went through the acts."""

    result: RowResult
    org: Organisation
    aware_at: datetime | None  # as the file says: the order of the import
    title: str | None  # when the import looks for the same incident in the register
    parsed: int  # its problems before the acts: those from reading its cells
    closing: bool
    year: int | None  # of its ref, when the incident itself passed
    meldnummer: str
    taken: rows.Problem | None
    raw_title: Any  # the cells, as the report shows them with a problem
    raw_meldnummer: Any


def check(importer: Importer, step: Callable[[int], None]) -> None:
    """Check every row of the file; `step` is told how many bytes of it were read."""
    with _fewer_collections():
        _check(importer, step)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector looks again and again at every object still alive, and a
    dry run makes many objects a row (an .xlsx sheet's XML elements, the row's results);
    collecting less often took a sixth of the CPU time off 100,000 rows of a workbook."""
    previous = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _check(importer: Importer, step: Callable[[int], None]) -> None:
    checks = Checks(importer.codes)
    recorder = importer.recorder(checks)
    checked: list[Checked] = []
    read = 0
    for count, (result, row, org) in enumerate(importer.rows(), start=1):
        checks.start()
        parsed = len(row.problems)
        recorder.record(row, org)
        result.keep(row)
        checked.append(
            Checked(
                result,
                org,
                row.values.get("aware_at"),
                checks.title,
                parsed,
                row.closing,
                checks.year,
                checks.meldnummer,
                checks.taken,
                row.raw.get("title") if checks.title is not None else None,
                row.raw.get("meldnummer") if checks.taken is not None else None,
            )
        )
        if count % EVERY == 0:
            done = importer.sheet.done()
            step(done - read)
            read = done
    step(importer.sheet.size - read)
    settle(checked)


def settle(checked: list[Checked]) -> None:
    """The problems only the rows recorded before can cause, and the refs rows would get."""
    last = datetime.max.replace(tzinfo=UTC)
    checked.sort(key=lambda c: (c.aware_at or last, c.result.number))
    counters: dict[tuple[int, int], int] = {}
    meldnummers: set[tuple[int, str]] = set()  # of the rows recorded before
    same: dict[tuple[int, str], str] = {}  # title -> ref, of rows with the awareness at hand
    moment: datetime | None = None
    for batch in _batches(checked, BATCH):
        held, taken = _held(batch), _taken(batch)
        for c in batch:
            if c.aware_at != moment:  # the same incident has the same awareness
                same.clear()
                moment = c.aware_at
            org_id, meldnummer = c.org.id, (c.org.id, c.meldnummer.upper())
            existing = None
            if c.title is not None and c.aware_at is not None:
                existing = held.get((org_id, c.title, c.aware_at)) or same.get((org_id, c.title))
            is_taken = c.taken is not None and (meldnummer in taken or meldnummer in meldnummers)
            if existing or is_taken:
                _found(c, existing, c.taken if is_taken else None)
            if c.result.problems or c.year is None:
                continue
            year = (org_id, c.year)
            if year not in counters:
                counters[year] = counter(org_id, c.year)
            counters[year] += 1
            c.result.ref = format_ref(c.org.ref_prefix, c.year, counters[year])
            if c.title is not None:
                same[(org_id, c.title)] = c.result.ref
            if c.meldnummer:
                meldnummers.add(meldnummer)


def _found(c: Checked, existing: str | None, taken: rows.Problem | None) -> None:
    """A row's problems once the register's answers are in: see the module's docstring."""
    # closing was tried only on a row without problems; it was not tried after all
    problems = [] if c.closing else list(c.result.problems)
    if existing:
        problems = [p for p in problems if not (p.act and p.key == "title")]
        problems.insert(c.parsed, rows.Problem("title", acts.duplicate(existing)))
        c.result.shown["title"] = c.raw_title
    if taken is not None:
        problems.append(taken)
        c.result.shown["meldnummer"] = c.raw_meldnummer
    c.result.problems = problems


def _batches(items: Sequence[Checked], size: int) -> Iterator[Sequence[Checked]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _held(batch: Iterable[Checked]) -> dict[tuple[int, str, datetime], str]:
    """The refs of the incidents the register holds with a title and awareness of the batch."""
    wanted: dict[int, set[datetime]] = {}
    for c in batch:
        if c.title is not None and c.aware_at is not None:
            wanted.setdefault(c.org.id, set()).add(c.aware_at)
    found: dict[tuple[int, str, datetime], str] = {}
    for org_id, moments in wanted.items():
        query = (
            sa.select(Incident.title, Incident.aware_at, Incident.ref)
            .where(Incident.organisation_id == org_id, Incident.aware_at.in_(moments))
            .order_by(Incident.id)
        )
        for title, aware_at, ref in db.session.execute(query):
            found.setdefault((org_id, title, aware_at), ref)
    return found


def _taken(batch: Iterable[Checked]) -> set[tuple[int, str]]:
    """The meldnummers of the batch that incidents in the register have (in capitals)."""
    wanted: dict[int, set[str]] = {}
    for c in batch:
        if c.taken is not None:
            wanted.setdefault(c.org.id, set()).add(c.meldnummer.upper())
    found: set[tuple[int, str]] = set()
    for org_id, keys in wanted.items():
        upper = sa.func.upper(Incident.meldnummer)
        query = sa.select(upper).where(Incident.organisation_id == org_id, upper.in_(keys))
        found.update((org_id, key) for key in db.session.scalars(query))
    return found
