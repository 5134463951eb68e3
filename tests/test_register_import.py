"""`breachlog import`: last year's Excel register into breachlog, checked row by row."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import Workbook

from breachlog import clock
from breachlog.audit.models import AuditEvent
from breachlog.domain.deadlines import local_to_utc
from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.incidents.models import Incident
from breachlog.notifications import services as notifications
from breachlog.notifications.models import Notification, SubjectCommunication
from breachlog.register.columns import COLUMNS
from breachlog.register.export_csv import register_csv
from breachlog.register.importing import values
from breachlog.register.importing.mapping import KNOWN, normalise, parse_overrides
from breachlog.reminders import tick
from breachlog.reminders.models import CANCELLED, PENDING, Reminder

from .conftest import NOW
from .factories import Factory

ZONE = "Europe/Amsterdam"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def at(text: str) -> datetime:
    """A local time in Amsterdam, as an officer would have typed it."""
    return local_to_utc(datetime.fromisoformat(text), ZONE)


def invoke(app: Flask, *args: Any) -> Any:
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Incident, AuditEvent, Notification, SubjectCommunication, Reminder)
        }


def write_csv(path: Path, rows: list[list[Any]], separator: str = ";", bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=separator).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Register 2025"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rows_of(app: Flask, org_id: int) -> list[Incident]:
    with app.app_context():
        query = sa.select(Incident).where(Incident.organisation_id == org_id)
        return list(db.session.scalars(query.order_by(Incident.aware_at)))


# the CSV round trip: the export's columns and values back in through the import


def past_year(make: Factory) -> Any:
    """Three incidents of 2025, handled through the services as an officer would have."""
    org = make.organisation("Groen Installatietechniek B.V.")
    fg = make.user("officer")
    laptop = incidents.report_incident(
        fg,
        org,
        {
            "title": "Laptop verloren in de trein",
            "summary": "Een monteur liet een laptop met werkbonnen liggen.\nNiet teruggevonden.",
            "occurred_from": at("2025-02-03 07:40"),
            "discovered_at": at("2025-02-03 09:00"),
            "aware_at": at("2025-02-03 10:15"),
            "incident_type": "lost_device",
            "nature": ["confidentiality", "availability"],
            "personal_data": ["name_address", "phone", "email"],
            "subject_categories": ["customers"],
            "people_min": 1200,
            "people_max": 1500,
            "records_count": 1500,
            "consequences": "Klanten kunnen phishing-mail krijgen.",
            "cause": "Schijf niet versleuteld.",
        },
        at("2025-02-03 10:30"),
    )
    incidents.add_measure(
        laptop,
        fg,
        at("2025-02-03 11:00"),
        kind="corrective",
        description="Laptop op afstand gewist; wachtwoorden gewijzigd",
        done_at=at("2025-02-03 10:55"),
    )
    incidents.add_measure(
        laptop,
        fg,
        at("2025-02-03 11:05"),
        kind="preventive",
        description="Schijfversleuteling op alle laptops",
        due_on=date(2025, 4, 1),
    )
    notifications.assess(
        laptop, fg, at("2025-02-03 14:00"), risk="risk", risk_rationale="Niet versleuteld."
    )
    notifications.record_notification(
        laptop,
        fg,
        at("2025-02-04 16:10"),
        kind="initial",
        submitted_at=at("2025-02-04 16:00"),
        meldnummer="M-2025-0012",
        follows=["subjects"],
    )
    incidents.update_incident(laptop, {"people_min": 1200}, fg, at("2025-02-05 09:00"))
    notifications.record_notification(
        laptop,
        fg,
        at("2025-02-05 10:10"),
        kind="supplement",
        submitted_at=at("2025-02-05 10:00"),
        gives=["subjects"],
        note="Aantallen",
    )
    notifications.close(laptop, fg, at("2025-03-01 09:00"), open_measures_confirmed=True)

    phishing = incidents.report_incident(
        fg,
        org,
        {
            "title": "Phishing: mailbox klantenservice overgenomen",
            "aware_at": at("2025-06-10 08:05"),
            "incident_type": "hacking",
            "nature": ["confidentiality", "integrity"],
            "personal_data": ["email", "login"],
            "special_categories": ["health"],
            "subject_categories": ["customers", "employees"],
            "people_min": 80,
            "people_max": 80,
            "consequences": "Misbruik van inloggegevens.",
        },
        at("2025-06-10 08:20"),
    )
    notifications.assess(
        phishing, fg, at("2025-06-10 09:00"), risk="high", risk_rationale="Gezondheidsgegevens."
    )
    notifications.record_notification(
        phishing,
        fg,
        at("2025-06-14 09:10"),
        kind="initial",
        submitted_at=at("2025-06-14 09:00"),
        meldnummer="M-2025-0044",
        reasons_for_delay="Omvang pas na forensisch onderzoek bekend.",
        follows=["measures"],
    )
    incidents.add_measure(
        phishing,
        fg,
        at("2025-06-14 10:00"),
        kind="corrective",
        description="Wachtwoorden gereset",
        done_at=at("2025-06-14 09:30"),
    )
    notifications.record_notification(
        phishing,
        fg,
        at("2025-06-14 10:10"),
        kind="supplement",
        submitted_at=at("2025-06-14 10:05"),
        gives=["measures"],
        note="Maatregelen",
    )
    notifications.record_subject_communication(
        phishing,
        fg,
        at("2025-06-15 14:10"),
        sent_at=at("2025-06-15 14:00"),
        channel="email",
        people_reached=80,
        text="Beste klant, uw mailbox-gegevens zijn misbruikt. Vragen: fg@example.nl. Wij "
        "hebben de wachtwoorden gereset.",
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )
    incidents.update_incident(phishing, {"cause": "Phishing"}, fg, at("2025-06-30 09:00"))
    notifications.close(phishing, fg, at("2025-07-01 09:00"))

    letter = incidents.report_incident(
        fg,
        org,
        {
            "title": "=Brief naar verkeerd adres",  # the export escapes this for Excel
            "aware_at": at("2025-11-20 13:30"),
            "incident_type": "wrong_recipient",
            "nature": ["confidentiality"],
            "personal_data": ["name_address", "financial"],
            "subject_categories": ["customers"],
            "people_min": 1,
            "people_max": 1,
        },
        at("2025-11-20 13:45"),
    )
    notifications.assess(
        letter,
        fg,
        at("2025-11-20 15:00"),
        risk="none",
        risk_rationale="Ontvanger vernietigde hem.",
    )
    # the meldformulier's own answers, each state: the laptop's stay not known yet
    incidents.update_incident(
        letter,
        {
            "law": "telecom",
            "notifier_name": "Fenna de Groot",
            "notifier_role": "FG",
            "notifier_email": "fg@example.nl",
            "notifier_phone": "+31 20 123 4567",
            "other_organisations": "Drukkerij Jansen | drukker",
            "is_ongoing": False,
            "is_protected": False,
            "is_cross_border": True,
            "member_states": ["BE"],
            "data_outcomes": ["read", "deleted"],
            "has_special_categories": False,
            "consequences_confidentiality": "De ontvanger las een factuur.",
            "consequences_availability": "Geen.",
            "harm_kinds": ["none"],
            "severity": "low",
            "other_authorities": [
                {"authority": "APD", "country": "BE", "notified_on": date(2025, 11, 21)},
                {"authority": "CNIL; Paris", "country": "FR", "reference": "F-1"},
            ],
            "subjects_plan": "not",
            "subjects_plan_reason": "Eén ontvanger, brief vernietigd.",
            "subjects_planned_on": date(2025, 12, 1),
            "other_remarks": "Geen.",
        },
        fg,
        at("2025-11-21 09:00"),
    )
    db.session.commit()
    return org


FACTS = (
    "title",
    "summary",
    "occurred_from",
    "discovered_at",
    "aware_at",
    "deadline_at",
    "incident_type",
    "nature",
    "personal_data",
    "special_categories",
    "subject_categories",
    "people_min",
    "people_max",
    "records_count",
    "consequences",
    "cause",
    "risk",
    "risk_rationale",
    "notified_at",
    "meldnummer",
    "subjects_informed_at",
    "status",
    "ref_year",
    # the meldformulier's own answers, and the yes/no facts in their three states
    "law",
    "notifier_name",
    "notifier_role",
    "notifier_email",
    "notifier_phone",
    "other_organisations",
    "is_ongoing",
    "is_protected",
    "is_cross_border",
    "data_outcomes",
    "has_special_categories",
    "consequences_confidentiality",
    "consequences_integrity",
    "consequences_availability",
    "harm_kinds",
    "severity",
    "other_authorities_notified",
    "other_authorities",
    "subjects_plan",
    "subjects_plan_reason",
    "subjects_planned_on",
    "other_remarks",
)


@pytest.mark.parametrize(("language", "separator"), [("nl", ";"), ("en", ",")])
def test_csv_round_trip_gives_the_same_register(
    app: Flask, make: Factory, tmp_path: Path, language: str, separator: str
):
    """The export's own CSV, read back into a second organisation, gives the same facts."""
    source = past_year(make)
    target = make.organisation("Groen Service B.V.", ref_prefix="GS")
    path = tmp_path / "register-2025.csv"
    path.write_bytes(register_csv(source, 2025, language=language, separator=separator))
    assert "'=Brief naar verkeerd adres" in path.read_text(encoding="utf-8-sig")

    result = invoke(app, path, "--organisation", target.id, "--lang", language)

    assert result.exit_code == 0, result.output
    before, after = rows_of(app, source.id), rows_of(app, target.id)
    assert [i.ref for i in after] == ["GS-2025-0001", "GS-2025-0002", "GS-2025-0003"]
    assert "Imported 3 incidents: GS-2025-0001, GS-2025-0002, GS-2025-0003." in result.output
    for old, new in zip(before, after, strict=True):
        assert {f: getattr(new, f) for f in FACTS} == {f: getattr(old, f) for f in FACTS}
    with app.app_context():
        laptop, phishing = (db.session.merge(i) for i in after[:2])
        measures = [(m.kind, m.description, m.done_at, m.due_on) for m in laptop.measures]
        assert measures == [
            (
                "corrective",
                "Laptop op afstand gewist; wachtwoorden gewijzigd",
                at("2025-02-03 10:55"),
                None,
            ),
            ("preventive", "Schijfversleuteling op alle laptops", None, date(2025, 4, 1)),
        ]
        (late,) = phishing.notifications
        assert late.is_late and late.reasons_for_delay.startswith("Omvang pas")
        assert late.meldnummer == "M-2025-0044"
        assert "register-2025.csv, " + ("rij 3" if language == "nl" else "row 3") in late.note
        (told,) = phishing.subject_communications
        assert told.sent_at == at("2025-06-15 14:00") and told.people_reached == 80
        event = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.incident_id == laptop.id, AuditEvent.action == "incident.imported"
            )
        ).one()
        source_note = (
            "Geïmporteerd uit register-2025.csv, rij 2; kenmerk daar: DL-2025-0001"
            if language == "nl"
            else "Imported from register-2025.csv, row 2; its reference there: DL-2025-0001"
        )
        assert event.reason == source_note
        assert event.actor.startswith("command line")

    officer = make.user("officer")
    client = app.test_client()
    client.post("/login", data={"email": officer.email, "password": "correct horse battery"})
    page = client.get("/incidents/GS-2025-0001")
    assert page.status_code == 200
    # the history says where it came from, under which reference it was kept there
    assert f"{source_note}</div>" in page.text


