"""Faithful records: the register, its PDF and its pages say exactly what happened."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from breachlog.extensions import db
from breachlog.incidents.models import Incident
from breachlog.register.export_text import MARKER

from .test_register_export import ANSWERED, NOW, make_pdf, read_pdf

NAMES = ("Łódź", "Şahin", "Paweł Włodarczyk", "Yılmaz", "😀")


def _names_register(make):
    from breachlog.register.export_pdf import register_pdf

    organisation = make.organisation("Łódź Logistyka Sp. z o.o.", fg_name="Paweł Włodarczyk")
    officer = make.user("officer", name="Ayşe Yılmaz")
    aware = datetime(2025, 5, 1, 9, tzinfo=UTC)
    make.incident(
        organisation,
        reporter=officer,
        now=NOW,
        aware_at=aware,
        discovered_at=aware,
        title="Brief van Şahin naar Paweł Włodarczyk in Łódź 😀",
        summary="Klant Yılmaz meldde het; zijn naam in het Chinees is 漢字.",
    )
    db.session.commit()
    return read_pdf(
        register_pdf(organisation, 2025, language="nl", generated_by="Yılmaz", now=NOW)
    )


def test_the_pdf_prints_every_name_as_typed(make):
    pdf = _names_register(make)
    for name in NAMES:
        assert name in pdf.text
    for plain in ("Lodz", "Sahin", "Pawel", "Wlodarczyk", "Yilmaz", "Lódz"):
        assert plain not in pdf.text
    assert "Łódź Logistyka Sp. z o.o." in pdf.pages[0]  # the title page and every footer
    assert all("Łódź Logistyka" in page for page in pdf.pages)


def test_a_character_no_font_has_is_marked_and_listed_on_the_last_page(make):
    pdf = _names_register(make)
    assert f"in het Chinees is {MARKER}{MARKER}." in pdf.text
    last = pdf.pages[-1]
    assert "Tekens die niet konden worden afgedrukt" in last
    assert "U+6F22 CJK UNIFIED IDEOGRAPH-6F22" in last
    assert "U+5B57 CJK UNIFIED IDEOGRAPH-5B57" in last


def test_a_register_without_such_characters_has_no_such_list(make):
    from .test_register_export import build

    pdf = make_pdf(build(make))
    assert "Characters that could not be printed" not in pdf.text


# -- years: from 2000 to ten years ahead, the register year follows awareness


def test_a_two_digit_year_in_the_report_form_is_refused_naming_the_field(client, make, auth):
    from .test_incidents_web import report_form

    make.organisation()
    auth.login(make.user("reporter").email)
    for typed in ("0026-12-05T20:18", "0001-01-01T00:00", "9999-12-31T23:30"):
        response = client.post("/report", data=report_form(discovered_at=typed))
        assert response.status_code == 200, typed
        page = response.get_data(as_text=True)
        assert "When was it discovered?: give a year from 2000 to" in page, typed
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0


def test_a_measure_done_in_year_9999_is_refused_by_the_api(client, make):
    from .test_api import API, bearer

    incident = make.incident()
    headers = bearer(make.user("officer"))
    response = client.post(
        f"{API}/incidents/{incident.ref}/measures",
        json={
            "kind": "corrective",
            "description": "Laptop gewist",
            "done_at": "9999-12-31T23:30:00+00:00",
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert "give a year from 2000 to" in response.get_json()["errors"]["done_at"][0]
    due = client.post(
        f"{API}/incidents/{incident.ref}/measures",
        json={"kind": "corrective", "description": "Beleid", "due_on": "0026-01-01"},
        headers=headers,
    )
    assert due.status_code == 422
    assert "due_on" in due.get_json()["errors"]


def test_an_import_with_year_26_names_the_row_and_column(app, make, tmp_path):
    from .test_register_import import invoke, write_csv

    make.organisation()
    path = write_csv(
        tmp_path / "register.csv", [["Titel", "Kennisname"], ["Laptop kwijt", "05-12-0026 20:18"]]
    )
    result = invoke(app, path, "--dry-run")
    assert result.exit_code == 1
    assert "Kennisname [aware_at] '05-12-0026 20:18': the year must be from 2000 to" in (
        result.output
    )


def test_an_odd_stored_time_never_breaks_the_page_or_the_pdf(client, make, auth):
    from breachlog.incidents import services

    aware = datetime(2026, 3, 1, 9, tzinfo=UTC)
    incident = make.incident(aware_at=aware, discovered_at=aware)
    officer = make.user("officer")
    # stored before the year rule existed (the rules now refuse it): the row holds it for good
    from breachlog.incidents.models import Measure

    measure = services.add_measure(
        incident, officer, NOW, kind="corrective", description="Gewist", done_at=aware
    )
    db.session.flush()
    db.session.execute(
        sa.update(Measure)
        .where(Measure.id == measure.id)
        .values(done_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    )
    db.session.commit()
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}")
    assert page.status_code == 200
    assert "9999-12-31" in page.get_data(as_text=True)
    pdf = _pdf(incident.organisation, 2026)
    assert "9999-12-31" in pdf.text


def test_awareness_moved_to_another_year_moves_the_incident_to_that_register(make):
    from breachlog.incidents import services
    from breachlog.register.export_csv import register_csv

    from .test_register_export import csv_rows

    incident = make.incident(
        aware_at=datetime(2025, 12, 30, 9, tzinfo=UTC),
        discovered_at=datetime(2025, 12, 30, 9, tzinfo=UTC),
        now=datetime(2026, 1, 10, 9, tzinfo=UTC),
    )
    ref = incident.ref
    assert ref.startswith("DL-2025-")
    services.update_incident(
        incident,
        {"aware_at": datetime(2026, 1, 2, 9, tzinfo=UTC)},
        make.user("officer"),
        NOW,
        reason="Het jaar was verkeerd getypt",
    )
    # R14: past the first deadline a later awareness waits for a second officer
    services.approve_aware_at(incident, make.user("officer"), NOW)
    db.session.commit()
    assert incident.ref == ref  # the ref is kept
    organisation = incident.organisation
    in_2026 = [row[0] for row in csv_rows(register_csv(organisation, 2026, language="nl"))]
    in_2025 = [row[0] for row in csv_rows(register_csv(organisation, 2025, language="nl"))]
    assert ref in in_2026
    assert ref not in in_2025
    assert ref in _pdf(organisation, 2026).text


def test_an_old_odd_register_year_can_still_be_read(client, make):
    from .test_api import API, bearer

    incident = make.incident()
    db.session.execute(sa.update(Incident).where(Incident.id == incident.id).values(ref_year=26))
    db.session.commit()
    response = client.get(f"{API}/register/26.csv", headers=bearer(make.user("officer")))
    assert response.status_code == 200
    assert incident.ref in response.get_data(as_text=True)


def test_an_old_odd_register_year_can_still_be_downloaded_from_the_register_page(
    client, make, auth
):
    incident = make.incident()
    db.session.execute(sa.update(Incident).where(Incident.id == incident.id).values(ref_year=26))
    db.session.commit()
    auth.login(make.user("officer").email)
    page = client.get("/register?year=26").get_data(as_text=True)
    assert "/register/26.csv" in page and "/register/26.pdf" in page
    csv = client.get("/register/26.csv")
    assert csv.status_code == 200
    assert incident.ref in csv.get_data(as_text=True)
    assert client.get("/register/26.pdf").status_code == 200


def test_a_measure_due_day_outside_the_years_is_refused_when_changed(client, make, auth):
    import pytest

    from breachlog.domain.errors import RuleViolation
    from breachlog.incidents import services
    from breachlog.measures import services as measures

    incident = make.incident()
    officer = make.user("officer")
    measure = services.add_measure(incident, officer, NOW, kind="corrective", description="Wis")
    db.session.commit()
    auth.login(officer.email)
    edit = f"/incidents/{incident.ref}/measures/{measure.id}/edit"
    for typed in ("0001-01-01", "0026-06-01", "9999-12-31"):
        response = client.post(edit, data={"description": "Wis", "due_on": typed})
        assert response.status_code == 422, typed
        assert "Due: give a year from 2000 to" in response.get_data(as_text=True), typed
        db.session.refresh(measure)
        assert measure.due_on is None
    with pytest.raises(RuleViolation):
        measures.edit_measure(
            measure, officer, NOW, description="Wis", owner="", due_on=date(9999, 12, 31)
        )


def _pdf(organisation, year):
    from breachlog.register.export_pdf import register_pdf

    return read_pdf(register_pdf(organisation, year, language="nl", generated_by="FG", now=NOW))


# -- the CSV: no formula in any spreadsheet, and every column an inspector asks for

INJECTED = "Laptop kwijt,=cmd|' /C calc'!A0,"


def _csv_register(make):
    from breachlog.notifications import services as law

    from .test_register_import import at

    organisation = make.organisation("Groen Installatietechniek B.V.")
    officer = make.user("officer")
    aware = at("2025-06-10 08:05")
    incident = make.incident(
        organisation,
        reporter=officer,
        now=NOW,
        aware_at=aware,
        discovered_at=aware,
        title=INJECTED,
        cause="Schijf niet versleuteld.",
        consequences="Klanten kunnen phishing-mail krijgen.",
    )
    law.assess(incident, officer, NOW, risk="high", risk_rationale="Veel klanten.")
    law.record_notification(
        incident,
        officer,
        NOW,
        kind="initial",
        submitted_at=at("2025-06-14 09:00"),
        meldnummer="M-2025-0044",
        reasons_for_delay="Omvang pas na forensisch onderzoek bekend.",
        answers={part: "Zie het register." for part in ANSWERED if part != "measures"},
        follows=["measures"],
    )
    law.record_exemption(
        incident,
        officer,
        NOW,
        ground="disproportionate",
        rationale="Adressen van 40.000 oud-klanten zijn niet bekend.",
        public_communication="Bericht op de website en in De Stentor op 16 juni 2025.",
        public_sent_at=at("2025-06-16 09:00"),
        public_channel="website",
    )
    db.session.commit()
    return organisation, incident


def test_every_csv_cell_is_quoted_so_no_list_separator_makes_a_formula(make):
    import csv
    import io

    from breachlog.register.export_csv import register_csv

    organisation, _incident = _csv_register(make)
    text = register_csv(organisation, 2025, language="nl").decode("utf-8-sig")
    assert "\"Laptop kwijt,'=cmd|' /C calc'!A0,\"" in text
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"')
    # opened where the list separator is a comma, the quoted title stays one cell
    for row in csv.reader(io.StringIO(text), delimiter=","):
        for cell in row:
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@"))


def test_the_csv_has_closing_evaluation_provisional_and_lateness(make):
    from breachlog.incidents import services
    from breachlog.notifications import services as law
    from breachlog.register.columns import COLUMNS
    from breachlog.register.export_csv import register_csv

    from .test_register_export import csv_rows

    organisation, incident = _csv_register(make)
    rows = csv_rows(register_csv(organisation, 2025, language="nl"))
    row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
    header = dict(zip([c.key for c in COLUMNS], rows[0], strict=True))
    assert header["is_provisional"] == "Voorlopige melding"
    assert header["closed_at"] == "Gesloten op"
    assert header["evaluation"] == "Evaluatie"
    assert row["is_provisional"] == "ja"
    assert row["on_time"] == "nee"
    assert row["reasons_for_delay"] == "Omvang pas na forensisch onderzoek bekend."
    assert row["public_communication"].startswith("Bericht op de website")
    assert row["closed_at"] == ""
    law.record_notification(
        incident,
        make.user("officer"),
        NOW,
        kind="supplement",
        submitted_at=NOW,
        meldnummer="M-2025-0044",
        gives=["measures"],
        answers={"measures": "Alle laptops versleuteld."},
    )
    services.add_measure(
        incident,
        make.user("officer"),
        NOW,
        kind="corrective",
        description="Versleuteld",
        done_at=NOW,
    )
    law.close(incident, make.user("officer"), NOW, evaluation="Versleutel elke laptop.")
    db.session.commit()
    rows = csv_rows(register_csv(organisation, 2025, language="nl"))
    row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
    assert row["is_provisional"] == "nee"
    assert row["closed_at"] != ""
    assert row["evaluation"] == "Versleutel elke laptop."


def test_exemption_c_with_its_public_communication_round_trips_through_import(app, make, tmp_path):
    from breachlog.notifications.models import SubjectCommunication
    from breachlog.register.export_csv import register_csv

    from .test_register_import import invoke

    organisation, _incident = _csv_register(make)
    target = make.organisation("Groen Service B.V.", ref_prefix="GS")
    path = tmp_path / "register-2025.csv"
    path.write_bytes(register_csv(organisation, 2025, language="nl"))
    result = invoke(app, path, "--organisation", target.id, "--lang", "nl")
    assert result.exit_code == 0, result.output
    with app.app_context():
        imported = db.session.scalars(
            sa.select(SubjectCommunication)
            .join(Incident)
            .where(Incident.organisation_id == target.id)
        ).one()
        assert imported.ground == "disproportionate"
        assert imported.public_communication.startswith("Bericht op de website")
        titles = db.session.scalars(
            sa.select(Incident.title).where(Incident.organisation_id == target.id)
        ).all()
        assert titles == [INJECTED]


# -- the history in words, on the page and in the PDF


def _notified_with_parts_following(make):
    from breachlog.notifications import services as law

    aware = datetime(2026, 3, 9, 9, tzinfo=UTC)
    incident = make.incident(aware_at=aware, discovered_at=aware)
    officer = make.user("officer", language="nl")
    law.assess(incident, officer, NOW, risk="risk", risk_rationale="Adressen van klanten.")
    law.record_notification(
        incident,
        officer,
        NOW,
        kind="initial",
        submitted_at=datetime(2026, 3, 10, 8, tzinfo=UTC),
        meldnummer="M1234567",
        answers={part: "Zie het register." for part in ANSWERED if part != "measures"},
        follows=["measures"],
    )
    db.session.commit()
    return incident, officer


def test_the_page_history_names_fields_and_values_in_words(client, make, auth):
    incident, officer = _notified_with_parts_following(make)
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    history = page[page.index('id="history"') :]
    for internal in ("submitted_at", "is_provisional", "is_late", "follows", "initial<"):
        assert internal not in history, internal
    assert "+00:00" not in history
    assert "Ingediend" in history
    assert "10-3-2026 09:00 CET" in history
    assert "eerste melding" in history
    assert "Volgt later" in history and "(d) Genomen of voorgestelde maatregelen" in history


def test_the_pdf_history_names_reminder_stages_in_words(make):
    from .test_register_export import build

    pdf = make_pdf(build(make), language="nl")
    assert "before-48h" not in pdf.text and "overdue-1" not in pdf.text
    assert "Herinneringen: 1 dag na de meldtermijn" in pdf.text


# -- one date format per language, everywhere


def test_one_date_format_per_language():
    from breachlog.formats import day_text, moment_text

    moment = datetime(2026, 12, 6, 13, 5, tzinfo=UTC)
    zone = "Europe/Amsterdam"
    assert moment_text(moment, zone, "nl") == "6-12-2026 14:05"
    assert moment_text(moment, zone, "en") == "6 Dec 2026, 14:05"
    assert moment_text(moment, zone, "nl", with_zone=True) == "6-12-2026 14:05 CET"
    assert day_text(moment.date(), "en") == "6 Dec 2026"
    # no zone holds this moment: it is shown as stored, never an error
    odd = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    assert moment_text(odd, zone, "nl") == "9999-12-31T23:30:00+00:00"


def test_english_pages_put_the_day_first(client, make, auth):
    aware = datetime(2026, 12, 5, 19, 18, tzinfo=UTC)
    incident = make.incident(aware_at=aware, discovered_at=aware, now=NOW.replace(month=12))
    officer = make.user("officer", language="en")
    auth.login(officer.email)
    page = client.get(f"/incidents/{incident.ref}").get_data(as_text=True)
    assert "5 Dec 2026, 20:18 CET" in page
    assert "12/5/26" not in page and "Dec 5, 2026" not in page
    register = client.get("/register").get_data(as_text=True)
    assert "5 Dec 2026, 20:18 CET" in register


def test_the_csv_and_pdf_show_dates_as_the_pages_do(make):
    from breachlog.register.columns import COLUMNS
    from breachlog.register.export_csv import register_csv

    from .test_register_export import csv_rows

    organisation, _incident = _csv_register(make)
    for language, expected in (("nl", "10-6-2025 08:05"), ("en", "10 Jun 2025, 08:05")):
        rows = csv_rows(register_csv(organisation, 2025, language=language))
        row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
        assert row["aware_at"] == expected
    pdf = _pdf(organisation, 2025)
    assert "10-6-2025 08:05" in pdf.text


# -- search: the meldnummer, an old ref, the processor, names with or without accents


def test_the_register_search_finds_meldnummer_old_ref_processor_and_names_without_accents(
    client, make, auth
):
    from .test_search import found

    incident, _officer = _notified_with_parts_following(make)
    names = make.incident(
        title="Brief aan Łódź",
        summary="Klant Şahin is geïnformeerd.",
        processor_name="Koeriersdienst Snel B.V.",
    )
    other = make.incident(title="Telefoon kwijt", summary="Niets bijzonders")
    auth.login(make.user("officer").email)
    assert found(client, q="M1234567") == {incident.ref}
    assert found(client, q="lodz") == {names.ref}
    assert found(client, q="Sahin") == {names.ref}
    assert found(client, q="geinformeerd") == {names.ref}
    assert found(client, q="ŁÓDŹ") == {names.ref}
    assert found(client, q="snel b.v") == {names.ref}
    assert found(client, q="TELEFOON") == {other.ref}


def test_an_imported_incident_is_found_by_its_old_ref(app, make, tmp_path):
    from .test_register_import import invoke, write_csv
    from .test_search import found, logged_in

    make.organisation()
    path = write_csv(
        tmp_path / "register.csv",
        [["Nummer", "Titel", "Kennisname"], ["2019-17", "Laptop kwijt", "05-03-2025 10:00"]],
    )
    result = invoke(app, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        ref = db.session.scalars(sa.select(Incident.ref)).one()
        client = logged_in(app, make)
    assert found(client, q="2019-17") == {ref}
