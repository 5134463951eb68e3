"""At 390 × 844 (a phone) the dashboard, the register and the report form fit the screen:
no sideways scrolling, and the time left and the next step in view."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from . import browser
from .browser import PHONE, browser_page, log_in

pytestmark = browser.needs_chromium
live_url = browser.live_url

LONG_TITLE = (
    "Orderbevestigingen met afleveradres, telefoonnummer en KvK-nummer naar de verkeerde "
    "installateur gemaild via de routeplanner"
)


@pytest.fixture
def phone(live_url: str) -> Any:
    with browser_page(live_url, viewport=PHONE, device_scale_factor=1) as page:
        yield page


@pytest.fixture
def officer(make) -> str:
    org = make.organisation(name="Groenteboer De Eendracht Logistiek en Installatie B.V.")
    for hours in (70, 50, 10):
        make.incident(org, title=LONG_TITLE, discovered_at=make.now - timedelta(hours=hours))
    return make.user("officer", language="nl", email="p.de.vries-van.der.meulen@example.nl").email


def fits(page: Any) -> dict[str, int]:
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )


def inside_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def shoot(page: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}-390x844.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


def test_dashboard_fits_a_phone_with_time_left_and_next_step_in_view(phone, officer, tmp_path):
    log_in(phone, officer)
    phone.goto("/")
    shoot(phone, tmp_path, "dashboard")
    size = fits(phone)
    assert size["scroll"] <= size["client"], size
    assert inside_viewport(phone, "[data-deadline]")
    assert inside_viewport(phone, "[data-next-step]")
    first = phone.locator("[data-deadline]").first.bounding_box()
    assert first["y"] + first["height"] <= PHONE["height"]  # the most urgent, without scrolling


def test_register_fits_a_phone(phone, officer, tmp_path):
    log_in(phone, officer)
    phone.goto("/register")
    shoot(phone, tmp_path, "register")
    size = fits(phone)
    assert size["scroll"] <= size["client"], size
    assert inside_viewport(phone, "td .ref")


def test_report_form_fits_a_phone(phone, officer, tmp_path):
    log_in(phone, officer)
    phone.goto("/report")
    shoot(phone, tmp_path, "report")
    size = fits(phone)
    assert size["scroll"] <= size["client"], size
    assert inside_viewport(phone, "main button[type=submit]")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    shoot(phone, tmp_path, "report-errors")
    size = fits(phone)
    assert size["scroll"] <= size["client"], size