# a register kept by hand: mixed dates, empty rows, unknown columns, a row without aware_at

MESSY_HEADER = [
    "Nummer",
    "Datum kennisname",
    "Omschrijving",
    "Soort incident",
    "Persoonsgegevens",
    "Aantal betrokkenen",
    "Risico",
    "Onderbouwing",
    "Gemeld op",
    "Meldnummer AP",
    "Opmerkingen intern",
    "Behandelaar",
]


def messy_rows(usb_aware_at: Any = None) -> list[list[Any]]:
    return [
        ["Datalekregister 2025 — Groen Installatietechniek"],
        MESSY_HEADER,
        [
            "2025-01",
            datetime(2025, 1, 14, 9, 30),  # an Excel date cell
            "Laptop gestolen uit auto",
            "Lost or stolen device or paper",  # English label
            "Naam, adres en woonplaats, Telefoonnummers",  # labels that hold commas
            "ca. 1.250",
            "geen risico",  # Dutch risk label
            "Schijf versleuteld",
            None,
            None,
            "zie mail FG",
            "Fenna",
        ],
        [],
        [
            "2025-02",
            "3-2-2025 14:00",
            "Factuur naar verkeerde klant",
            "E-mail of post naar de verkeerde ontvanger",
            "E-mailadressen of andere adressen voor elektronische communicatie; IP-adressen",
            1,
            "Risico",
            "Factuur met adres en bedrag",
            "04/02/2025 10:00",
            "M-2025-001",
            None,
            None,
        ],
        [
            "2025-03",
            usb_aware_at,
            "USB-stick met salarisstroken kwijt",
            "lost_device",
            "financial",
            "40",
            "Hoog risico",
            "Salarisgegevens, niet versleuteld",
            None,
            None,
            None,
            None,
        ],
        [None] * len(MESSY_HEADER),
        [
            "2025-04",
            "2025-10-26T02:30:00+01:00",  # the second 02:30 that night, by its offset
            "Phishingmail geopend",
            "hacking",
            None,
            "10-20",
            "none",
            "Geen gegevens ingezien",
            None,
            None,
            None,
            None,
        ],
        [
            "2025-05",
            "1 maart 2025 08:15",
            "Inbraak in archiefkast",
            "Anders",
            "Naam, adres en woonplaats",
            "1 250",
            "geen risico",
            "Kast bleek leeg",
            None,
            None,
            None,
            None,
        ],
        [None, None, None, None, None, None, None, None, None, None, "totaal: 5", None],
    ]


