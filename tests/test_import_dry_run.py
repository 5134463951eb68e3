"""`breachlog import --dry-run` finds exactly what the import finds, and writes nothing.

The dry run checks each row with the checks of the services the import records it with,
without recording it; these tests hold the two side by side on a register with every kind
of problem the import reports, so a rule that only one of them checks shows as a difference.
"""

from __future__ import annotations

import csv
import os
import pty
import re
from contextlib import redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import Workbook

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.db import writing
from breachlog.extensions import db
from breachlog.incidents.models import Incident, Measure, RefCounter
from breachlog.notifications.models import Notification, SubjectCommunication
from breachlog.register.columns import BY_KEY
from breachlog.register.importing import command
from breachlog.reminders.models import Reminder

from .conftest import NOW
from .factories import Factory

ORG = "Groen Installatietechniek B.V."
COLUMNS = [
    "ref",
    "organisation",
    "title",
    "summary",
    "occurred_from",
    "occurred_until",
    "discovered_at",
    "aware_at",
    "processor_name",
    "processor_aware_at",
    "processor_notified_at",
    "is_ongoing",
    "incident_type",
    "nature",
    "personal_data",
    "subject_categories",
    "people_min",
    "people_max",
    "records_count",
    "consequences",
    "measures",
    "risk",
    "risk_rationale",
    "notified_at",
    "meldnummer",
    "reasons_for_delay",
    "subjects_informed",
    "exemption",
    "public_communication",
    "is_protected",
    "protection_details",
    "status",
    "cause",
]
HEADER = [BY_KEY[key].nl if key in BY_KEY else key for key in COLUMNS]
PUBLIC = "Op onze website staat sinds 3 juni wat er is gebeurd en wat klanten kunnen doen."
CLOSED = {"status": "afgesloten", "cause": "Phishing", "consequences": "Misbruik van adressen"}
CLOSED |= {"measures": "corrigerend: wachtwoorden gewijzigd"}
NOTIFIED = {"risk": "risico", "risk_rationale": "Adressen", "meldnummer": "M-2025-0100"}
# Already in the register before the import: found by title and awareness, or meldnummer.
HELD_TITLE, HELD_AWARE, HELD_MELDNUMMER = "Server gehackt", "2025-04-01 10:00", "M-2025-0001"
LONG_TITLE = "Lijst met klantgegevens per abuis gedeeld " * 6  # longer than a title may be


def row(label: str, **cells: str) -> dict[str, str]:
    """A fine row (no risk, reasoned) of 2025 unless `cells` say otherwise."""
    base = {
        "ref": label,
        "organisation": ORG,
        "title": f"Incident {label}",
        "aware_at": "2025-05-01 10:00",
        "risk": "geen risico",
        "risk_rationale": "Versleuteld",
    }
    return base | cells


