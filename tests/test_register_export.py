"""The yearly register as PDF and CSV, read back as an inspector and Excel would read them."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from breachlog.audit import chain
from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.incidents.models import Incident
from breachlog.notifications import services as law
from breachlog.orgs.models import Organisation
from breachlog.register.columns import COLUMNS
from breachlog.register.export_csv import defused, register_csv
from breachlog.register.export_pdf import register_pdf

from .factories import Factory

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
MARKUP_TITLE = "Lijst gelekt <b>&</b> <script>alert(1)</script> &amp; <para>"
DUTCH_TITLE = "Ëën café-bezoeker kreeg € 5 korting: naïeve fout"
LONG_TEXT = " ".join(
    f"Zin {n}: een medewerker stuurde het overzicht met klantgegevens door." for n in range(60)
)
LATER_TEXT = "Bij nader inzien: de map lag een uur in een afgesloten kamer met camerabewaking."
ANSWERED = ("nature", "subjects", "records", "contact", "consequences", "measures")
LETTER = "Beste klant,\n\nOp 3 maart is uw naam en adres per ongeluk gedeeld.\n\nMet groet"


@dataclass
class Register:
    organisation: Organisation
    other: Organisation
    refs: list[str] = field(default_factory=list)  # the 2025 register, oldest awareness first
    elsewhere: list[str] = field(default_factory=list)  # other years and organisations


def build(make: Factory) -> Register:
    organisation = make.organisation(
        "Groenteboer De Ééndracht B.V.", kvk_number="87654321", fg_name="Fenna Groen"
    )
    other = make.organisation("Zustervennootschap B.V.")
    officer = make.user("officer", name="Olaf Officier")
    register = Register(organisation, other)

    def report(aware: datetime, **facts: object) -> Incident:
        facts.setdefault("discovered_at", aware)
        incident = make.incident(organisation, reporter=officer, now=NOW, aware_at=aware, **facts)
        return incident

    def notify(incident: Incident, hours: int, meldnummer: str, reasons: str = "") -> None:
        law.record_notification(
            incident,
            officer,
            NOW,
            kind="initial",
            submitted_at=incident.aware_at + timedelta(hours=hours),
            meldnummer=meldnummer,
            reasons_for_delay=reasons,
            answers={part: "Zie het register." for part in ANSWERED},
        )

    base = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
    quiet = report(base, title="Map op bureau laten liggen", cause="Clean desk niet gevolgd")
    incidents.update_incident(quiet, {"consequences": LATER_TEXT}, officer, NOW)
    incidents.add_measure(quiet, officer, NOW, kind="corrective", description="Map opgeborgen")
    law.assess(quiet, officer, NOW, risk="none", risk_rationale="Niemand heeft de map gezien.")

    on_time = report(
        base + timedelta(days=30),
        title=DUTCH_TITLE,
        summary=LONG_TEXT,
        consequences=LONG_TEXT,
        incident_type="wrong_recipient",
        nature=["confidentiality"],
        subject_categories=["customers"],
        records_count=480,
        cause="Clean desk niet gevolgd.",
    )
    law.assess(on_time, officer, NOW, risk="high", risk_rationale="Adressen van 480 klanten.")
    notify(on_time, 20, "M-2025-0001")
    law.record_subject_communication(
        on_time,
        officer,
        NOW,
        sent_at=on_time.aware_at + timedelta(days=2),
        channel="email",
        people_reached=480,
        text=LETTER,
        names_contact=True,
        names_consequences=True,
        names_measures=True,
    )

    late = report(base + timedelta(days=60), title=MARKUP_TITLE, incident_type="hacking")
    incidents.update_incident(late, {"people_max": 350}, officer, NOW)
    law.assess(late, officer, NOW, risk="risk", risk_rationale="Inloggegevens buitgemaakt.")
    notify(late, 90, "M-2025-0002", "Het lek werd pas na het weekend doorgezien.")

    exempted = report(
        base + timedelta(days=90),
        title='=HYPERLINK("http://x") in de titel',
        is_protected=True,
        protection_details="AES-256",
    )
    law.assess(exempted, officer, NOW, risk="high", risk_rationale="Versleutelde back-up.")
    notify(exempted, 30, "M-2025-0003")
    law.record_exemption(
        exempted,
        officer,
        NOW,
        ground="unintelligible",
        rationale="De back-up was versleuteld met AES-256; de sleutel is niet gelekt.",
    )

    not_a_breach = report(base + timedelta(days=120), title="Phishingmail zonder klikken")
    law.assess(
        not_a_breach,
        officer,
        NOW,
        risk="none",
        risk_rationale="",
        is_personal_data_breach=False,
        not_breach_rationale="Niemand klikte; er zijn geen persoonsgegevens geraakt.",
    )

    # the last evening of 2025 in Amsterdam is still 2025; half an hour into 2026 is not,
    # although both are 2025 in UTC
    new_year_eve = report(datetime(2025, 12, 31, 22, 30, tzinfo=UTC), title="Oudjaarsavond")
    new_year = report(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), title="Nieuwjaarsnacht")
    last_year = report(datetime(2024, 6, 1, 9, 0, tzinfo=UTC), title="Vorig jaar")
    sister = make.incident(
        other, reporter=officer, now=NOW, aware_at=base, discovered_at=base, title="Zuster"
    )
    db.session.commit()

    register.refs = [i.ref for i in (quiet, on_time, late, exempted, not_a_breach, new_year_eve)]
    register.elsewhere = [new_year.ref, last_year.ref, sister.ref]
    return register


# -- reading the files back


@dataclass
class Pdf:
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def flat(self, first: int = 0, last: int | None = None) -> str:
        """The text of pages first..last without their footers, as one line."""
        return " ".join(" ".join(map(body, self.pages[first:last])).split())


def body(page: str) -> str:
    """A page without its footer (its last four lines: what, fingerprint, page x of, y)."""
    return "\n".join(page.rstrip().split("\n")[:-4])


def read_pdf(data: bytes) -> Pdf:
    assert data.startswith(b"%PDF-")
    return Pdf([page.extract_text() for page in PdfReader(io.BytesIO(data)).pages])


def make_pdf(register: Register, year: int = 2025, language: str = "en") -> Pdf:
    data = register_pdf(
        register.organisation,
        year,
        language=language,
        generated_by="Fenna Groen (fg@example.nl)",
        now=NOW,
    )
    return read_pdf(data)


def csv_rows(data: bytes, separator: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def section(pdf: Pdf, heading: str) -> int:
    """The index of the first page that starts with `heading`."""
    return next(i for i, page in enumerate(pdf.pages) if page.lstrip().startswith(heading))


@pytest.fixture
def register(make: Factory) -> Register:
    return build(make)


# -- the PDF


def test_title_page_names_the_organisation_year_and_who_made_it(register):
    title = " ".join(make_pdf(register).pages[0].split())
    assert "Register of personal-data breaches" in title
    assert "Groenteboer De Ééndracht B.V." in title
    assert "87654321" in title  # KvK
    assert "2025" in title
    assert "Fenna Groen, fg@example.nl" in title  # FG / contact point
    assert "Generated by Fenna Groen (fg@example.nl)" in title
    assert "Generated at 10 Mar 2026, 10:00 CET" in title  # NOW in Amsterdam
    assert "Number of incidents 6 (of which 1 not a personal-data breach)" in title


def test_summary_counts_the_year(register):
    pdf = make_pdf(register)
    summary = pdf.flat(section(pdf, "Summary of 2025"), section(pdf, "The register"))
    assert "Incidents registered 6" in summary
    assert "Personal-data breaches 5" in summary
    assert "Not a personal-data breach 1" in summary
    assert "Notified to the AP 3" in summary
    assert "Notified within 72 hours 2 (67%)" in summary
    assert "Notified late 1" in summary
    assert "Median time from awareness to notification 30.0 hours" in summary
    assert "1 incident, 480 people reached" in summary
    assert "(a) data unintelligible: 1" in summary
    assert "Hacking, malware or phishing 1" in summary  # by kind of incident
    assert "high risk 2" in summary
    assert "Clean desk niet gevolgd 2×" in summary  # recurring, however it was punctuated
    assert "Incidents per month (by awareness)" in summary


def test_table_has_every_incident_of_the_year_and_no_other(register):
    pdf = make_pdf(register)
    table = pdf.flat(section(pdf, "The register"), section(pdf, "Every incident in detail"))
    positions = [table.index(ref) for ref in register.refs]
    assert positions == sorted(positions)  # in order of awareness
    for ref in register.elsewhere:
        assert ref not in pdf.text
    assert "M-2025-0002" in table and "late" in table  # with the reasons, abbreviated or not
    assert "Het lek werd pas na het weekend doorgezien." in table
    assert "31 Dec 2025, 23:30" in table  # local time of the last evening of the year
    assert "(continued in the details)" in table  # the long consequences are not all here
    assert " ".join(LONG_TEXT.split()) not in table


def test_table_header_repeats_on_every_table_page(register, make):
    # enough incidents for the table to run over several pages
    officer = make.user("officer")
    for n in range(12):
        aware = datetime(2025, 5, 1, 9, tzinfo=UTC) + timedelta(days=n)
        make.incident(
            register.organisation,
            reporter=officer,
            now=NOW,
            aware_at=aware,
            discovered_at=aware,
            consequences="Mogelijk misbruik van adresgegevens voor phishing. " * 6,
        )
    pdf = make_pdf(register)
    first, last = section(pdf, "The register"), section(pdf, "Every incident in detail")
    assert last - first >= 3
    for page in pdf.pages[first:last]:
        assert "Incident Dates Kind and nature Data and people" in " ".join(page.split())


def test_every_incident_has_a_detail_section_with_its_whole_story(register):
    pdf = make_pdf(register)
    details = pdf.flat(section(pdf, "Every incident in detail"))
    starts = [details.index(f"{ref} · ") for ref in register.refs]
    assert starts == sorted(starts)
    assert " ".join(LONG_TEXT.split()) in details  # wrapped over lines, nothing cut off
    assert "Map opgeborgen" in details  # a measure
    assert "M-2025-0001" in details and "within 72 hours" in details
    assert "Beste klant, Op 3 maart is uw naam en adres per ongeluk gedeeld." in details
    assert "De back-up was versleuteld met AES-256; de sleutel is niet gelekt." in details
    assert "Niemand klikte; er zijn geen persoonsgegevens geraakt." in details  # R1
    assert "reported the incident" in details and "assessed the risk" in details
    assert "recorded the notification to the AP" in details
    assert "Risk: not yet assessed » high risk" in details  # a change, before and after
    # the facts as first reported are repeated only where they have changed since
    assert (
        "reported the incident with these facts, since changed (now as above): "
        "Number of people (maximum): 200"
    ) in details
    assert "Number of people (maximum): 200 » 350" in details
    unchanged = "reported the incident with the facts as they stand above"
    assert details.count(unchanged) == len(register.refs) - 2
    # a long text changed to what the section above shows is not printed twice
    assert details.count(LATER_TEXT) == 1
    assert "Likely consequences for the people concerned: — » as above" in details
    assert "added a measure with the facts as they stand above" in details  # not repeated


def test_every_page_is_numbered_page_x_of_y_and_carries_the_fingerprint(register):
    fingerprint = chain.fingerprint()
    pdf = make_pdf(register)
    assert len(pdf.pages) >= 5
    for number, page in enumerate(pdf.pages, start=1):
        assert re.search(rf"Page {number} of\s+{len(pdf.pages)}\b", page), page[-300:]
        assert fingerprint in page
    assert chain.fingerprint() == fingerprint  # making the export wrote nothing


def test_dutch_characters_and_markup_print_as_typed(register):
    pdf = make_pdf(register)
    assert DUTCH_TITLE in pdf.text
    assert MARKUP_TITLE in pdf.text


def test_the_register_speaks_dutch(register):
    pdf = make_pdf(register, language="nl")
    assert pdf.pages[0].lstrip().startswith("Register van datalekken")
    assert re.search(rf"Pagina 1 van\s+{len(pdf.pages)}\b", pdf.pages[0])
    assert "Binnen 72 uur gemeld 2 (67%)" in pdf.flat(1, 3)
    assert "30,0 uur" in pdf.flat(1, 3)
    assert "Beschrijving per incident" in pdf.text
    assert "heeft het risico beoordeeld" in pdf.text


def test_an_empty_year_says_there_were_no_breaches(register):
    pdf = make_pdf(register, year=2023)
    assert len(pdf.pages) == 1
    assert "No breaches of personal data were registered in 2023." in pdf.flat()
    assert "Number of incidents 0" in pdf.flat()
    assert re.search(r"Page 1 of\s+1\b", pdf.pages[0])


# -- the CSV


def test_csv_is_utf8_with_bom_and_the_register_columns(register):
    data = register_csv(register.organisation, 2025, language="nl")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == [column.header("nl") for column in COLUMNS]
    assert [row[0] for row in rows[1:]] == register.refs
    by_ref = {row[0]: dict(zip([c.key for c in COLUMNS], row, strict=True)) for row in rows}
    on_time = by_ref[register.refs[1]]
    assert on_time["title"] == DUTCH_TITLE
    assert on_time["aware_at"] == "5-3-2025 10:00"  # 09:00 UTC in Amsterdam, no zone
    assert on_time["deadline_at"] == "8-3-2025 10:00"
    assert on_time["notified_at"] == "6-3-2025 06:00"
    assert on_time["on_time"] == "ja"
    assert on_time["meldnummer"] == "M-2025-0001"
    assert on_time["risk"] == "hoog risico"
    assert on_time["subject_categories"] == "Klanten"
    assert on_time["consequences"] == LONG_TEXT  # whole, not abbreviated as in the PDF table
    quiet = by_ref[register.refs[0]]
    assert quiet["personal_data"] == (
        "Naam, adres en woonplaats; "
        "E-mailadressen of andere adressen voor elektronische communicatie"
    )
    assert quiet["measures"] == "corrigerend: Map opgeborgen"
    exempted = by_ref[register.refs[3]]
    assert exempted["exemption"].startswith("(a) gegevens onbegrijpelijk: De back-up")
    assert by_ref[register.refs[4]]["risk"] == "geen datalek"


def test_csv_separator_can_be_a_comma(register):
    data = register_csv(register.organisation, 2025, language="en", separator=",")
    rows = csv_rows(data, ",")
    assert rows[0][:3] == ["Reference", "Organisation", "Title"]
    assert len(rows) == 1 + len(register.refs)
    with pytest.raises(ValueError):
        register_csv(register.organisation, 2025, language="en", separator="|")


def test_csv_cells_cannot_run_formulas(register):
    rows = csv_rows(register_csv(register.organisation, 2025, language="nl"))
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x") in de titel' in titles
    for value in ("=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert defused(value) == "'" + value
    assert defused("DL-2025-0001") == "DL-2025-0001"
    assert defused("") == ""


def test_an_empty_year_gives_a_csv_with_only_the_header(register):
    rows = csv_rows(register_csv(register.organisation, 2023, language="en"))
    assert rows == [[column.header("en") for column in COLUMNS]]


def test_lateness_comes_from_the_notification_or_else_from_the_deadline():
    from types import SimpleNamespace

    from breachlog.register.export_data import Record

    deadline = datetime(2025, 3, 8, 9, tzinfo=UTC)

    def record(notified_at, *notifications):
        incident = SimpleNamespace(notified_at=notified_at, deadline_at=deadline)
        return Record(incident, (), notifications, (), ())

    assert record(None).notified_late is None
    on_record = SimpleNamespace(kind="initial", is_late=True)
    assert record(deadline - timedelta(hours=1), on_record).notified_late is True
    # an imported register may have the date of the notification without its record
    assert record(deadline + timedelta(minutes=1)).notified_late is True
    assert record(deadline).notified_late is False


def test_the_pdf_says_not_known_yet_and_prints_the_meldformulier_answers(register, make):
    """A yes/no nobody answered reads "nog onbekend", never "nee" and never left out."""
    officer = make.user("officer")
    answered = db.session.scalars(
        db.select(Incident).where(Incident.ref == register.refs[0])
    ).one()
    incidents.update_incident(
        answered,
        {
            "is_ongoing": False,
            "data_outcomes": ["read", "stolen"],
            "harm_kinds": ["material"],
            "severity": "very_high",
            "other_authorities": [
                {"authority": "APD", "country": "BE", "notified_on": "2025-02-04"}
            ],
            "subjects_plan": "planned",
            "subjects_planned_on": datetime(2025, 2, 10).date(),
        },
        officer,
        NOW,
    )
    db.session.commit()
    pdf = make_pdf(register, language="nl")
    details = pdf.flat(section(pdf, "Beschrijving per incident"))
    first, rest = details.split(register.refs[1] + " · ", 1)
    assert "Nog gaande nee" in first and "Nog gaande nog onbekend" in rest
    assert "Grensoverschrijdende verwerking nog onbekend" in rest
    assert "FG betrokken nog onbekend" in rest
    assert "Bijzondere persoonsgegevens betrokken nog onbekend" in rest
    assert "Nog gaande nee" not in rest
    assert "gelezen, gestolen" in first and "ernst van de gevolgen zeer hoog" in first
    assert "APD (BE), 4-2-2025" in first and "10-2-2025" in first


def test_the_pdf_shows_the_first_recorded_awareness_beside_a_moved_one(make):
    """R14: where awareness was moved, the first recorded one, its deadline and why stand."""
    incident = make.incident(now=NOW, discovered_at=None, aware_at=NOW - timedelta(hours=30))
    officer = make.user("officer")
    incidents.update_incident(
        incident, {"aware_at": NOW - timedelta(hours=20)}, officer, NOW, reason="Tikfout in de dag"
    )
    db.session.commit()
    pdf = read_pdf(
        register_pdf(incident.organisation, 2026, language="en", generated_by="FG", now=NOW)
    )
    details = pdf.flat(section(pdf, "Every incident in detail"))
    assert "Organisation aware at (kennisname) 9 Mar 2026, 14:00 CET" in details
    assert "First recorded awareness 9 Mar 2026, 04:00 CET" in details
    assert "First recorded deadline 12 Mar 2026, 04:00 CET" in details
    assert "Why awareness was moved Tikfout in de dag" in details