def test_messy_xlsx_dry_run_names_the_bad_row_and_writes_nothing(
    app: Flask, make: Factory, tmp_path: Path
):
    make.organisation()
    path = write_xlsx(tmp_path / "register.xlsx", messy_rows())
    before = counts(app)

    result = invoke(app, path, "--dry-run")

    assert result.exit_code == 1, result.output
    assert counts(app) == before
    out = result.output
    assert "Header in row 2" in out
    assert "Unknown columns, not read: 'Opmerkingen intern', 'Behandelaar'" in out
    assert "row 3     2025-01                        OK, would be DL-2025-0001" in out
    assert (
        "row 6     2025-03                        1 problem\n"
        "    Datum kennisname [aware_at] (empty): "
        "Say when the organisation became aware of the breach.\n"
    ) in out
    assert "row 10    (no ref or title)              skipped: nothing in the columns" in out
    assert "5 rows: 4 fine, 1 with problems, 3 empty rows skipped." in out
    assert "Dry run: nothing written." in out


def test_messy_xlsx_once_fixed_imports_every_row_in_one_go(
    app: Flask, make: Factory, tmp_path: Path
):
    org = make.organisation()
    path = write_xlsx(tmp_path / "register.xlsx", messy_rows(date(2025, 3, 5)))
    before = counts(app)

    assert invoke(app, path, "--dry-run").exit_code == 0
    assert counts(app) == before
    result = invoke(app, path)

    assert result.exit_code == 0, result.output
    assert counts(app)["Incident"] == before["Incident"] + 5
    assert "Imported 5 incidents: DL-2025-0001, DL-2025-0002" in result.output
    laptop, brief, inbraak, usb, phishing = rows_of(app, org.id)
    assert (laptop.aware_at, laptop.incident_type) == (at("2025-01-14 09:30"), "lost_device")
    assert laptop.personal_data == ["name_address", "phone"]
    assert (laptop.people_min, laptop.people_max, laptop.risk) == (None, 1250, "none")
    assert (brief.risk, brief.meldnummer, brief.status) == ("risk", "M-2025-001", "notified")
    assert brief.notified_at == at("2025-02-04 10:00")
    assert brief.personal_data == ["email", "ip_address"]
    assert inbraak.aware_at == at("2025-03-01 08:15") and inbraak.people_max == 1250
    assert usb.aware_at == at("2025-03-05 00:00") and usb.risk == "high"
    assert phishing.aware_at == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
    assert (phishing.people_min, phishing.people_max) == (10, 20)
    with app.app_context():
        imported = db.session.scalars(
            sa.select(AuditEvent.reason)
            .where(AuditEvent.action == "incident.imported")
            .order_by(AuditEvent.id)
        ).all()
        reported = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "incident.reported")
        )
    assert (
        imported[0]
        == "Geïmporteerd uit register.xlsx [Register 2025], rij 3; kenmerk daar: 2025-01"
    )
    assert len(imported) == 5 and reported == 0
    audit = app.test_cli_runner().invoke(args=["verify-audit"])
    assert audit.exit_code == 0 and "Audit chain intact" in audit.output