# Each row is one case: what it checks is in its ref. Several rows break more than one rule.
CASES = [
    # fine rows, each through a different act
    row("fine-none"),
    row("fine-closed", **NOTIFIED, notified_at="2025-05-02 10:00", **CLOSED),
    row(
        "fine-informed",
        risk="hoog risico",
        risk_rationale="BSN's",
        notified_at="2025-05-02 10:00",
        meldnummer="M-2025-0101",
        subjects_informed="ja, 03-05-2025 09:00",
        people_max="30",
    ),
    row(
        "fine-exempt-a",
        risk="hoog",
        risk_rationale="Klantdossiers",
        notified_at="2025-05-02 10:00",
        meldnummer="M-2025-0102",
        exemption="a: schijf met BitLocker versleuteld",
        is_protected="ja",
        protection_details="BitLocker",
        **CLOSED,
    ),
    row(
        "fine-exempt-c",
        risk="hoog",
        risk_rationale="Klantdossiers",
        notified_at="2025-05-02 10:00",
        meldnummer="M-2025-0103",
        exemption="(c): duizenden oud-klanten zonder adres",
        public_communication=PUBLIC,
    ),
    row("fine-late", **NOTIFIED | {"meldnummer": "M-2025-0104"})
    | {"notified_at": "2025-05-06 10:00", "reasons_for_delay": "Omvang pas later bekend"},
    row("fine-not-a-breach", risk="geen datalek", risk_rationale="Bedrijfsgegevens", **CLOSED),
    row(
        "fine-processor",
        processor_name="Hosting B.V.",
        processor_aware_at="2025-04-30 08:00",
        processor_notified_at="2025-04-30 12:00",
        aware_at="",
    ),
    # cells that cannot be read
    row("date-skipped-hour", aware_at="30-03-2025 02:30"),
    row("date-twice", aware_at="26-10-2025 02:30"),
    row("date-year", aware_at="01-01-1999 10:00"),
    row("date-words", aware_at="gisteren"),
    row("date-none-such", aware_at="31-02-2025 10:00"),
    row("date-offset", aware_at="2025-02-30T10:00:00+01:00"),
    row("date-year-ahead", discovered_at="2040-01-01 10:00"),
    row("number-words", people_max="veel"),
    row("number-range", people_min="10-abc"),
    row("number-fraction", records_count="1,5"),
    row("yes-no", is_ongoing="misschien"),
    row("kind", incident_type="vulkaanuitbarsting"),
    row("risk-word", risk="enorm"),
    row("status-word", status="zoek"),
    row("catalogue", personal_data="e-mail; schoenmaat"),
    row("catalogue-people", subject_categories="marsbewoners"),
    row("meldnummer-long", **NOTIFIED, notified_at="2025-05-02 10:00") | {"meldnummer": "M" * 70},
    row("processor-name-long", processor_name="P" * 250),
    row("informed-yes", subjects_informed="ja"),
    row("exemption-ground", exemption="(z) geen idee"),
    row("organisation-unknown", organisation="Groen Holding B.V."),
    row("organisation-blank", organisation=""),
    # the incident's facts (R1, R2, R3, R5)
    row("risk-missing", risk=""),
    row("rationale-missing", risk="risico", risk_rationale=""),
    row("not-a-breach-reasonless", risk="geen datalek", risk_rationale=""),
    row("title-blank", title=""),
    row("title-long", title="T" * 250),
    row("aware-missing", aware_at=""),
    row("discovered-future", discovered_at="2026-06-01 10:00", aware_at="2026-06-01 11:00"),
    row("period-backwards", occurred_from="2025-04-20 10:00", occurred_until="2025-04-10 10:00"),
    row("discovered-before-start", occurred_from="2025-04-20 10:00", discovered_at="2025-04-10"),
    row("aware-before-discovery", discovered_at="2025-05-01 12:00"),
    row("aware-before-start", occurred_from="2025-05-02 10:00"),
    row(
        "processor-before-start",
        occurred_from="2025-04-29 10:00",
        processor_name="Hosting B.V.",
        processor_aware_at="2025-04-28 10:00",
    ),
    row(
        "processor-told-before-knowing",
        processor_name="Hosting B.V.",
        processor_aware_at="2025-04-30 10:00",
        processor_notified_at="2025-04-29 10:00",
    ),
    row(
        "aware-after-processor-notice",
        processor_name="Hosting B.V.",
        processor_notified_at="2025-04-29 10:00",
    ),
    row("ongoing-with-end", is_ongoing="ja", occurred_until="2025-04-30 10:00"),
    row("processor-unnamed", processor_notified_at="2025-05-01 09:00"),
    row("people-inverted", people_min="50", people_max="10"),
    row("summary-long", summary="x" * 20_001),
    row("measure-future", measures="corrigerend: nieuwe laptops (gedaan 01-06-2026 10:00)"),
    # the notification to the AP (R4)
    row("notified-future", **NOTIFIED, notified_at="2026-06-01 10:00"),
    row("notified-before-aware", **NOTIFIED, notified_at="2025-04-30 10:00"),
    row("notified-no-meldnummer", **NOTIFIED | {"meldnummer": ""}, notified_at="2025-05-02"),
    row("meldnummer-no-notification", meldnummer="M-2025-0105"),
    row("meldnummer-form", **NOTIFIED | {"meldnummer": "??"}, notified_at="2025-05-02 10:00"),
    row("notified-late", **NOTIFIED | {"meldnummer": "M-2025-0106"}, notified_at="2025-05-06"),
    # informing the people concerned, or the exemption (R7, R8, R12, R13)
    row("informed-before-aware", subjects_informed="2025-04-30 10:00", people_max="3"),
    row("informed-future", subjects_informed="2026-06-01 10:00", people_max="3"),
    row("informed-nobody-counted", subjects_informed="2025-05-02 10:00"),
    row("informed-nobody", subjects_informed="2025-05-02 10:00", people_min="0", people_max="0"),
    row("exemption-reasonless", exemption="(b)"),
    row("exemption-a-unprotected", exemption="(a): versleuteld"),
    row("exemption-a-how", exemption="(a): versleuteld", is_protected="ja"),
    row("exemption-c-unpublished", exemption="(c): te veel mensen"),
    # closing (R6, R16)
    row("close-unassessed", risk="", risk_rationale="", **CLOSED),
    row("close-unnotified", risk="risico", **CLOSED),
    row("close-uninformed", **NOTIFIED | {"risk": "hoog", "meldnummer": "M-2025-0107"}, **CLOSED)
    | {"notified_at": "2025-05-02 10:00"},
    row("close-bare", status="afgesloten"),
    # what only the register and the rows recorded before can tell
    row("held", title=HELD_TITLE, aware_at=HELD_AWARE),
    row("held-closing", title=HELD_TITLE, aware_at=HELD_AWARE, status="afgesloten"),
    row("held-long-title", title=LONG_TITLE.strip(), aware_at="2025-03-01 10:00"),
    row("meldnummer-held", **NOTIFIED | {"meldnummer": HELD_MELDNUMMER.lower()})
    | {"notified_at": "2025-05-02 10:00"},
    row("meldnummer-held-closing", **NOTIFIED | {"meldnummer": HELD_MELDNUMMER}, status="gesloten")
    | {"notified_at": "2025-05-02 10:00"},
    row("twice", title="Brief kwijt", aware_at="2025-06-01 10:00"),
    row("twice-again", title="Brief kwijt", aware_at="2025-06-01 10:00", risk="risico"),
    row("twice-bad", title="Mail kwijt", aware_at="2025-06-02 10:00", risk="enorm"),
    row("twice-bad-again", title="Mail kwijt", aware_at="2025-06-02 10:00"),
    row("meldnummer-twice", **NOTIFIED | {"meldnummer": "M-2025-0200"})
    | {"notified_at": "2025-07-02 10:00", "aware_at": "2025-07-01 10:00"},
    row("meldnummer-twice-again", **NOTIFIED | {"meldnummer": "m-2025-0200"})
    | {"notified_at": "2025-07-03 10:00", "aware_at": "2025-07-02 10:00"},
]
# Every message the import can give about a row (those the file can bring about): each must
# show up, so the cases above keep covering them all.
MESSAGES = [
    "does not exist in Europe/Amsterdam: the clocks went forward",
    "happened twice in Europe/Amsterdam",
    "the year must be from 2000 to 2036",
    "not a date; use 2026-03-01",
    "not an existing date or time",
    "Not a valid ISO 8601 date and time.",
    "not a whole number (1250, 1.250 and ca. 200 are understood)",
    "not yes or no (ja/nee, yes/no)",
    "unknown kind of incident",
    "unknown risk (geen risico, risico, hoog risico)",
    "unknown status",
    "unknown choice: 'schoenmaat'",
    "unknown choice: 'marsbewoners'",
    "longer than 64 characters",
    "longer than 200 characters",
    "says yes but not when",
    "unknown Art. 34(3) ground",
    "no active organisation by this name or KvK number",
    "say which organisation, or use --organisation",
    "a risk rationale without a risk level",
    "Write down why you chose this risk level",
    "Explain why this is not a personal-data breach",
    "Give the incident a short title.",
    "Keep the title under 200 characters.",
    "Say when the organisation became aware of the breach.",
    "The moment of discovery lies in the future.",
    "The end of the period cannot be before its start.",
    "A breach cannot be discovered before it started.",
    "The organisation cannot have become aware before the breach was discovered.",
    "The organisation cannot have become aware before the breach began.",
    "The processor cannot have become aware before the breach began.",
    "The processor cannot have told you before it knew itself.",
    "The organisation is aware no later than the processor's notice of 29-04-2025 10:00 CEST",
    "An ongoing breach has no end time yet.",
    "Name the processor whose times you recorded.",
    "The maximum cannot be lower than the minimum.",
    "This text is too long.",
    "The moment it was done lies in the future.",
    "The moment of submission lies in the future.",
    "The AP cannot have been notified before the organisation became aware.",
    "Give the meldnummer the AP returned on submission.",
    "a meldnummer without the date the AP was notified",
    "A meldnummer is the number the AP gave: 5 to 20 letters and digits",
    "This notification is later than 72 hours after awareness: give the reasons",
    "Meldnummer M-2025-0001 belongs to another incident of this organisation.",
    "Meldnummer m-2025-0200 belongs to another incident of this organisation.",
    "The people cannot have been informed before the organisation was aware.",
    "The moment it was sent lies in the future.",
    "Give the number of people reached.",
    "A communication reaches at least one person",
    "Explain why this ground applies.",
    "Ground (a) needs the data to have been protected",
    "Ground (a): describe in the facts how the data was protected.",
    "Informing everyone would take disproportionate effort",
    "Cannot close yet: assess the risk.",
    "Cannot close yet: notify the AP.",
    "Cannot close yet: inform the people concerned or record an exemption.",
    "Cannot close yet: record the cause of the breach.",
    "Cannot close yet: record the consequences of the breach.",
    "Cannot close yet: record at least one measure taken or planned.",
    "DL-2025-0001 has the same title and moment of awareness; imported before?",
    "DL-2025-0002 has the same title and moment of awareness; imported before?",
]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def invoke(app: Flask, *args: Any) -> Any:
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def write(path: Path, cases: list[dict[str, str]]) -> Path:
    table = [HEADER] + [[case.get(key, "") for key in COLUMNS] for case in cases]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(table)
    else:
        book = Workbook()
        for line in table:
            book.active.append([cell if cell != "" else None for cell in line])
        book.save(path)
    return path


