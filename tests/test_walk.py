"""A breach from report to closing, in a real browser, in Dutch and in English: report →
facts → measure → assess → notify → inform → measure done → close, checking the words and
the dates on the way and, at the end, the text of the register's PDF as downloaded."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from breachlog import clock

from . import browser
from .browser import browser_page, log_in
from .test_i18n import read_catalogue

pytestmark = browser.needs_chromium
live_url = browser.live_url

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam (CET)
# discovered 9 March 14:30 CET = 13:30 UTC; the AP deadline 72 hours later
# (one date format per language, formats.py)
DEADLINE_UTC = {"nl": "12-3-2026 13:30 UTC", "en": "12 Mar 2026, 13:30 UTC"}
AWARE = {"nl": "9-3-2026 14:30", "en": "9 Mar 2026, 14:30"}
DEADLINE = {"nl": "12-3-2026 14:30", "en": "12 Mar 2026, 14:30"}
WORDS = {
    "nl": {"high": "hoog risico", "closed": "afgesloten", "email": "e-mail"},
    "en": {"high": "high risk", "closed": "closed", "email": "e-mail"},
}


def say(language: str, msgid: str, **params: Any) -> str:
    """What the app says for `msgid` in `language`, from the catalogue it ships."""
    text = msgid if language == "en" else read_catalogue()[msgid].string
    return text % params if params else text


def shows_time(text: str, hour: int, minute: int) -> bool:
    """A local time, in the 24-hour clock that both languages use (formats.py)."""
    return bool(re.search(rf"\b{hour:02d}:{minute:02d}\b", text))


# what a reader must never see: a field's internal name, a stored value as the database
# holds it, a code instead of its words
RAW = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\d{4}-\d\d-\d\dT\d|\b(True|False|None)\b|before-\d+h|overdue-\d"
)


def submit(page: Any, selector: str = "main form button.primary") -> None:
    with page.expect_navigation():
        page.click(selector)


def flash(page: Any) -> str:
    return page.locator(".flash").first.inner_text()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_breach_from_report_to_closing(live_url, make, monkeypatch, tmp_path, language):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    make.organisation(name="Groenteboer De Eendracht B.V.")
    reporter = make.user("viewer", language=language)  # management reports too
    officer = make.user("officer", language=language)
    words = WORDS[language]
    with browser_page(live_url, accept_downloads=True) as page:
        # report, as any employee
        log_in(page, reporter.email)
        page.goto("/report")
        assert page.inner_text("h1") == say(language, "Report a (possible) data breach")
        page.fill("input[name=title]", "Orderlijst naar verkeerde installateur gemaild")
        page.fill(
            "textarea[name=summary]", "Een orderlijst met adressen ging naar Installatie Noord."
        )
        page.fill("input[name=discovered_at]", "2026-03-09T14:30")
        page.check("input[name=personal_data][value=name_address]")
        page.select_option("select[name=people]", "11-100")
        submit(page)
        ref = "DL-2026-0001"
        assert ref in flash(page)
        assert flash(page).startswith(
            say(
                language,
                "Thank you. Your report is registered as %(ref)s; the privacy officer "
                "takes it from here.",
                ref=ref,
            )[:20]
        )
        assert DEADLINE_UTC[language] in page.inner_text("main")
        assert shows_time(page.inner_text("main"), 14, 30)  # the deadline in Amsterdam
        page.goto("/mine")
        assert ref in page.inner_text("main")
        page.click("header button.link >> nth=-1")  # log out

        # the privacy officer completes the facts the AP asks for
        log_in(page, officer.email)
        page.goto(f"/incidents/{ref}/edit")
        page.check("input[name=nature][value=confidentiality]")
        page.check("input[name=subject_categories][value=customers]")
        page.fill(
            "textarea[name=consequences]", "Adressen bij een derde; kans op ongewenste post."
        )
        page.fill("textarea[name=cause]", "Verkeerde ontvanger gekozen in de routeplanner.")
        submit(page)
        assert flash(page) == say(language, "Saved.")
        page.fill("#description", "Installateur laten bevestigen dat de lijst is verwijderd")
        page.fill("#owner", "Planning")
        page.fill("#due_on", "2026-03-11")
        submit(page, "#measures form button")
        assert flash(page) == say(language, "Measure added.")

        # assess: high risk
        page.goto(f"/incidents/{ref}/assessment")
        page.select_option("select[name=is_personal_data_breach]", "yes")
        page.select_option("select[name=risk]", "high")
        page.fill("textarea[name=risk_rationale]", "Adressen van klanten bij een derde partij.")
        submit(page)
        assert words["high"] in page.inner_text(".head")

        # notify the AP, within the 72 hours
        page.goto(f"/incidents/{ref}/notifications/new")
        page.select_option("select[name=kind]", "initial")
        page.fill("input[name=submitted_at]", "2026-03-10T09:30")
        page.fill("input[name=meldnummer]", "M-2026-0815")
        submit(page)
        notifications = page.inner_text("#notifications")
        assert "M-2026-0815" in notifications
        assert say(language, "within 72 hours") in notifications
        assert shows_time(notifications, 9, 30)

        # inform the people concerned, with the letter as proposed
        page.goto(f"/incidents/{ref}/subjects")
        page.fill("input[name=c-sent_at]", "2026-03-10T09:45")
        page.select_option("select[name=c-channel]", "email")
        page.fill("input[name=c-people_reached]", "40")
        # the draft's placeholders completed, and what the text as sent contains confirmed
        letter = page.input_value("textarea[name=c-text]")
        for mark in ("(nog aanvullen)", "(to be completed)"):
            letter = letter.replace(mark, "Planning, 020 123 4567")
        page.fill("textarea[name=c-text]", letter)
        for part in ("contact", "consequences", "measures"):
            page.check(f"input[name=c-names_{part}]")
        submit(page)
        subjects = page.inner_text("#subjects")
        assert words["email"] in subjects and "40" in subjects
        assert shows_time(subjects, 9, 45)

        # the measure is done, on the day it was done
        page.click("#measures a[href$='/edit']")
        page.fill("input[name=done_at]", "2026-03-10T08:15")
        submit(page, "form[action$='/done'] button")
        assert flash(page) == say(language, "Measure marked done.")
        assert shows_time(page.inner_text("#measures"), 8, 15)

        # close
        page.goto(f"/incidents/{ref}/close")
        page.fill("textarea[name=evaluation]", "Ontvanger voortaan laten controleren.")
        submit(page)
        assert words["closed"] in page.inner_text(".head")
        history = page.inner_text("#history")
        for action in ("reported the incident", "assessed the risk", "closed the incident"):
            assert say(language, action) in history
        assert RAW.findall(history) == []
        assert AWARE[language] in history

        # the register's PDF, as an inspector gets it
        page.goto("/register?year=2026")
        with page.expect_download() as download:
            page.click("#downloads a[href*='.pdf']")
        pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
        assert say(language, "Register of personal-data breaches") in text
        assert ref in text and "M-2026-0815" in text
        assert "Orderlijst naar verkeerde installateur" in text
        assert words["high"] in text
        assert AWARE[language] in text and DEADLINE[language] in text
        assert RAW.findall(text) == []