def test_one_bad_row_writes_nothing(app: Flask, make: Factory, tmp_path: Path):
    make.organisation()
    path = write_csv(
        tmp_path / "register.csv",
        [
            ["Titel", "Kennisname", "Risico", "Onderbouwing risico"],
            ["Laptop kwijt", "14-01-2025 09:30", "geen risico", "Versleuteld"],
            ["Brief verkeerd", "31-02-2025 10:00", "geen risico", "Eén adres"],
            ["Mail verkeerd", "2025-03-01 11:00", "geen risico", "Teruggehaald"],
        ],
    )
    before = counts(app)

    result = invoke(app, path)

    assert result.exit_code == 1
    assert counts(app) == before
    assert "row 3     Brief verkeerd                 1 problem" in result.output
    assert "Kennisname [aware_at] '31-02-2025 10:00': not an existing date" in result.output
    assert "Nothing written: fix the problems above and run the import again." in result.output


def test_map_names_columns_breachlog_does_not_know(app: Flask, make: Factory, tmp_path: Path):
    org = make.organisation()
    path = write_csv(
        tmp_path / "register.csv",
        [
            ["Titel", "Moment ontdekt door FG", "Risico", "Waarom", "Wanneer gemeld", "Intern"],
            ["Server gehackt", "2025-04-01 10:00", "hoog", "BSN's", "2025-04-02 09:00", "x"],
        ],
    )
    unmapped = invoke(app, path, "--dry-run")
    assert unmapped.exit_code == 1
    assert "File: no column for aware_at" in unmapped.output
    assert "Rows not checked: fix the columns first. Nothing written." in unmapped.output
    assert "'Moment ontdekt door FG', 'Waarom', 'Wanneer gemeld', 'Intern'" in unmapped.output

    maps = [
        "Moment ontdekt door FG=aware_at",
        "waarom=risk_rationale",  # headers are matched case-insensitively here too
        "Wanneer gemeld=notified_at",
        "Intern=",
    ]
    result = invoke(app, path, *[arg for m in maps for arg in ("--map", m)])

    assert result.exit_code == 1  # the notification has no meldnummer: the rule still holds
    assert (
        "Meldnummer [meldnummer] (no such column): "
        "Give the meldnummer the AP returned on submission." in result.output
    )
    assert "Ignored with --map: 'Intern'" in result.output
    path = write_csv(
        tmp_path / "register.csv",
        [
            ["Titel", "Moment ontdekt door FG", "Risico", "Waarom", "Wanneer gemeld", "Nr AP"],
            [
                "Server gehackt",
                "2025-04-01 10:00",
                "hoog",
                "BSN's",
                "2025-04-02 09:00",
                "M-2025-7",
            ],
        ],
    )
    maps[-1] = "Nr AP=meldnummer"
    result = invoke(app, path, *[arg for m in maps for arg in ("--map", m)])
    assert result.exit_code == 0, result.output
    (hacked,) = rows_of(app, org.id)
    assert (hacked.aware_at, hacked.risk, hacked.meldnummer) == (
        at("2025-04-01 10:00"),
        "high",
        "M-2025-7",
    )