def held_register(app: Flask, make: Factory, tmp_path: Path, long_title: bool = True) -> None:
    """The register as it was: incidents found by title and awareness, one by meldnummer."""
    make.organisation(ORG)
    held = [
        row("old-1", title=HELD_TITLE, aware_at=HELD_AWARE),
        row("old-2", **NOTIFIED | {"meldnummer": HELD_MELDNUMMER}, notified_at="2025-05-02"),
        row("old-3", title="Lijst gedeeld", aware_at="2025-03-01 10:00"),
    ]
    result = invoke(app, write(tmp_path / "before.csv", held))
    assert result.exit_code == 0, result.output
    if not long_title:
        return
    with app.app_context():
        # a title longer than titles may be, as SQLite keeps it (PostgreSQL refuses it)
        query = sa.update(Incident).where(Incident.title == "Lijst gedeeld")
        db.session.execute(query.values(title=LONG_TITLE.strip()))
        db.session.commit()


def state(app: Flask) -> dict[str, Any]:
    """Every row count an import touches, the ref counters and the head of the audit chain."""
    with app.app_context():
        models = (Incident, AuditEvent, Notification, SubjectCommunication, Reminder, Measure)
        found: dict[str, Any] = {
            m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in models
        }
        found["counters"] = db.session.execute(
            sa.select(RefCounter.organisation_id, RefCounter.year, RefCounter.last_seq)
        ).all()
        found["head"] = db.session.execute(
            sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).one()
        return found


