"""The AP form page in a real Chromium: the copy buttons put the exact text on the clipboard,
"copy all" a section's answered questions; a copy as submitted stands beside today's form on
a wide screen and below it on a phone, without sideways scrolling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.notifications import services as law

from . import browser
from .browser import PHONE, browser_page, log_in

pytestmark = browser.needs_chromium
live_url = browser.live_url
SUMMARY = "Een laptop met klantgegevens is uit een auto gestolen (Łódź, Şahin)."


@pytest.fixture
def world(make) -> dict[str, Any]:
    officer = make.user("officer", language="nl")
    incident = make.incident(reporter=officer, summary=SUMMARY)
    incident.is_ongoing = None
    law.assess(incident, officer, make.now, risk="risk", risk_rationale="Adressen van klanten")
    notification = law.record_notification(
        incident,
        officer,
        make.now,
        kind="initial",
        submitted_at=make.now - timedelta(minutes=10),
        meldnummer="M-2026-0042",
        answers={"nature": "Laptop gestolen", "consequences": "Phishing"},
        follows=["measures", "subjects", "contact", "records"],
    )
    incidents.add_measure(incident, officer, make.now, kind="corrective", description="Gewist")
    incidents.add_measure(incident, officer, make.now, kind="preventive", description="2FA aan")
    db.session.commit()
    return {"email": officer.email, "ref": incident.ref, "copy": notification.id}


def clipboard(page: Any) -> str:
    return str(page.evaluate("() => navigator.clipboard.readText()"))


def open_form(page: Any, world: dict[str, Any], query: str = "") -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, world["email"])
    page.goto(f"/incidents/{world['ref']}/ap-form{query}")


def test_a_copy_button_puts_the_answer_on_the_clipboard(live_url, world):
    with browser_page(live_url) as page:
        open_form(page, world)
        summary = page.locator(".ap-column").first.locator("[data-question=summary]")
        summary.get_by_role("button", name="Kopieer: Geef een samenvatting").click()
        page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent")
        assert clipboard(page) == SUMMARY
        assert page.inner_text("[data-copy-status]") == "Gekopieerd."
        measures = page.locator(".ap-column").first.locator("[data-question=measures]")
        measures.locator("button[data-copy]").click()
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('2FA'))")
        assert clipboard(page) == "Gewist\n2FA aan"
        # an answer not known yet has nothing to copy
        ongoing = page.locator(".ap-column").first.locator("[data-question=is_ongoing]")
        assert ongoing.get_attribute("data-state") == "unknown"
        assert ongoing.locator("button").count() == 0


def test_copy_all_puts_a_sections_answered_questions_on_the_clipboard(live_url, world):
    with browser_page(live_url) as page:
        open_form(page, world)
        section = page.locator(".ap-column").first.locator("[data-section='2']")
        section.get_by_role("button", name="Kopieer alles: 2. Tijdlijn").click()
        page.wait_for_function(
            "() => navigator.clipboard.readText().then(t => t.includes('kennisgenomen'))"
        )
        lines = clipboard(page).split("\n")
        assert lines[0].startswith("Wanneer is de inbreuk ontdekt?: ")
        assert any(
            line.startswith("Wanneer heeft u kennisgenomen van de inbreuk?: ") for line in lines
        )
        # not known yet (still going on) and not applicable (reasons for delay) are left out
        assert not any("Duurt de inbreuk" in line or "72 uur" in line for line in lines)


def test_a_copy_as_submitted_stands_beside_todays_and_below_it_on_a_phone(live_url, world):
    query = f"?copy={world['copy']}"
    with browser_page(live_url, viewport={"width": 1280, "height": 900}) as page:
        open_form(page, world, query)
        today, then = (page.locator(".ap-column").nth(i).bounding_box() for i in (0, 1))
        assert then["x"] > today["x"] + today["width"] - 1 and abs(then["y"] - today["y"]) < 2
    with browser_page(live_url, viewport=PHONE) as page:
        open_form(page, world, query)
        today, then = (page.locator(".ap-column").nth(i).bounding_box() for i in (0, 1))
        assert then["y"] >= today["y"] + today["height"] and abs(then["x"] - today["x"]) < 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