def test_a_time_in_the_skipped_hour_is_refused(app: Flask, make: Factory, tmp_path: Path):
    make.organisation()
    path = write_csv(
        tmp_path / "register.csv",
        [
            ["Titel", "Kennisname"],
            ["Laptop kwijt", "30-03-2025 02:30"],
            ["Mail verkeerd", "26-10-2025 02:30"],
        ],
    )

    result = invoke(app, path, "--dry-run")

    assert result.exit_code == 1
    assert (
        "row 2     Laptop kwijt                   1 problem\n"
        "    Kennisname [aware_at] '30-03-2025 02:30': 2025-03-30 02:30 does not exist in "
        "Europe/Amsterdam: the clocks went forward that night; check the time"
    ) in result.output
    assert (
        "2025-10-26 02:30 happened twice in Europe/Amsterdam (the clocks went back); write "
        "which one with its offset: 2025-10-26T02:30:00+02:00 (summer time) or "
        "2025-10-26T02:30:00+01:00 (winter time)"
    ) in result.output


def test_a_late_notification_without_reasons_is_refused(app: Flask, make: Factory, tmp_path: Path):
    org = make.organisation()
    header = ["Titel", "Kennisname", "Risico", "Onderbouwing risico", "Gemeld aan AP op"]
    header += ["Meldnummer", "Reden vertraging"]
    row = [
        "Server gehackt",
        "2025-05-01 09:00",
        "risico",
        "Adressen",
        "2025-05-05 10:00",
        "M-2025-9",
    ]
    path = write_csv(tmp_path / "register.csv", [header, [*row, ""]])

    result = invoke(app, path)

    assert result.exit_code == 1
    assert (
        "Reden vertraging [reasons_for_delay] (empty): This notification is later than 72 "
        "hours after awareness: give the reasons for the delay (Art. 33(1))."
    ) in result.output
    assert rows_of(app, org.id) == []

    write_csv(path, [header, [*row, "Pas na onderzoek van de leverancier bekend"]])
    assert invoke(app, path).exit_code == 0
    (hacked,) = rows_of(app, org.id)
    with app.app_context():
        (notification,) = db.session.merge(hacked).notifications
        assert notification.is_late and notification.reasons_for_delay.startswith("Pas na")
        # historic: what the register did not hold is said to be absent, not owed (R11)
        assert notification.follows == [] and hacked.owed_parts == []
        parts = notification.answers["parts"]
        marks = {"not in the imported register", "niet in het geïmporteerde register"}
        absent = {part for part, text in parts.items() if text in marks}
        assert absent == {"nature", "subjects", "records", "consequences", "measures"}