def problems(output: str) -> list[tuple[int, str, str]]:
    """(row, column, message) for each problem of the report."""
    found, number = [], 0
    for line in output.splitlines():
        if match := re.match(r"row (\d+) ", line):
            number = int(match[1])
        elif match := re.match(r"    .*? \[(\w+)\] .*?: (.*)$", line):
            found.append((number, match[1], match[2]))
    return found


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_dry_run_finds_what_the_import_finds(
    app: Flask, make: Factory, tmp_path: Path, suffix: str, backend: str
):
    held_register(app, make, tmp_path, long_title=backend == "sqlite")
    path = write(tmp_path / f"register{suffix}", CASES)
    before = state(app)

    dry = invoke(app, path, "--dry-run")
    assert state(app) == before  # nothing written, no ref taken, the audit chain as it was
    real = invoke(app, path)
    assert state(app) == before  # one row with a problem: the import writes nothing either

    assert (dry.exit_code, real.exit_code) == (1, 1)
    assert problems(dry.output) == problems(real.output)
    # and everything else the report says, the refs that fine rows get included
    assert dry.output.splitlines()[1:-1] == real.output.splitlines()[1:-1], dry.output
    # only SQLite holds the over-long title that DL-2025-0001 stands for here
    expected = [m for m in MESSAGES if backend == "sqlite" or not m.startswith("DL-2025-0001")]
    missing = [message for message in expected if message not in real.output]
    assert not missing, real.output
    reported = {number for number, _column, _message in problems(real.output)}
    first = 2  # the header is row 1
    fine = {n for n, case in enumerate(CASES, start=first) if case["ref"].startswith("fine")}
    fine |= {first + CASES.index(c) for c in CASES if c["ref"] in ("twice", "twice-bad-again")}
    fine.add(first + [c["ref"] for c in CASES].index("meldnummer-twice"))
    assert reported == set(range(first, first + len(CASES))) - fine


