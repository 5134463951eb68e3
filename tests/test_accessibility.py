"""WCAG 2.1 AA, as axe-core checks it, on every kind of page; and what axe cannot see: the
skip link, focus on the error summary after a refused submit, unique ids, and a limit that is
told and refused rather than silently enforced.

axe-core comes from npm (tests/package.json; `npm ci` in tests/, as .ci/run does). Its
script is injected with the page's CSP bypassed, in the test only: the app itself allows
no script but its own files.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from breachlog.extensions import db
from breachlog.incidents import services as incidents
from breachlog.notifications import services as law

from . import browser
from .browser import browser_page, log_in

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    *browser.needs_chromium,
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core is not installed: run `npm ci` in tests/"
    ),
]
live_url = browser.live_url
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page(live_url: str) -> Any:
    with browser_page(live_url, bypass_csp=True) as opened:
        yield opened


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => v.id + ': ' + v.help + ' — ' +
                v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '));
        }""",
        WCAG_AA,
    )
    return list(found)


def duplicate_ids(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """() => {
                const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
                return ids.filter((id, i) => ids.indexOf(id) !== i);
            }"""
        )
    )


@pytest.fixture
def world(make) -> dict[str, Any]:
    org = make.organisation()
    admin = make.user("admin", language="nl")
    incident = make.incident(org, reporter=admin, discovered_at=make.now - timedelta(hours=62))
    flagged = make.incident(org, reporter=admin, title="Phishingmail geopend door de boekhouding")
    law.assess(flagged, admin, make.now, risk="risk", risk_rationale="Bankgegevens van klanten")
    law.record_notification(
        flagged,
        admin,
        make.now,
        kind="initial",
        submitted_at=make.now - timedelta(minutes=10),
        meldnummer="M-2026-0042",
        is_provisional=True,
        answers={"nature": "Een laptop met klantgegevens is uit een auto gestolen."},
        follows=["consequences", "measures", "records", "subjects", "contact"],
    )
    measure = incidents.add_measure(
        flagged, admin, make.now, kind="corrective", description="Wachtwoorden resetten"
    )
    db.session.commit()
    return {
        "notification": flagged.notifications[0].id,
        "admin": admin.email,
        "ref": incident.ref,
        "flagged": flagged.ref,
        "measure": measure.id,
        "user": admin.id,
        "org": org.id,
    }


PAGES = [
    "/",
    "/report",
    "/mine",
    "/register",
    "/incidents/{ref}",
    "/incidents/{flagged}",
    "/incidents/{ref}/edit",
    "/incidents/{ref}/assessment",
    "/incidents/{ref}/notifications/new",
    "/incidents/{flagged}/subjects",
    "/incidents/{flagged}/close",
    "/incidents/{flagged}/measures/{measure}/edit",
    "/incidents/{flagged}/ap-form",
    "/incidents/{flagged}/ap-form?copy={notification}",
    "/account",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/organisations",
    "/admin/organisations/{org}",
    "/admin/catalogues",
    "/admin/mail",
    "/admin/organisations/new",
]


def test_login_page_has_no_violations(page, make):
    make.organisation()
    page.goto("/login")
    assert violations(page) == []
    assert duplicate_ids(page) == []


def test_every_page_has_no_wcag_aa_violations_and_unique_ids(page, world):
    log_in(page, world["admin"])
    found = {}
    for path in PAGES:
        page.goto(path.format(**world))
        problems = violations(page) + [f"duplicate id {i}" for i in duplicate_ids(page)]
        if problems:
            found[path] = problems
    assert found == {}


def test_skip_link_is_first_and_moves_focus_to_the_content(page, world):
    log_in(page, world["admin"])
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_refused_report_focuses_an_error_summary_that_links_to_the_fields(page, world):
    log_in(page, world["admin"])
    page.goto("/report")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.evaluate("document.activeElement.dataset.errorSummary") is not None
    links = page.locator("[data-error-summary] a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#title", "#discovered_at"]
    assert violations(page) == []
    page.fill("input[name=title]", "Laptop kwijt")
    page.fill("input[name=discovered_at]", "2099-01-01T10:00")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.evaluate("document.activeElement.dataset.errorSummary") is not None
    # the future time is said once, under its field, with one id
    assert page.locator("#discovered_at-error .error").count() == 1
    assert duplicate_ids(page) == []
    links.filter(has_text="ontdekt").first.click()
    assert page.evaluate("document.activeElement.id") == "discovered_at"
    assert violations(page) == []


def test_the_error_summary_is_there_without_javascript(live_url, world):
    with browser_page(live_url, java_script_enabled=False) as page:
        log_in(page, world["admin"])
        page.goto("/report")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        summary = page.locator("[data-error-summary]")
        assert summary.count() == 1 and "Verbeter het volgende" in summary.inner_text()


def test_a_long_paste_is_counted_and_refused_not_cut(page, world):
    log_in(page, world["admin"])
    page.goto("/report")
    counter = page.locator("#summary-count")
    assert "van maximaal 20000 tekens" in counter.inner_text()
    page.fill("input[name=title]", "Klantenlijst gedeeld")
    page.fill("input[name=discovered_at]", "2026-01-05T10:00")
    page.fill("textarea[name=summary]", "x" * 100_000)
    assert page.input_value("textarea[name=summary]") == "x" * 100_000  # nothing cut off
    assert counter.inner_text().startswith("100000 van maximaal 20000")
    assert "over" in (counter.get_attribute("class") or "")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    error = page.locator("#summary-error").inner_text()
    assert "20000" in error
    assert len(page.input_value("textarea[name=summary]")) == 100_000  # kept to shorten