def test_reading_a_windows_csv_with_commas(app: Flask, make: Factory, tmp_path: Path):
    org = make.organisation()
    text = (
        "Title,Aware at,People concerned,Nature,People (max)\r\n"
        '"Dossier patiënt gemaild aan verkeerde huisarts",01/03/2025 10:00,"Patiënten, Klanten",'
        '"C, I","1.250"\r\n'
    )
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode("cp1252"))

    result = invoke(app, path, "--lang", "en")

    assert result.exit_code == 0, result.output
    (incident,) = rows_of(app, org.id)
    assert incident.title == "Dossier patiënt gemaild aan verkeerde huisarts"
    assert incident.subject_categories == ["patients", "customers"]
    assert incident.nature == ["confidentiality", "integrity"]
    assert incident.people_max == 1250


def test_importing_the_same_register_twice_is_refused(app: Flask, make: Factory, tmp_path: Path):
    make.organisation()
    path = write_csv(tmp_path / "r.csv", [["Titel", "Kennisname"], ["Laptop", "2025-01-02 10:00"]])
    assert invoke(app, path).exit_code == 0

    again = invoke(app, path)

    assert again.exit_code == 1
    assert "DL-2025-0001 has the same title and moment of awareness; imported before?" in (
        again.output
    )


def test_bad_arguments_exit_2(app: Flask, make: Factory, tmp_path: Path):
    org = make.organisation()
    good = write_csv(tmp_path / "r.csv", [["Titel", "Kennisname"], ["Laptop", "2025-01-02"]])
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    old = tmp_path / "register.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    broken = tmp_path / "register.xlsx"
    broken.write_bytes(b"not a zip")
    workbook = write_xlsx(tmp_path / "book.xlsx", [["Titel", "Kennisname"]])

    cases = {
        (tmp_path / "missing.csv",): "does not exist",
        (pdf,): "cannot read .pdf; save the register as .xlsx or .csv",
        (old,): "Excel 97-2003 .xls is not supported",
        (broken,): "not a readable .xlsx workbook",
        (workbook, "--sheet", "2024"): "has no sheet '2024'; it has 'Register 2025'",
        (
            good,
            "--organisation",
            99,
        ): f"no active organisation with id 99; choose one of: {org.id}",
        (good, "--map", "Titel"): 'write it as "Their header=key"',
        (good, "--map", "Titel=naam"): "unknown field 'naam'",
        (good, "--map", "Naam=title"): "--map names a column the file does not have",
        (good, "--separator", "|"): "Invalid value for '--separator'",
    }
    before = counts(app)
    for args, message in cases.items():
        result = invoke(app, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    make.organisation()
    several = invoke(app, good)
    assert several.exit_code == 2
    assert "several organisations keep a register here; choose one with --organisation" in (
        several.output
    )
    assert counts(app) == before | {"AuditEvent": before["AuditEvent"] + 1}


def test_people_informed_or_exempted_as_the_register_says(
    app: Flask, make: Factory, tmp_path: Path
):
    org = make.organisation()
    header = ["Titel", "Kennisname", "Risico", "Onderbouwing risico", "Gemeld aan AP op"]
    header += ["Meldnummer", "Betrokkenen geïnformeerd", "Uitzondering", "Aantal betrokkenen"]
    header += ["Status", "Oorzaak", "Gevolgen", "Maatregelen"]
    header += ["is_protected", "protection_details"]  # R13: what exemption (a) rests on
    done = ["Phishing", "Misbruik", "Wachtwoorden gewijzigd"]  # R16: a closed entry holds these
    informed = ["Klantenbestand gelekt", "2025-02-10 09:00", "hoog risico", "BSN's"]
    informed += ["2025-02-11 09:00", "M-2025-1"]
    exempted = ["Laptop gestolen", "2025-03-10 09:00", "hoog", "Klantdossiers"]
    exempted += ["2025-03-11 09:00", "M-2025-2"]
    not_a_breach = ["Offerte aan verkeerde klant", "2025-04-10 09:00", "geen datalek"]
    not_a_breach += ["Alleen bedrijfsgegevens", "", ""]
    path = write_csv(
        tmp_path / "register.csv",
        [
            header,
            [*informed, "ja", "", "30", "afgesloten", *done[:2], "", "", ""],
            [*exempted, "", "(a) gegevens onbegrijpelijk", "", "afgesloten", *done[:2], ""]
            + ["ja", "AES"],
            [*not_a_breach, "", "", "", "afgesloten", "", "", "", "", ""],
        ],
    )

    result = invoke(app, path, "--dry-run")

    assert result.exit_code == 1
    assert (
        "Betrokkenen geïnformeerd [subjects_informed] 'ja': says yes but not when; give the "
        "date the people concerned were informed"
    ) in result.output
    assert (
        "Uitzondering [exemption] '(a) gegevens onbegrijpelijk': Explain why this ground applies."
    ) in result.output
    assert "row 4     Offerte aan verkeerde klant    OK, would be DL-2025-0001" in result.output

    write_csv(
        path,
        [
            header,
            [*informed, "ja, 12-02-2025 10:00", "", "30", "afgesloten", *done, "", ""],
            [*exempted, "", "a: schijf met BitLocker versleuteld", "", "afgesloten", *done]
            + ["ja", "BitLocker"],
            [*not_a_breach, "", "", "", "afgesloten", "", "", "", "", ""],
        ],
    )
    assert invoke(app, path).exit_code == 0
    told, exempt, no_breach = rows_of(app, org.id)
    assert [i.status for i in (told, exempt, no_breach)] == ["closed"] * 3
    assert told.subjects_informed_at == at("2025-02-12 10:00")
    assert exempt.exemption_ground == "unintelligible"
    assert not no_breach.is_personal_data_breach
    assert no_breach.not_breach_rationale == "Alleen bedrijfsgegevens"
    with app.app_context():
        (communication,) = db.session.merge(told).subject_communications
        assert communication.people_reached == 30
        assert "de verzonden tekst staat niet in het geïmporteerde register" in communication.text
        (exemption,) = db.session.merge(exempt).subject_communications
        assert exemption.rationale == "schijf met BitLocker versleuteld"


def test_rows_go_to_the_organisation_they_name(app: Flask, make: Factory, tmp_path: Path):
    first = make.organisation("Groen Installatietechniek B.V.")
    second = make.organisation("Groen Service B.V.", kvk_number="87654321", ref_prefix="GS")
    rows = [
        ["Entiteit", "Titel", "Kennisname"],
        ["groen installatietechniek bv", "Laptop kwijt", "2025-01-02 10:00"],
        ["87654321", "Mail verkeerd", "2025-01-03 10:00"],
        ["Groen Holding B.V.", "Brief kwijt", "2025-01-04 10:00"],
    ]
    path = write_csv(tmp_path / "groep.csv", rows)

    result = invoke(app, path)

    assert result.exit_code == 1
    assert (
        "Entiteit [organisation] 'Groen Holding B.V.': no active organisation by this name or "
        "KvK number"
    ) in result.output
    write_csv(path, rows[:3])
    assert invoke(app, path).exit_code == 0
    assert [i.ref for i in rows_of(app, first.id)] == ["DL-2025-0001"]
    assert [i.ref for i in rows_of(app, second.id)] == ["GS-2025-0001"]


# imported history does not flood anyone's mailbox


def test_imported_old_incidents_plan_no_reminders_unless_still_open(
    app: Flask, make: Factory, tmp_path: Path
):
    org = make.organisation()
    header = ["Titel", "Kennisname", "Risico", "Onderbouwing risico", "Gemeld aan AP op"]
    header += ["Meldnummer", "Status", "Betrokkenen geïnformeerd", "Aantal betrokkenen"]
    header += ["Oorzaak", "Gevolgen", "Maatregelen"]  # R16: what a closed entry holds
    path = write_csv(
        tmp_path / "register.csv",
        [
            header,
            ["Afgesloten", "2025-01-10 09:00", "risico", "r", "2025-01-11 09:00", "M-2025-1"]
            + ["afgesloten", "", ""]
            + ["Phishing", "Misbruik van adressen", "Wachtwoorden gewijzigd"],
            ["Hoog, gemeld", "2025-02-10 09:00", "hoog risico", "r", "2025-02-11 09:00"]
            + ["M-2025-2", "gemeld", "ja 2025-02-12 10:00", "30", "", "", ""],
            ["Nooit beoordeeld", "2025-03-10 09:00", "", "", "", "", "open", "", ""]
            + ["", "", ""],
        ],
    )
    assert invoke(app, path).exit_code == 0

    closed, notified, forgotten = rows_of(app, org.id)
    assert closed.status == "closed" and notified.status == "notified"
    with app.app_context():
        planned = db.session.execute(
            sa.select(Reminder.incident_id, Reminder.stage, Reminder.status).order_by(Reminder.id)
        ).all()
        # Only the forgotten one waits, with its most urgent stage, not the whole missed
        # countdown. The high-risk one needed its people informed from the moment its
        # notification was recorded until their communication was, a line further down.
        assert planned == [
            (notified.id, "subjects-1", CANCELLED),
            (forgotten.id, "overdue-1", PENDING),
        ]

        sent: list[str] = []

        def send(reminder: Reminder, now: datetime) -> list[str]:
            sent.append(f"{reminder.incident.ref} {reminder.stage}")
            return ["fg@example.nl"]

        tick.tick(NOW, send)
        tick.tick(NOW + timedelta(seconds=30), send)
        tick.tick(NOW + timedelta(minutes=1), send)
    assert sent == ["DL-2025-0003 overdue-1"]


# reading cells and headers


def test_dates_as_registers_write_them():
    expected = at("2026-03-01 09:30")
    for text in (
        "2026-03-01 09:30",
        "01-03-2026 09:30",
        "1-3-2026 9:30",
        "01/03/2026 09.30",
        "1.3.2026 09:30:00",
        "1 maart 2026 09:30",
        "2026-03-01T09:30",
        "2026-03-01T09:30:00+01:00",
        "2026-03-01 10:30+02:00",
        "2026-03-01T08:30:00Z",
    ):
        assert values.moment(text, ZONE) == expected, text
    assert values.moment(datetime(2026, 3, 1, 9, 30), ZONE) == expected
    assert values.moment(datetime(2026, 3, 1, 9, 29, 59, 999_990), ZONE) == expected
    assert values.moment(date(2026, 3, 1), ZONE) == at("2026-03-01 00:00")
    assert values.moment("  ", ZONE) is None
    for bad in ("2026-13-01", "03/31/2026", "gisteren", "46082"):
        with pytest.raises(values.BadValue):
            values.moment(bad, ZONE)


def test_numbers_yes_no_and_choices():
    assert [values.count(v) for v in ("1250", "1.250", "1 250", "ca. 200", 12.0, 7)] == [
        1250,
        1250,
        1250,
        200,
        12,
        7,
    ]
    for bad in ("1,5", "veel", 2.5):
        with pytest.raises(values.BadValue):
            values.count(bad)
    assert [values.yes_no(v) for v in ("Ja", "nee", "YES", "n", True, "")] == [
        True,
        False,
        True,
        False,
        True,
        None,
    ]
    table = {normalise("Naam, adres en woonplaats"): "name_address", "telefoonnummers": "phone"}
    table["email"] = "email"
    assert values.choices("Naam, adres en woonplaats, Telefoonnummers\nemail", table, "x") == [
        "name_address",
        "phone",
        "email",
    ]
    with pytest.raises(values.BadValue, match="unknown x: 'schoenmaat'"):
        values.choices("email; schoenmaat", table, "x")


def test_every_header_and_alias_means_one_column():
    seen: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.nl, column.en, *column.aliases):
            assert seen.setdefault(normalise(name), column.key) == column.key, name
    assert KNOWN[normalise(" KENNISNAME ")] == KNOWN[normalise("moment-van-kennisname")]
    assert parse_overrides(["Datum melding AP = notified_at", "Intern="]) == {
        "datummeldingap": "notified_at",
        "intern": "",
    }