def test_the_dry_run_gives_the_refs_the_import_gives(app: Flask, make: Factory, tmp_path: Path):
    held_register(app, make, tmp_path, long_title=False)
    fine = [case for case in CASES if case["ref"].startswith("fine")]
    fine += [row("later", aware_at="2025-02-01 10:00"), row("2024", aware_at="2024-12-31 10:00")]
    path = write(tmp_path / "register.csv", fine)
    before = state(app)

    dry = invoke(app, path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert state(app) == before
    audit = app.test_cli_runner().invoke(args=["verify-audit"])
    assert audit.exit_code == 0, audit.output
    real = invoke(app, path)

    assert real.exit_code == 0, real.output
    would = re.findall(r"OK, would be (\S+)", dry.output)
    assert would == re.findall(r"imported as (\S+)", real.output)
    # in order of awareness, after the three of 2025 in the register; the row whose awareness
    # is its processor's notice comes last, as the import takes it
    assert would == [*(f"DL-2025-{n:04d}" for n in range(5, 13)), "DL-2025-0004", "DL-2024-0001"]


def test_a_dry_run_shows_its_progress_on_a_terminal(app: Flask, make: Factory, tmp_path: Path):
    make.organisation(ORG)
    path = write(
        tmp_path / "register.csv", [row(f"r{n}") | {"title": f"T {n}"} for n in range(600)]
    )
    controller, terminal = pty.openpty()
    lines: list[str] = []
    try:
        with (
            app.app_context(),
            writing(),
            open(terminal, "w", closefd=False) as tty,
            redirect_stdout(tty),
        ):
            status = command.run(
                path,
                organisation_id=None,
                dry_run=True,
                maps=(),
                language="nl",
                separator="auto",
                sheet_name=None,
                actor="test",
                now=NOW,
                echo=lines.append,
            )
        os.set_blocking(controller, False)
        shown = os.read(controller, 1 << 16).decode()
    finally:
        os.close(controller)
        os.close(terminal)
    assert status == 0
    assert "Checking" in shown and "100%" in shown
    assert "600 rows: 600 fine, 0 with problems." in lines


def test_a_dry_run_asks_the_database_per_batch_and_writes_nothing(
    app: Flask, make: Factory, tmp_path: Path
):
    """No row is written, not even in a savepoint rolled back, and no query is made per row."""
    held_register(app, make, tmp_path, long_title=False)
    cases = []
    for n in range(700):
        day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        case = row(f"r{n}", title=f"Laptop {n}", aware_at=f"{day} 10:00")
        if n % 3:
            case |= NOTIFIED | {"meldnummer": f"M-2025-{n + 1000}", "notified_at": f"{day} 18:00"}
        cases.append(case)
    path = write(tmp_path / "register.csv", cases)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()[:2]).upper())

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        result = invoke(app, path, "--dry-run")
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)

    assert result.exit_code == 0, result.output
    assert "700 rows: 700 fine, 0 with problems." in result.output
    # reading only: on SQLite not even the write lock is taken (BEGIN IMMEDIATE)
    assert {s.split()[0] for s in statements} <= {"BEGIN", "SELECT"}, statements
    assert "BEGIN IMMEDIATE" not in statements
    # the organisations, the catalogue and the ref counter once, and per 500 rows the
    # register's titles and meldnummers: 7 for 700 rows, as for 501
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) == 7, "\n".join(statements)
