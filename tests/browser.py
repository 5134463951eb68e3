"""What the browser tests share: the app served on a loopback port, and Debian's Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from werkzeug.serving import make_server

from .factories import PASSWORD

CHROMIUM = os.environ.get("BREACHLOG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The app on a free loopback port, in a thread, for as long as the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_url(app: Any, backend: str) -> Iterator[str]:
    if backend != "sqlite":
        pytest.skip("the browser path is the same on every database")
    with served(app) as url:
        yield url


@contextmanager
def browser_page(live_url: str, **options: Any) -> Iterator[Any]:
    """A fresh page; `options` go to the browser context (viewport, bypass_csp, locale ...)."""
    from playwright.sync_api import sync_playwright

    options.setdefault("locale", "nl-NL")
    options.setdefault("timezone_id", "Europe/Amsterdam")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=live_url, **options)
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