@pytest.mark.parametrize("cell", ["", "onbekend", "Nog onbekend", "weet ik niet", "unknown", "?"])
def test_a_yes_no_nobody_answered_is_read_as_not_known_yet(cell):
    assert values.three_state(cell) is None


def test_yes_no_words_and_authorities_as_the_export_writes_them():
    assert [values.three_state(w) for w in ("ja", "nee", "yes", "no", "1", "0")] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    with pytest.raises(values.BadValue):
        values.three_state("misschien")
    assert values.authorities("APD | be | 21-11-2025\nCNIL; Paris | FR | | F-1") == [
        {"authority": "APD", "country": "BE", "notified_on": date(2025, 11, 21), "reference": ""},
        {"authority": "CNIL; Paris", "country": "FR", "notified_on": None, "reference": "F-1"},
    ]
    with pytest.raises(values.BadValue):
        values.authorities("APD")


def test_the_csv_says_not_known_yet_where_nobody_answered(app: Flask, make: Factory):
    org = past_year(make)
    with app.app_context():
        org = db.session.merge(org)
        text = register_csv(org, 2025, language="nl").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    laptop, letter = rows[0], rows[2]
    assert laptop["Nog gaande"] == laptop["Grensoverschrijdend"] == "nog onbekend"
    assert laptop["Bijzondere persoonsgegevens betrokken"] == "nog onbekend"
    assert letter["Nog gaande"] == "nee" and letter["Grensoverschrijdend"] == "ja"
    assert (
        letter["Andere toezichthouders"] == "APD | BE | 2025-11-21 | \nCNIL; Paris | FR |  | F-1"
    )
