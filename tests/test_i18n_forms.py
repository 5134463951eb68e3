"""Every form's errors are whole Dutch sentences on a Dutch screen: no English msgid, no code
name pasted into a Dutch sentence, and the parts that follow later named in words."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from breachlog import clock
from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.notifications import services as law_services

from .factories import Factory
from .test_i18n import read_catalogue

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
# WTForms' own English, in case a validator's message escaped its translation
WTFORMS_ENGLISH = ("Not a valid", "Field must be", "Invalid", "Field cannot be")


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


def english_msgids() -> list[str]:
    """Messages whose Dutch differs from the English: seen on a Dutch page, they are a bug."""
    found = []
    for message in read_catalogue():
        if not message.id or isinstance(message.id, tuple | list):
            continue
        text = message.id.split("%(")[0].strip()
        if len(text) >= 15 and message.string and message.string != message.id:
            found.append(text)
    return found


def errors_in(page: str) -> list[str]:
    found = re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)
    for block in re.findall(r'<div class="alert alert-error"[^>]*>(.*?)</div>', page, re.S):
        found += re.findall(r"<p>(.*?)</p>", block, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found]


def english_in(errors: list[str]) -> list[str]:
    msgids = english_msgids()
    return [
        error
        for error in errors
        if any(msgid in error for msgid in msgids)
        or any(marker in error for marker in WTFORMS_ENGLISH)
    ]


@pytest.fixture
def dutch(app, client, auth, fixed_now) -> dict[str, Any]:
    with app.app_context():
        make = Factory(app)
        org = make.organisation()
        officer = make.user("officer", language="nl")
        admin = make.user("admin", language="nl")
        incident = make.incident(org, reporter=officer, now=NOW)
        measure = incidents.add_measure(
            incident, officer, NOW, kind="corrective", description="Wachtwoorden resetten"
        )
        db.session.commit()
        world = {
            "ref": incident.ref,
            "measure": measure.id,
            "officer": officer.email,
            "admin": admin.email,
            "user": officer.id,
            "org": org.id,
        }
    return world


FUTURE = "2026-03-20T10:00"
TOO_LONG = "x" * 20_001
# (form, path, data): each with at least one mistake a person makes
FORMS = [
    ("report", "/report", {"title": "", "discovered_at": FUTURE, "summary": TOO_LONG}),
    ("report-time", "/report", {"title": "Kwijt", "discovered_at": "gisteren"}),
    (
        "edit",
        "/incidents/{ref}/edit",
        {
            "title": "",
            "aware_at": "",
            "people_min": "50",
            "people_max": "5",
            "records_count": "-1",
        },
    ),
    ("measure", "/incidents/{ref}/measures", {"kind": "corrective", "description": ""}),
    (
        "measure-edit",
        "/incidents/{ref}/measures/{measure}/edit",
        {"description": "", "due_on": "x"},
    ),
    ("measure-done", "/incidents/{ref}/measures/{measure}/done", {"done_at": FUTURE}),
    ("measure-cancel", "/incidents/{ref}/measures/{measure}/cancel", {"reason": ""}),
    (
        "assessment",
        "/incidents/{ref}/assessment",
        {"is_personal_data_breach": "yes", "risk": "", "risk_rationale": ""},
    ),
    (
        "notification",
        "/incidents/{ref}/notifications/new",
        {"kind": "initial", "submitted_at": "2026-03-10T09:30", "meldnummer": ""},
    ),
    ("notification-time", "/incidents/{ref}/notifications/new", {"kind": "initial"}),
    (
        "communication",
        "/incidents/{ref}/subjects",
        {"c-sent_at": FUTURE, "c-channel": "email", "c-people_reached": "", "c-text": ""},
    ),
    (
        "exemption",
        "/incidents/{ref}/subjects",
        {"e-ground": "disproportionate", "e-rationale": "", "e-public_communication": ""},
    ),
    ("close", "/incidents/{ref}/close", {"evaluation": ""}),
    (
        "user",
        "/admin/users/new",
        {"email": "geen-adres", "password": "kort", "confirm": "anders", "role": "reporter"},
    ),
    ("organisation", "/admin/organisations/new", {"name": "", "fg_email": "geen-adres"}),
    ("password", "/account", {"pw-current": "fout", "pw-password": "kort", "pw-confirm": "x"}),
]


@pytest.mark.parametrize(("name", "path", "data"), FORMS, ids=[f[0] for f in FORMS])
def test_every_form_shows_its_errors_in_dutch(client, auth, dutch, name, path, data):
    auth.login(dutch["admin"] if path.startswith("/admin") else dutch["officer"])
    response = client.post(path.format(**dutch), data=data)
    assert response.status_code in (200, 409, 422), response.status_code
    page = response.get_data(as_text=True)
    errors = errors_in(page)
    assert errors, f"{name}: no error shown"
    assert english_in(errors) == [], f"{name}: English on a Dutch page"


def test_missing_parts_of_a_notification_are_whole_dutch_sentences(client, auth, dutch):
    auth.login(dutch["officer"])
    response = client.post(
        f"/incidents/{dutch['ref']}/notifications/new",
        data={"kind": "initial", "submitted_at": "2026-03-10T09:30", "meldnummer": "M-1"},
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Beantwoord" not in page
    assert "or mark it as following later" not in page
    assert "Beschrijf de waarschijnlijke gevolgen (c)" in page


def test_parts_that_follow_later_are_named_in_dutch_on_the_page_and_in_the_pdf(
    app, client, auth, dutch
):
    with app.app_context():
        from breachlog.incidents.services import find

        incident = find(dutch["ref"])
        officer = incident.reporter
        law_services.assess(
            incident, officer, NOW, risk="risk", risk_rationale="Adressen van klanten"
        )
        law_services.record_notification(
            incident,
            officer,
            NOW,
            kind="initial",
            submitted_at=NOW - timedelta(minutes=5),
            meldnummer="M-2026-1",
            is_provisional=True,
            # R11: the initial notification gives at least the nature; the rest follows
            answers={"nature": "Een bestand met adressen van klanten is gelekt."},
            follows=["subjects", "consequences", "measures", "records", "contact"],
        )
        db.session.commit()
        year = incident.ref_year
    auth.login(dutch["officer"])
    page = html.unescape(client.get(f"/incidents/{dutch['ref']}").get_data(as_text=True))
    assert "volgt later: (a) Categorieën" in page
    assert "nature, subjects" not in page and "consequences, measures" not in page
    pdf = client.get(f"/register/{year}.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "(d) Genomen of voorgestelde maatregelen" in text
    assert "subjects, consequences" not in text
