"""The pages in a real headless Chromium: the report form and the language switch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from breachlog.extensions import db
from breachlog.incidents.models import Incident

from .browser import served
from .factories import PASSWORD

CHROMIUM = os.environ.get("BREACHLOG_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def live_url(app: Any, backend: str) -> Iterator[str]:
    if backend != "sqlite":
        pytest.skip("the browser path is the same on every database")
    with served(app) as url:
        yield url


@pytest.fixture
def page(live_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(
            base_url=live_url, locale="nl-NL", timezone_id="Europe/Amsterdam"
        )
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_reporter_reports_through_the_form_in_dutch(page, make):
    make.organisation()
    reporter = make.user("reporter", language="nl")
    log_in(page, reporter.email)
    page.goto("/report")
    assert page.inner_text("h1") == "Meld een (mogelijk) datalek"
    page.fill("input[name=title]", "USB-stick met klantgegevens kwijt")
    page.fill("textarea[name=summary]", "Verloren op het bedrijfsterrein, niet versleuteld.")
    page.fill("input[name=discovered_at]", "2026-02-02T10:15")
    page.check("input[value=name_address]")
    page.select_option("select[name=people]", "101-1000")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/incidents/DL-2026-0001")
    assert "USB-stick met klantgegevens kwijt" in page.inner_text("main")
    db.session.rollback()
    incident = db.session.scalars(sa.select(Incident)).one()
    assert incident.people_max == 1000


def test_language_switch_changes_the_interface_and_is_remembered(page, make):
    make.organisation()
    officer = make.user("officer", language="nl")
    log_in(page, officer.email)
    page.goto("/report")
    assert page.inner_text("h1") == "Meld een (mogelijk) datalek"
    with page.expect_navigation():
        page.click("button:has-text('English')")
    page.goto("/report")
    assert page.inner_text("h1") == "Report a (possible) data breach"
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.click("button:has-text('Nederlands')")
    page.goto("/register")
    assert "Register van datalekken" in page.inner_text("h1")


def test_dashboard_countdown_ticks_and_matches_the_server_deadline(page, make):
    org = make.organisation()
    from datetime import timedelta

    incident = make.incident(org, discovered_at=make.now - timedelta(hours=60, minutes=30))
    officer = make.user("officer", language="en")
    log_in(page, officer.email)
    page.goto("/")
    clock = page.locator(f"tr[data-ref='{incident.ref}'] [data-deadline]")
    first = int(clock.get_attribute("data-seconds-left"))
    page.wait_for_function(
        "([el, first]) => Number(el.dataset.secondsLeft) < first",
        arg=[clock.element_handle(), first],
    )
    expected = (incident.deadline_at - datetime.now(UTC)).total_seconds()
    assert abs(int(clock.get_attribute("data-seconds-left")) - expected) < 30
    assert "h" in clock.inner_text() and "min left" in clock.inner_text()
    # 11 h 30 min left: amber
    assert "soon" in (page.locator(f"tr[data-ref='{incident.ref}']").get_attribute("class") or "")


def test_countdown_is_right_in_another_browser_time_zone(live_url, make):
    from datetime import timedelta

    from playwright.sync_api import sync_playwright

    org = make.organisation()
    incident = make.incident(org, discovered_at=make.now - timedelta(hours=80))
    officer = make.user("officer", language="nl")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(base_url=live_url, timezone_id="America/New_York")
        page = context.new_page()
        log_in(page, officer.email)
        page.goto("/")
        clock = page.locator(f"tr[data-ref='{incident.ref}'] [data-deadline]")
        seconds = int(clock.get_attribute("data-seconds-left"))
        expected = (incident.deadline_at - datetime.now(UTC)).total_seconds()
        assert abs(seconds - expected) < 30 and seconds < 0
        assert (
            clock.inner_text().startswith("over tijd")
            or "te laat" in clock.inner_text()
            or "overdue" not in clock.inner_text()
        )
        row_class = page.locator(f"tr[data-ref='{incident.ref}']").get_attribute("class")
        assert "overdue" in row_class
        browser.close()


def test_enisa_score_is_shown_live_and_only_suggests(page, make):
    incident = make.incident(make.organisation())
    officer = make.user("officer", language="en")
    log_in(page, officer.email)
    page.goto(f"/incidents/{incident.ref}/assessment")
    page.select_option("select[name=enisa_dpc]", "3")
    page.select_option("select[name=enisa_ei]", "1")
    page.select_option("select[name=cb_confidentiality]", "0.5")
    assert page.inner_text("[data-enisa=score]") == "3.50"
    assert "high" in page.inner_text("[data-enisa=suggestion]")
    page.check("input[name=cb_malicious]")
    assert page.inner_text("[data-enisa=score]") == "4.00"
    # the officer's own choice is what is saved
    page.select_option("select[name=risk]", "risk")
    page.fill("textarea[name=risk_rationale]", "Alleen zakelijke contactgegevens")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    db.session.rollback()
    db.session.refresh(incident)
    assert incident.risk == "risk"
    assert (incident.enisa_dpc, incident.enisa_ei, incident.enisa_cb) == (3, 1, 1.0)
