"""In a real headless Chromium: a user of the second organisation sees nothing of the first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from breachlog.extensions import db

from .browser import served
from .test_browser import log_in, page, pytestmark  # noqa: F401 - the fixtures


@pytest.fixture
def live_url(app: Any) -> Iterator[str]:
    """On SQLite and on PostgreSQL: the separation is a matter of the queries."""
    with served(app) as url:
        yield url


FIRST = "Klantenbestand Groen op straat"


def test_a_user_of_the_second_organisation_sees_nothing_of_the_first(page, make):  # noqa: F811
    groen = make.organisation("Groen Installatietechniek B.V.", ref_prefix="DL")
    blauw = make.organisation("Blauw Zorg B.V.", ref_prefix="BZ")
    groen_officer = make.user("officer", email="fg@groen.example", organisation=groen)
    blauw_officer = make.user("officer", email="fg@blauw.example", organisation=blauw)
    theirs = make.incident(groen, reporter=groen_officer, title=FIRST)
    ours = make.incident(blauw, reporter=blauw_officer, title="Zorgplan in de printerbak")
    # plain values, and no transaction of this thread open while the server writes
    theirs_ref, ours_ref = theirs.ref, ours.ref
    groen_email, blauw_email, groen_id = groen_officer.email, blauw_officer.email, groen.id
    db.session.close()

    log_in(page, blauw_email)
    for path in ("/", "/register", f"/register?q=Klantenbestand&organisation={groen_id}"):
        page.goto(path)
        text = page.inner_text("main")
        assert FIRST not in text and theirs_ref not in text, path
        assert "Groen Installatietechniek" not in page.content(), path
    page.goto("/register")
    assert ours_ref in page.inner_text("main")
    # typing the first organisation's ref gets the page any unknown ref gets
    response = page.goto(f"/incidents/{theirs_ref}")
    assert response is not None and response.status == 404
    assert FIRST not in page.inner_text("main")
    response = page.goto(f"/incidents/{theirs_ref}/edit")
    assert response is not None and response.status == 404
    # the report form offers only the user's own organisation
    page.goto("/report")
    assert "Groen" not in page.content()
    # and the first organisation's officer does see it, after Blauw's officer logged out: a
    # cleared cookie could come back with a late answer for the page's icon or script, an
    # ended session cannot
    with page.expect_navigation():
        page.click("form[action='/logout'] button")
    log_in(page, groen_email)
    page.goto("/register")
    assert FIRST in page.inner_text("main") and ours_ref not in page.inner_text("main")
